import { McpStackPolicy, stackPolicy } from "../../lib/policy";
import { exemptionsConfigSchema } from "../../lib/exemptions";
import { allExpressions, findAll, section } from "../../lib/apimXml";
import {
    answeredStatuses,
    claimVariables,
    direct,
    forEachMcpApi,
    literal,
    mentions,
    operationPolicyProblems,
    readsVariable,
    serverOf,
    topLevelBranches,
    variables,
} from "../../lib/mcpApis";
import { declaredNumber, declaredServer, declaredString, stricter } from "../../lib/declared";
import { audiencesProblem, claimsProblem, clientsProblem, guid, identifierUris, maxClockSkewSeconds, sharedTenants, tokenSourceProblem } from "../../lib/tokenValidation";
import {
    defaultMaxSessionIdleSeconds,
    defaultMaxSessionLifetimeSeconds,
    defaultRateLimitCaps,
    minimumSessionIdLength,
    rateLimitProblem,
    RateLimitCaps,
    SessionConfig,
    sessionProblem,
} from "../../lib/sessionsAndLimits";

export { maxClockSkewSeconds, minimumSessionIdLength, defaultMaxSessionIdleSeconds, defaultMaxSessionLifetimeSeconds, defaultRateLimitCaps };
import { declaredProtocolVersions } from "../../contract/declaration";
import { isStatelessRevision } from "../../contract/revisions";

/**
 * API Management, per MCP API: who may call and how. Token validation, no token passthrough,
 * protocol version, session binding, per-user rate limit and per-tool authorisation, each read
 * from the API policy XML with fragments resolved. What a request may carry is mcpApiContent.ts.
 */

export const azureApimanagementApiEnforceTokenValidation = stackPolicy({
    name: "azure-apimanagement-api-enforce-token-validation",
    description:
        "Every MCP API validates the Entra token at API scope, unconditionally, from the Authorization header only (401 on failure), with the tenant pinned " +
        "to the platform's tenant (a GUID; never common/organizations; the declared tenantId when declared), literal audiences (one client id plus identifier " +
        "URIs of the stack's Entra apps), a client-application allow-list of literal app ids (equal to the declared list when declared) and required claims " +
        "with non-empty literal values; validate-jwt must also require signed tokens and expiry with a clock skew of at most 300 s. Every operation policy of " +
        "the API inherits it (<base/> first in inbound and present in every section). Compared against: the declaration (tenant, client apps), the stack's " +
        "Entra applications (identifier URIs), secure defaults otherwise.",
    controls: ["M1", "M2", "M3", "C7.2", "C7.3"],
    component: "gateway",
    severity: "critical",
    remediationSteps:
        "Put validate-azure-ad-token directly in the API policy's inbound section (not inside <choose>) with a literal tenant-id, the server app's client id " +
        "and identifier URI as <audiences>, and the allowed <client-application-ids>; components/gateway builds it from the server's identity. Start every " +
        "operation policy's sections with <base/>.",
    validate: (resources, _args, must) => {
        const known = identifierUris(resources);
        const tenant = declaredString(resources, "tenantId");
        forEachMcpApi(resources, must, (root, api) => {
            const inbound = section(root, "inbound");
            const azureAd = direct(inbound, "validate-azure-ad-token");
            const jwt = direct(inbound, "validate-jwt");
            if (azureAd.length === 0 && jwt.length === 0) return "validate every request's token with validate-azure-ad-token in inbound, outside any condition";
            const declaredClients = declaredServer(resources, serverOf(api))?.allowedClientAppIds;
            for (const v of azureAd) {
                const tenantId = v.attributes["tenant-id"];
                if (!literal(tenantId)) return "pin the token tenant with a literal tenant-id";
                if (sharedTenants.includes(tenantId.toLowerCase()) || !guid.test(tenantId)) return `validate tokens of the platform's own tenant (a tenant id, not ${JSON.stringify(tenantId)})`;
                if (tenant && tenantId.toLowerCase() !== tenant.toLowerCase()) return `validate tokens of the declared tenant ${tenant} (not ${tenantId})`;
                const problem =
                    tokenSourceProblem(v) ??
                    audiencesProblem(v, known) ??
                    clientsProblem(findAll(v, "application-id").map((c) => c.text), declaredClients) ??
                    claimsProblem(v);
                if (problem) return problem;
            }
            for (const v of jwt) {
                const issuers = findAll(v, "issuer").map((i) => i.text);
                if (issuers.length === 0 || !issuers.every(literal)) return "pin the token issuer to the tenant";
                const foreign = issuers.filter((i) => sharedTenants.some((s) => mentions(i, `/${s}/`)) || (tenant !== undefined && !mentions(i, tenant)));
                if (foreign.length > 0) return `accept only issuers of the platform's tenant (not ${foreign.join(", ")})`;
                if (v.attributes["require-signed-tokens"]?.toLowerCase() === "false") return "require signed tokens (require-signed-tokens must not be false)";
                if (v.attributes["require-expiration-time"]?.toLowerCase() === "false") return "require an expiry (require-expiration-time must not be false)";
                const skew = v.attributes["clock-skew"];
                if (skew !== undefined && !(Number(skew) >= 0 && Number(skew) <= maxClockSkewSeconds)) {
                    return `bound the clock skew to at most ${maxClockSkewSeconds} seconds (clock-skew is ${JSON.stringify(skew)}; an expression cannot be evaluated and fails closed)`;
                }
                const appClaims = findAll(v, "claim").filter((c) => ["azp", "appid"].includes(c.attributes.name ?? ""));
                const problem =
                    tokenSourceProblem(v) ??
                    audiencesProblem(v, known) ??
                    (appClaims.length === 0 ? "restrict the client applications (a required azp or appid claim listing the allowed app ids)" : undefined) ??
                    clientsProblem(appClaims.flatMap((c) => findAll(c, "value").map((x) => x.text)), declaredClients) ??
                    claimsProblem(v);
                if (problem) return problem;
            }
            return operationPolicyProblems(api, resources)[0];
        });
    },
});

/** Reads the caller's token: the Authorization request header (or the raw token variable a policy copied it into). */
const readsCallerToken = (expression: string) => /Headers(\.GetValueOrDefault\(|\[)\s*"authorization"/i.test(expression);
/** Elements that put a value on the forwarded request. */
const forwardingElements = ["set-header", "set-query-parameter", "set-body", "rewrite-uri", "set-backend-service"];

export const azureApimanagementApiDisableTokenPassthrough = stackPolicy({
    name: "azure-apimanagement-api-disable-token-passthrough",
    description:
        "Every MCP API deletes the caller's Authorization header and then authenticates to the backend with a managed identity token requested for an " +
        "identifier URI of an Entra application of the stack other than the MCP API's own audiences (the backend's app); no header, query parameter or body " +
        "in inbound or backend carries the caller's token, and nothing but that managed identity sets Authorization again. Compared against: the stack's " +
        "Entra applications and the API's token validation.",
    controls: ["C7.1"],
    component: "gateway",
    severity: "critical",
    remediationSteps:
        'In the API policy\'s inbound section add <set-header name="Authorization" exists-action="delete" /> followed by ' +
        '<authentication-managed-identity resource="<backend app identifier URI>" client-id="<gateway identity>" />, both unconditional; never copy the ' +
        "Authorization header anywhere.",
    validate: (resources, _args, must) => {
        const known = identifierUris(resources);
        forEachMcpApi(resources, must, (root) => {
            const inbound = section(root, "inbound")?.children ?? [];
            const deleteAt = inbound.findIndex(
                (c) => c.name === "set-header" && c.attributes.name?.toLowerCase() === "authorization" && c.attributes["exists-action"] === "delete",
            );
            const miAt = inbound.findIndex((c, i) => i > deleteAt && c.name === "authentication-managed-identity" && literal(c.attributes.resource));
            if (deleteAt < 0) return "delete the caller's Authorization header before forwarding (no token passthrough)";
            if (miAt < 0) return "authenticate to the backend with authentication-managed-identity for a literal backend audience, after deleting Authorization";
            const resource = inbound[miAt].attributes.resource;
            const frontend = new Set(findAll(section(root, "inbound") ?? root, "audience").map((a) => a.text));
            if (!known.has(resource) || frontend.has(resource)) {
                return `request the backend token for the backend's own Entra app (an identifier URI of an application of this stack that is not an audience of the MCP API; got ${resource})`;
            }
            for (const where of ["inbound", "backend"]) {
                const area = section(root, where);
                if (!area) continue;
                const copies = forwardingElements.flatMap((name) => findAll(area, name)).filter((e) => readsCallerToken(allExpressions(e)));
                if (copies.length > 0) return `never forward the caller's token (a ${copies[0].name} in ${where} reads the Authorization header)`;
                const resets = findAll(area, "set-header").filter((e) => e.attributes.name?.toLowerCase() === "authorization" && e.attributes["exists-action"] !== "delete");
                if (resets.length > 0) return `set Authorization only through authentication-managed-identity (a set-header in ${where} sets it)`;
            }
            return undefined;
        });
    },
});

/** Date-shaped string literals of every `new string[] { … }` array in `text`: the version allow-lists a check compares against. */
function versionAllowLists(text: string): string[][] {
    return [...text.matchAll(/new\s+string\[\]\s*\{([^}]*)\}/g)]
        .map((m) => [...m[1].matchAll(/"([^"]*)"/g)].map((v) => v[1]))
        .filter((list) => list.length > 0 && list.every((v) => /^\d{4}-\d{2}-\d{2}$/.test(v)));
}

export const azureApimanagementApiEnforceProtocolVersion = stackPolicy({
    name: "azure-apimanagement-api-enforce-protocol-version",
    description:
        "Every MCP API checks the MCP protocol version of each revision the platform allows: MCP-Protocol-Version and initialize protocolVersion (2025-11-25); " +
        "_meta protocolVersion and the Mcp-Method/Mcp-Name headers against the body (2026-07-28). Its version allow-list (a literal string array) equals the " +
        "declared revisions (every supported revision without a declaration), and an unsupported version is rejected with 400, never only logged. " +
        "Compared against: the declaration's protocolVersions.",
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
            const inbound = section(root, "inbound") ?? root;
            const text = allExpressions(inbound);
            const missing = markers.filter((m) => !mentions(text, m));
            if (missing.length > 0) return `check the MCP protocol version in inbound (nothing reads ${missing.join(", ")})`;
            const checkVariables = [...variables(inbound).entries()].filter(([, value]) => mentions(value, "MCP-Protocol-Version")).map(([name]) => name);
            const lists = versionAllowLists(checkVariables.map((name) => variables(inbound).get(name) ?? "").join("\n"));
            if (lists.length === 0) return "compare the version with a literal allow-list (new string[] { … }); none found, so it cannot be evaluated and fails closed";
            const wrong = lists.find((list) => list.length !== versions.length || !versions.every((v) => list.includes(v)));
            if (wrong) return `allow exactly the declared protocol versions ${versions.join(", ")} (its allow-list is ${wrong.join(", ")})`;
            const verdicts = findAll(inbound, "when").filter((w) => checkVariables.some((name) => readsVariable(w.attributes.condition ?? "", name)));
            const statuses = verdicts.flatMap(answeredStatuses);
            if (!statuses.includes(400)) return "reject an unsupported or mismatched protocol version with 400 (the check only logs)";
            if (statuses.some((c) => c < 400)) return `reject every failed protocol-version check with 4xx (one answers ${statuses.find((c) => c < 400)})`;
            return undefined;
        });
    },
});

export const azureApimanagementApiEnableSessionBinding: McpStackPolicy = {
    ...stackPolicy({
        name: "azure-apimanagement-api-enable-session-binding",
        description:
            "Where the platform allows a session-based MCP revision, every MCP API binds Mcp-Session-Id to the validated caller's oid (cache-store-value on " +
            "initialize, cache-lookup-value on use), rejects malformed session ids (a Regex check admitting at least " +
            `${minimumSessionIdLength} characters, answered with 400), rejects unknown and foreign sessions (4xx, never adopted), expires idle sessions within ` +
            `maxSessionIdleSeconds (${defaultMaxSessionIdleSeconds} by default) and ends every session within maxSessionLifetimeSeconds ` +
            `(${defaultMaxSessionLifetimeSeconds} by default). Compared against: the declaration's sessionIdleSeconds/sessionLifetimeSeconds, bounded by the config caps.`,
        controls: ["M4", "C8.2", "C8.3", "C7.4", "C8.1"],
        component: "gateway",
        remediationSteps: "Include the gateway's mcp-session (inbound) and mcp-session-bind (outbound) fragments in the API policy; gateway.sessionIdleMinutes sets the idle lifetime.",
        validate: (resources, args, must) => {
            if (!declaredProtocolVersions(resources).some((v) => !isStatelessRevision(v))) return;
            const config = args.getConfig<SessionConfig>();
            const idleCap = stricter(declaredNumber(resources, "sessionIdleSeconds"), config.maxSessionIdleSeconds);
            const lifetimeCap = stricter(declaredNumber(resources, "sessionLifetimeSeconds"), config.maxSessionLifetimeSeconds);
            forEachMcpApi(resources, must, (root) => sessionProblem(root, idleCap, lifetimeCap));
        },
    }),
    configSchema: {
        properties: {
            ...exemptionsConfigSchema.properties,
            maxSessionIdleSeconds: { type: "integer", minimum: 1, default: defaultMaxSessionIdleSeconds, description: "Longest idle lifetime (seconds) of an MCP session binding." },
            maxSessionLifetimeSeconds: { type: "integer", minimum: 1, default: defaultMaxSessionLifetimeSeconds, description: "Longest absolute lifetime (seconds) of an MCP session." },
        },
    },
};

export const azureApimanagementApiEnableUserRateLimit: McpStackPolicy = {
    ...stackPolicy({
        name: "azure-apimanagement-api-enable-user-rate-limit",
        description:
            "Every MCP API rate-limits each validated user (rate-limit-by-key on the token's oid, unconditionally in inbound), each session, each user and tool, " +
            "and sets a daily quota per user (quota-by-key), each keyed on the validated identity (never a request header or address) with literal values no " +
            "looser than the declared limits, bounded by the config caps (per minute: user 600, session 300, user and tool 300; per day: 100000 by default). " +
            "Compared against: the declaration's servers[].rateLimits, bounded by the config caps.",
        controls: ["C4.1"],
        component: "gateway",
        remediationSteps:
            "Keep the gateway's limits (components/gateway) and servers[].rateLimits: rate-limit-by-key per user, per session, per user and tool, and quota-by-key " +
            "per user, keyed on the validated token's oid.",
        validate: (resources, args, must) => {
            const config = args.getConfig<RateLimitCaps>();
            forEachMcpApi(resources, must, (root, api) => {
                const declared = declaredServer(resources, serverOf(api))?.rateLimits ?? {};
                const caps = Object.fromEntries(
                    (Object.keys(defaultRateLimitCaps) as (keyof RateLimitCaps)[]).map((k) => [k, stricter(declared[k], config[k])]),
                ) as RateLimitCaps;
                return rateLimitProblem(root, caps);
            });
        },
    }),
    configSchema: {
        properties: {
            ...exemptionsConfigSchema.properties,
            perUserPerMinute: { type: "integer", minimum: 1, default: defaultRateLimitCaps.perUserPerMinute, description: "Highest calls per user per minute an MCP API may admit." },
            perSessionPerMinute: { type: "integer", minimum: 1, default: defaultRateLimitCaps.perSessionPerMinute, description: "Highest calls per session per minute." },
            perUserToolPerMinute: { type: "integer", minimum: 1, default: defaultRateLimitCaps.perUserToolPerMinute, description: "Highest calls per user and tool per minute." },
            perUserDailyQuota: { type: "integer", minimum: 1, default: defaultRateLimitCaps.perUserDailyQuota, description: "Highest calls per user per day." },
        },
    },
};

export const azureApimanagementApiEnforceToolAuthorization = stackPolicy({
    name: "azure-apimanagement-api-enforce-tool-authorization",
    description:
        "Every MCP API checks each tools/call against the caller's app roles, read from the validated token's roles claim only (never a request header), " +
        "unconditionally in inbound, answers a tool the caller may not use with 403, and denies (403) a tool the role map does not list. Compared against: the validated token's roles claim and the API's own tool-role map (secure default: an unmapped tool is denied).",
    controls: ["C2.2", "C7.3"],
    component: "gateway",
    severity: "critical",
    remediationSteps:
        "Include the gateway's mcp-tool-authorization fragment in the API policy's inbound section (not inside another condition); " +
        "servers[].tools maps each tool to the app role it requires.",
    validate: (resources, _args, must) =>
        forEachMcpApi(resources, must, (root) => {
            const roleVariables = claimVariables(root, "roles");
            const readsRoles = (text: string) => roleVariables.some((v) => readsVariable(text, v)) || /Jwt[\s\S]*"roles"/.test(text);
            const checks = topLevelBranches(section(root, "inbound")).filter(
                (w) => mentions(w.attributes.condition ?? "", "tools/call") && mentions(allExpressions(w), "roles") && answeredStatuses(w).includes(403),
            );
            if (checks.length === 0) return "authorise every tools/call by the tool's required app role (roles claim), answering 403, in inbound outside any other condition";
            if (!checks.some((w) => findAll(w, "when").some((g) => readsRoles(g.attributes.condition ?? "") && answeredStatuses(g).includes(403)))) {
                return "compare the tool's required role with the validated token's roles claim (a variable set from the token, never a request header)";
            }
            // The required role comes from the map; an unmapped tool leaves it empty and must be denied.
            const denied = checks.some((w) => {
                const mapped = [...variables(w).keys()];
                return findAll(w, "when").some((g) => mapped.some((v) => readsVariable(g.attributes.condition ?? "", v) && /==\s*""/.test(g.attributes.condition ?? "")) && answeredStatuses(g).includes(403));
            });
            return denied ? undefined : "deny (403) a tool the role map does not list (a check that the tool's required role is empty)";
        }),
});
