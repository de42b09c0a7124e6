import type { McpPlatformConfig } from "../../components/platform/config";

/**
 * Domains no tenant can verify (RFC 2606 and RFC 6761 reserved names). Each server's API app is
 * identified by `https://<edge.hostname>/mcp/<server>` (the URL clients connect to, RFC 9728 §3.3),
 * and Entra accepts an https identifier URI only on a domain verified in the tenant
 * (https://learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions), so `pulumi up`
 * would fail creating the app registration. Whether a real domain is verified only the tenant
 * knows; the README says how to check (`az rest` on `/domains`) before deploying.
 */
const reservedSuffixes = ["example.com", "example.net", "example.org", "example", "test", "invalid", "localhost", "local"];

export function checkSignInDomain(config: McpPlatformConfig): string[] {
    const host = config.edge.hostname.toLowerCase();
    const reserved = reservedSuffixes.find((s) => host === s || host.endsWith(`.${s}`));
    if (!reserved) return [];
    return [
        `${config.project}:edge.hostname: got "${host}"${host.endsWith(`.${config.location}.example.com`) ? " (the default)" : ""}, expected a host name ` +
            `on a domain verified in your Entra tenant, because each server's API app is identified by https://<edge.hostname>/mcp/<server> ` +
            `and Entra accepts https identifier URIs only on verified domains (".${reserved}" can never be verified) — ` +
            `set edge.hostname to a name under one of your tenant's verified domains (README: "Sign-in and your domain")`,
    ];
}
