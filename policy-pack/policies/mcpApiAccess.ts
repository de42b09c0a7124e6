import { stackPolicy } from "../lib/policy";
import { allExpressions, findAll, PolicyElement, section } from "../lib/apimXml";
import { answeredStatuses, direct, forEachMcpApi, guards, literal, mentions, topLevelBranches } from "../lib/mcpApis";
import { declaredProtocolVersions } from "../contract/declaration";
import { isStatelessRevision } from "../contract/revisions";

/**
 * API Management, per MCP API: who may call and how. Token validation, no token passthrough,
 * protocol version, session binding, per-user rate limit and per-tool authorisation, each read
 * from the API policy XML with fragments resolved. What a request may carry is mcpApiContent.ts.
 */

/** C7.3: the token must carry the server's scope (`scp`) or one of its app roles (`roles`), listed as literals. */
const requiresScopeOrRole = (validation: PolicyElement) =>
    findAll(validation, "claim").some((c) => ["scp", "roles"].includes(c.attributes.name ?? "") && findAll(c, "value").some((v) => literal(v.text)));
const requiredClaimsState = "require the server's scope or app roles (required-claims with a literal scp or roles value)";

export const azureApimanagementApiEnforceTokenValidation = stackPolicy({
    name: "azure-apimanagement-api-enforce-token-validation",
    description:
        "Every MCP API validates the Entra token at API scope, unconditionally, with the tenant pinned, literal audiences and a client application allow-list.",
    controls: ["M1", "M2", "M3", "C7.2", "C7.3"],
    component: "gateway",
    severity: "critical",
    remediationSteps:
        "Put validate-azure-ad-token directly in the API policy's inbound section (not inside <choose>) with a literal tenant-id, the server app's client id " +
        "and identifier URI as <audiences>, and the allowed <client-application-ids>; components/gateway builds it from the server's identity.",
    validate: (resources, _args, must) =>
        forEachMcpApi(resources, must, (root) => {
            const inbound = section(root, "inbound");
            const azureAd = direct(inbound, "validate-azure-ad-token");
            const jwt = direct(inbound, "validate-jwt");
            if (azureAd.length === 0 && jwt.length === 0) return "validate every request's token with validate-azure-ad-token in inbound, outside any condition";
            for (const v of azureAd) {
                if (!literal(v.attributes["tenant-id"])) return "pin the token tenant with a literal tenant-id";
                const audiences = findAll(v, "audience");
                if (audiences.length === 0 || !audiences.every((a) => literal(a.text))) return "pin the token audience to literal values (the server's client id and identifier URI)";
                const clients = findAll(v, "application-id");
                if (clients.length === 0 || !clients.every((c) => literal(c.text))) return "restrict client-application-ids to a literal allow-list";
                if (!requiresScopeOrRole(v)) return requiredClaimsState;
            }
            for (const v of jwt) {
                const audiences = findAll(v, "audience");
                const issuers = findAll(v, "issuer");
                if (audiences.length === 0 || !audiences.every((a) => literal(a.text))) return "pin the token audience to literal values (the server's client id and identifier URI)";
                if (issuers.length === 0 || !issuers.every((i) => literal(i.text))) return "pin the token issuer to the tenant";
                if (!requiresScopeOrRole(v)) return requiredClaimsState;
            }
            return undefined;
        }),
});

export const azureApimanagementApiDisableTokenPassthrough = stackPolicy({
    name: "azure-apimanagement-api-disable-token-passthrough",
    description: "Every MCP API deletes the caller's Authorization header and then authenticates to the backend with a managed identity.",
    controls: ["C7.1"],
    component: "gateway",
    severity: "critical",
    remediationSteps:
        'In the API policy\'s inbound section add <set-header name="Authorization" exists-action="delete" /> followed by ' +
        '<authentication-managed-identity resource="<backend app identifier URI>" client-id="<gateway identity>" />, both unconditional.',
    validate: (resources, _args, must) =>
        forEachMcpApi(resources, must, (root) => {
            const inbound = section(root, "inbound")?.children ?? [];
            const deleteAt = inbound.findIndex(
                (c) => c.name === "set-header" && c.attributes.name?.toLowerCase() === "authorization" && c.attributes["exists-action"] === "delete",
            );
            const miAt = inbound.findIndex((c, i) => i > deleteAt && c.name === "authentication-managed-identity" && literal(c.attributes.resource));
            if (deleteAt < 0) return "delete the caller's Authorization header before forwarding (no token passthrough)";
            if (miAt < 0) return "authenticate to the backend with authentication-managed-identity for a literal backend audience, after deleting Authorization";
            return undefined;
        }),
});

export const azureApimanagementApiEnforceProtocolVersion = stackPolicy({
    name: "azure-apimanagement-api-enforce-protocol-version",
    description:
        "Every MCP API checks the MCP protocol version of each revision the platform allows: MCP-Protocol-Version and initialize protocolVersion (2025-11-25); " +
        "_meta protocolVersion and the Mcp-Method/Mcp-Name headers against the body (2026-07-28).",
    controls: ["C3.4"],
    component: "gateway",
    remediationSteps: "Include the gateway's mcp-protocol-version fragment (components/gateway) in the API policy's inbound section.",
    validate: (resources, _args, must) => {
        const versions = declaredProtocolVersions(resources);
        const markers = [
            "MCP-Protocol-Version",
            ...(versions.some((v) => !isStatelessRevision(v)) ? ["initialize", "protocolVersion"] : []),
            ...(versions.some((v) => isStatelessRevision(v)) ? ["io.modelcontextprotocol/protocolVersion", "Mcp-Method", "Mcp-Name"] : []),
        ];
        forEachMcpApi(resources, must, (root) => {
            const text = allExpressions(section(root, "inbound") ?? root);
            const missing = markers.filter((m) => !mentions(text, m));
            return missing.length > 0 ? `check the MCP protocol version in inbound (nothing reads ${missing.join(", ")})` : undefined;
        });
    },
});

/** Smallest length a session id check may admit: shorter ids are guessable, not cryptographically random (C8.1). */
export const minimumSessionIdLength = 16;

export const azureApimanagementApiEnableSessionBinding = stackPolicy({
    name: "azure-apimanagement-api-enable-session-binding",
    description:
        "Where the platform allows a session-based MCP revision, every MCP API binds Mcp-Session-Id to the caller's oid (cache-store-value on initialize, " +
        `cache-lookup-value on use) and rejects malformed session ids (a Regex check admitting at least ${minimumSessionIdLength} characters, answered with 400).`,
    controls: ["M4", "C8.2", "C8.3", "C7.4", "C8.1"],
    component: "gateway",
    remediationSteps: "Include the gateway's mcp-session (inbound) and mcp-session-bind (outbound) fragments in the API policy.",
    validate: (resources, _args, must) => {
        if (!declaredProtocolVersions(resources).some((v) => !isStatelessRevision(v))) return;
        forEachMcpApi(resources, must, (root) => {
            const binds = (where: string, name: string) =>
                findAll(section(root, where) ?? root, name).some((e) => mentions(e.attributes.key ?? "", "oid") && mentions(e.attributes.key ?? "", "session"));
            if (!mentions(allExpressions(root), "Mcp-Session-Id")) return "read the Mcp-Session-Id header to bind sessions to users";
            // The server mints the session id in the initialize response, so the binding is stored in outbound.
            if (!binds("outbound", "cache-store-value")) return "store each session binding keyed by the caller's oid and the session id (cache-store-value)";
            if (!binds("inbound", "cache-lookup-value")) return "look up the session binding for the caller's oid on every request (cache-lookup-value)";
            const formatChecks = guards(section(root, "inbound") ?? root, (c) => mentions(c, "Regex.IsMatch"), (code) => code === 400).filter((w) =>
                [...(w.attributes.condition ?? "").matchAll(/\{(\d+),\d*\}/g)].some((m) => Number(m[1]) >= minimumSessionIdLength),
            );
            if (formatChecks.length === 0) {
                return `reject malformed session ids in inbound with 400 (a Regex.IsMatch check admitting no id shorter than ${minimumSessionIdLength} characters)`;
            }
            return undefined;
        });
    },
});

export const azureApimanagementApiEnableUserRateLimit = stackPolicy({
    name: "azure-apimanagement-api-enable-user-rate-limit",
    description: "Every MCP API rate-limits each user (rate-limit-by-key on the token's oid) unconditionally in inbound.",
    controls: ["C4.1"],
    component: "gateway",
    remediationSteps: "Add <rate-limit-by-key calls=… renewal-period=… counter-key=\"@(… oid …)\" /> directly in the API policy's inbound section.",
    validate: (resources, _args, must) =>
        forEachMcpApi(resources, must, (root) => {
            const limits = direct(section(root, "inbound"), "rate-limit-by-key");
            const perUser = limits.some((l) => mentions(l.attributes["counter-key"] ?? "", "oid") && Number(l.attributes.calls) > 0 && Number(l.attributes["renewal-period"]) > 0);
            return perUser ? undefined : "rate-limit every caller by oid with rate-limit-by-key in inbound, outside any condition";
        }),
});

export const azureApimanagementApiEnforceToolAuthorization = stackPolicy({
    name: "azure-apimanagement-api-enforce-tool-authorization",
    description:
        "Every MCP API checks each tools/call against the caller's app roles (the roles claim) unconditionally in inbound and answers a tool the caller may not use with 403.",
    controls: ["C2.2", "C7.3"],
    component: "gateway",
    severity: "critical",
    remediationSteps:
        "Include the gateway's mcp-tool-authorization fragment in the API policy's inbound section (not inside another condition); " +
        "servers[].tools maps each tool to the app role it requires.",
    validate: (resources, _args, must) =>
        forEachMcpApi(resources, must, (root) => {
            const checks = topLevelBranches(section(root, "inbound")).filter(
                (w) => mentions(w.attributes.condition ?? "", "tools/call") && mentions(allExpressions(w), "roles") && answeredStatuses(w).includes(403),
            );
            return checks.length > 0 ? undefined : "authorise every tools/call by the tool's required app role (roles claim), answering 403, in inbound outside any other condition";
        }),
});
