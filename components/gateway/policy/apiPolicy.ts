import type { RateLimits } from "../../../policy-pack/contract/declaration";
import { assertAllowedClients } from "../../shared/invariants";
import { reject, rpcCodes, securityEvents, str, vars, when } from "./expressions";
import { fragmentId, fragmentIds } from "./fragments";
import { el, XmlElement } from "./xml";
import { GatewaySku } from "../service";

/** Everything one MCP server's API policy needs, as plain values. */
export interface ServerPolicyInput {
    /** MCP server name (`/mcp/<server>`). */
    readonly server: string;
    /** Entra tenant id: pins the token issuer (M1). */
    readonly tenantId: string;
    /** The server API app's client id and identifier URI: the accepted audiences (M1, C7.2). */
    readonly apiAppClientId: string;
    readonly apiIdentifierUri: string;
    /** Scope value the token's `scp` must hold, e.g. `mcp.access` (C7.3). */
    readonly requiredScope: string;
    /** App role values of the server; the token must hold one of them (C7.3). */
    readonly appRoleValues: readonly string[];
    /** Client application ids allowed to call the server (M3). */
    readonly clientApplicationIds: readonly string[];
    /** Tool name → app role it requires (C2.2). */
    readonly tools: Readonly<Record<string, string>>;
    /** Approved tools/list digest, `sha256:<hex>` (C9.2). */
    readonly manifestDigest: string;
    /** Backend app identifier URI: the audience of the gateway's managed-identity token (C7.1). */
    readonly backendIdentifierUri: string;
    /** API Management backend id of the server's Container App. */
    readonly backendId: string;
    /** Client id of the gateway's user-assigned identity. */
    readonly gatewayIdentityClientId: string;
    /** `https://<public host>`: the resource identifier clients see (RFC 9728 `resource`). */
    readonly publicBaseUrl: string;
    /** Prefix of the deployed fragment ids (the gateway component's name); "" for bare ids. */
    readonly fragmentIdPrefix?: string;
    /** Tier of the gateway: decides which policy elements exist (quota-by-key is classic-only). Defaults to Developer. */
    readonly gatewaySku?: GatewaySku;
    readonly rateLimits: RateLimits;
}

/** `https://<host>/mcp/<server>` — the protected resource (RFC 9728 `resource`). */
export function resourceIdentifier(input: Pick<ServerPolicyInput, "publicBaseUrl" | "server">): string {
    return `${input.publicBaseUrl.replace(/\/+$/, "")}/mcp/${input.server}`;
}

/** The RFC 9728 protected resource metadata document for one server. */
export function resourceMetadata(input: ServerPolicyInput): Record<string, unknown> {
    return {
        resource: resourceIdentifier(input),
        authorization_servers: [`https://login.microsoftonline.com/${input.tenantId}/v2.0`],
        scopes_supported: [scopeOf(input)],
        bearer_methods_supported: ["header"],
        resource_name: `MCP server ${input.server}`,
    };
}

function scopeOf(input: ServerPolicyInput): string {
    return `${input.apiIdentifierUri.replace(/\/+$/, "")}/${input.requiredScope}`;
}

/** Checks that would otherwise produce a policy API Management rejects or one that admits nobody. */
function validateServerPolicyInput(input: ServerPolicyInput): void {
    assertAllowedClients(input.server, input.clientApplicationIds);
    const problems: string[] = [];
    // The on-error fragment reads these lists space-separated (buildApiPolicy).
    const listed = { apiAppClientId: [input.apiAppClientId], apiIdentifierUri: [input.apiIdentifierUri], clientApplicationIds: input.clientApplicationIds };
    for (const [key, values] of Object.entries(listed)) {
        for (const value of values) if (typeof value !== "string" || value === "" || /\s/.test(value)) problems.push(`${key}: got ${JSON.stringify(value)}, expected a non-empty id without whitespace`);
    }
    if (input.appRoleValues.length === 0) problems.push("appRoleValues: got none, expected the server's app roles");
    for (const [tool, role] of Object.entries(input.tools)) {
        if (/[;=]/.test(tool) || /[;=]/.test(role)) problems.push(`tools.${tool}: got "${role}", expected names without ';' or '='`);
        if (!input.appRoleValues.includes(role)) problems.push(`tools.${tool}: got role "${role}", expected one of the server's app roles (${input.appRoleValues.join(", ")})`);
    }
    if (!/^sha256:[0-9a-f]{64}$/.test(input.manifestDigest)) problems.push(`manifestDigest: got "${input.manifestDigest}", expected sha256:<64 hex>`);
    if (problems.length > 0) throw new Error(`MCP server ${input.server}: ${problems.join("; ")}`);
}


/**
 * The API policy of one MCP server: per-server values as variables and literals, the shared
 * fragments in order, token validation at API scope (every operation inherits it; only the RFC 9728
 * document answers before it), the rate limits, and the managed-identity call to the backend.
 */
export function buildApiPolicy(input: ServerPolicyInput): XmlElement {
    validateServerPolicyInput(input);
    const include = (base: string) => el("include-fragment", { "fragment-id": fragmentId(input.fragmentIdPrefix ?? "", base) });
    const metadataUrl = `${resourceIdentifier(input)}/.well-known/oauth-protected-resource`;
    const user = `"mcp:" + ${str(vars.server)} + ":user:" + ${str(vars.oid)}`;
    const toolRoles = Object.entries(input.tools)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([tool, role]) => `${tool}=${role}`)
        .join(";");
    const limits = input.rateLimits;
    // One home for what validate-azure-ad-token admits: the element and the on-error fragment's
    // client-not-allowed decision (M3) read the same lists (space-separated: ids and URIs have no spaces).
    const audiences = [input.apiAppClientId, input.apiIdentifierUri];
    const clients = [...new Set(input.clientApplicationIds)];
    return el(
        "policies",
        {},
        el(
            "inbound",
            {},
            el("base"),
            el("set-variable", { name: vars.server, value: input.server }),
            el("set-variable", { name: vars.resourceMetadataUrl, value: metadataUrl }),
            el("set-variable", { name: vars.scope, value: scopeOf(input) }),
            // A literal (not an expression): JSON never contains `{{`, the named-value syntax.
            el("set-variable", { name: vars.resourceMetadata, value: JSON.stringify(resourceMetadata(input)) }),
            el("set-variable", { name: vars.toolRoles, value: toolRoles }),
            el("set-variable", { name: vars.manifestDigest, value: input.manifestDigest }),
            el("set-variable", { name: vars.tenantId, value: input.tenantId }),
            el("set-variable", { name: vars.audiences, value: audiences.join(" ") }),
            el("set-variable", { name: vars.clientApplicationIds, value: clients.join(" ") }),
            include(fragmentIds.resourceMetadata),
            include(fragmentIds.origin),
            include(fragmentIds.bearerRequired),
            el(
                "validate-azure-ad-token",
                { "tenant-id": input.tenantId, "header-name": "Authorization", "failed-validation-httpcode": 401, "output-token-variable-name": vars.jwt },
                el("client-application-ids", {}, clients.map((id) => el("application-id", {}, id))),
                el("audiences", {}, audiences.map((audience) => el("audience", {}, audience))),
                el(
                    "required-claims",
                    {},
                    el("claim", { name: "scp", match: "any", separator: " " }, el("value", {}, input.requiredScope)),
                    el("claim", { name: "roles", match: "any" }, input.appRoleValues.map((role) => el("value", {}, role))),
                ),
            ),
            include(fragmentIds.identity),
            include(fragmentIds.envelope),
            include(fragmentIds.protocolVersion),
            include(fragmentIds.session),
            el("rate-limit-by-key", {
                id: "mcp-limit-user",
                calls: limits.perUserPerMinute,
                "renewal-period": 60,
                "counter-key": `@(${user})`,
                "retry-after-variable-name": vars.retryAfter,
            }),
            when(`${str(vars.sessionHash)} != ""`, [
                el("rate-limit-by-key", {
                    id: "mcp-limit-session",
                    calls: limits.perSessionPerMinute,
                    "renewal-period": 60,
                    "counter-key": `@("mcp:" + ${str(vars.server)} + ":session:" + ${str(vars.sessionHash)})`,
                    "retry-after-variable-name": vars.retryAfter,
                }),
            ]),
            when(`${str(vars.rpcMethod)} == "tools/call"`, [
                el("rate-limit-by-key", {
                    id: "mcp-limit-user-tool",
                    calls: limits.perUserToolPerMinute,
                    "renewal-period": 60,
                    "counter-key": `@(${user} + ":tool:" + ${str(vars.toolName)})`,
                    "retry-after-variable-name": vars.retryAfter,
                }),
            ]),
            dailyQuota(input, user),
            include(fragmentIds.toolAuthorization),
            include(fragmentIds.promptShields),
            include(fragmentIds.audit),
            el("set-backend-service", { "backend-id": input.backendId }),
            el("set-header", { name: "Authorization", "exists-action": "delete" }),
            el("authentication-managed-identity", { resource: input.backendIdentifierUri, "client-id": input.gatewayIdentityClientId }),
            el("set-header", { name: "X-MCP-User-Oid", "exists-action": "override" }, el("value", {}, `@(${str(vars.oid)})`)),
            // The validated token's roles, never a caller-supplied header: the server re-checks tool roles from it (C2.2).
            el("set-header", { name: "X-MCP-User-Roles", "exists-action": "override" }, el("value", {}, `@(${str(vars.roles)})`)),
        ),
        // No <base /> here: the global backend section would forward a second time.
        el("backend", {}, include(fragmentIds.forward)),
        el("outbound", {}, el("base"), include(fragmentIds.manifestIntegrity), include(fragmentIds.sessionBind), include(fragmentIds.securityHeaders)),
        el("on-error", {}, el("base"), include(fragmentIds.onError)),
    );
}

/** quota-by-key exists on the classic tiers and self-hosted gateways only (Learn, quota-by-key: "Gateways"). */
function supportsQuotaByKey(sku: GatewaySku | undefined): boolean {
    return sku !== "PremiumV2";
}

/**
 * The per-user daily call quota (C4.1). Classic tiers: `quota-by-key` (24-hour renewal). PremiumV2
 * has no quota-by-key and rate-limit-by-key allows at most a 300-second window (Learn), so there the
 * quota is a per-user, per-UTC-day counter in the internal cache: read, refuse at the limit with 429
 * and the seconds to midnight, else store count+1. It is approximate like any APIM quota (two
 * concurrent calls may both read the same count; the internal cache is per region).
 */
function dailyQuota(input: ServerPolicyInput, user: string): XmlElement | XmlElement[] {
    const calls = input.rateLimits.perUserDailyQuota;
    if (supportsQuotaByKey(input.gatewaySku)) {
        return el("quota-by-key", { id: "mcp-quota-user", calls, "renewal-period": 86400, "counter-key": `@(${user})` });
    }
    const key = `@("mcp-quota:" + ${str(vars.server)} + ":user:" + ${str(vars.oid)} + ":" + DateTime.UtcNow.ToString("yyyy-MM-dd"))`;
    const used = `int.Parse(${str(vars.quotaUsed)})`;
    return [
        el("cache-lookup-value", { key, "variable-name": vars.quotaUsed, "default-value": "0", "caching-type": "internal" }),
        when(
            `${used} >= ${calls}`,
            reject(
                securityEvents.rateLimited,
                {
                    status: 429,
                    reason: "Too Many Requests",
                    code: rpcCodes.tooManyRequests,
                    message: "Rate limit exceeded.",
                    headers: { "Retry-After": "((int)DateTime.UtcNow.Date.AddDays(1).Subtract(DateTime.UtcNow).TotalSeconds + 1).ToString()" },
                },
                `"QuotaExceeded mcp-quota-user"`,
            ),
        ),
        el("cache-store-value", { key, value: `@((${used} + 1).ToString())`, duration: 86400, "caching-type": "internal" }),
    ];
}
