import { McpStackPolicy, stackPolicy } from "../lib/policy";
import { exemptionsConfigSchema } from "../lib/exemptions";
import { allExpressions, findAll, PolicyElement, section } from "../lib/apimXml";
import type { PolicyResource } from "@pulumi/policy";
import {
    answeredStatuses,
    claimVariables,
    direct,
    forEachMcpApi,
    guards,
    literal,
    mentions,
    operationPolicyProblems,
    readsRequest,
    readsVariable,
    serverOf,
    topLevelBranches,
    variables,
} from "../lib/mcpApis";
import { declaredNumber, declaredServer, declaredString, stricter } from "../lib/declared";
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

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Entra's multi-tenant aliases: an MCP API of one organisation validates tokens of its own tenant only. */
const sharedTenants = ["common", "organizations", "consumers"];
/** Largest clock skew (seconds) validate-jwt may allow: secure default, Entra's own tolerance is 5 minutes. */
export const maxClockSkewSeconds = 300;
const applicationType = "azuread:index/application:Application";

/** Identifier URIs of the stack's Entra applications: the only non-GUID audiences a token may be issued for. */
function identifierUris(resources: readonly PolicyResource[]): Set<string> {
    return new Set(resources.filter((r) => r.type === applicationType).flatMap((a) => (Array.isArray(a.props.identifierUris) ? a.props.identifierUris.map(String) : [])));
}

/** What every validation element shares: the token comes from Authorization only and a failure answers 401. */
function tokenSourceProblem(v: PolicyElement): string | undefined {
    const header = v.attributes["header-name"];
    if (header !== undefined && header.toLowerCase() !== "authorization") return `take the token from the Authorization header only (header-name is ${JSON.stringify(header)})`;
    if (v.attributes["query-parameter-name"] !== undefined || v.attributes["token-value"] !== undefined) {
        return "take the token from the Authorization header only (no query-parameter-name or token-value)";
    }
    const code = v.attributes["failed-validation-httpcode"];
    if (code !== undefined && code !== "401") return `answer a failed validation with 401 (failed-validation-httpcode is ${JSON.stringify(code)})`;
    return undefined;
}

/** Every required claim lists at least one value and every value is a non-empty literal (C7.3). */
function claimsProblem(v: PolicyElement): string | undefined {
    for (const claim of findAll(v, "claim")) {
        const values = findAll(claim, "value");
        if (values.length === 0 || !values.every((x) => literal(x.text))) {
            return `require non-empty literal values for the claim ${claim.attributes.name ?? "(unnamed)"} (an empty or computed value admits any token)`;
        }
    }
    return requiresScopeOrRole(v) ? undefined : requiredClaimsState;
}

/** The audiences: literal, at most one client id (GUID), every other one an identifier URI of the stack's apps (M1, C7.2). */
function audiencesProblem(v: PolicyElement, known: ReadonlySet<string>): string | undefined {
    const audiences = findAll(v, "audience").map((a) => a.text);
    if (audiences.length === 0 || !audiences.every(literal)) return "pin the token audience to literal values (the server's client id and identifier URI)";
    if (audiences.filter((a) => guid.test(a)).length > 1) return `accept one client-id audience only (got ${audiences.filter((a) => guid.test(a)).join(", ")})`;
    const foreign = audiences.filter((a) => !guid.test(a) && !known.has(a));
    if (foreign.length > 0) return `accept only the server app's own audiences (not ${foreign.join(", ")}: no Entra application of this stack has that identifier URI)`;
    return undefined;
}

/** The client allow-list: literal application ids, equal to the declared list when the declaration has one (M3). */
function clientsProblem(clients: readonly string[], declared: readonly string[] | undefined): string | undefined {
    if (clients.length === 0 || !clients.every((c) => literal(c) && guid.test(c.trim()))) {
        return `restrict client-application-ids to a literal allow-list of application ids (got ${clients.join(", ") || "none"})`;
    }
    if (declared) {
        const extra = clients.filter((c) => !declared.includes(c.trim()));
        if (extra.length > 0) return `admit only the declared client applications (${declared.join(", ")}; not ${extra.join(", ")})`;
    }
    return undefined;
}

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

/** Smallest length a session id check may admit: shorter ids are guessable, not cryptographically random (C8.1). */
export const minimumSessionIdLength = 16;
/** Secure defaults for session lifetimes (seconds) when the declaration states none; the pack config can lower them (C8.3). */
export const defaultMaxSessionIdleSeconds = 3600;
export const defaultMaxSessionLifetimeSeconds = 86_400;

interface SessionConfig {
    readonly maxSessionIdleSeconds: number;
    readonly maxSessionLifetimeSeconds: number;
}

const isSessionKey = (key: string) => mentions(key, "session");

/** Why the session checks of `root` fall short, or undefined (M4, C8.1–C8.3, C7.4). */
function sessionProblem(root: PolicyElement, idleCap: number, lifetimeCap: number): string | undefined {
    const inbound = section(root, "inbound") ?? root;
    const oidVariables = claimVariables(root, "oid");
    const keyedOnUser = (key: string) => oidVariables.some((name) => readsVariable(key, name)) && !readsRequest(key.replace(/Mcp-Session-Id/gi, ""));
    const binds = (where: string, name: string) =>
        findAll(section(root, where) ?? root, name).some((e) => keyedOnUser(e.attributes.key ?? "") && isSessionKey(e.attributes.key ?? ""));
    if (!mentions(allExpressions(root), "Mcp-Session-Id")) return "read the Mcp-Session-Id header to bind sessions to users";
    if (oidVariables.length === 0) return "bind sessions to the validated caller (a variable holding the validated token's oid claim)";
    // The server mints the session id in the initialize response, so the binding is stored in outbound.
    if (!binds("outbound", "cache-store-value")) return "store each session binding keyed by the validated caller's oid and the session id (cache-store-value)";
    if (!binds("inbound", "cache-lookup-value")) return "look up the session binding for the validated caller's oid on every request (cache-lookup-value)";
    const formatChecks = guards(inbound, (c) => mentions(c, "Regex.IsMatch"), (code) => code === 400).filter((w) =>
        [...(w.attributes.condition ?? "").matchAll(/\{(\d+),\d*\}/g)].some((m) => Number(m[1]) >= minimumSessionIdLength),
    );
    if (formatChecks.length === 0) {
        return `reject malformed session ids in inbound with 400 (a Regex.IsMatch check admitting no id shorter than ${minimumSessionIdLength} characters)`;
    }
    // Every looked-up binding decides: a guard on its variable rejects (4xx) and none adopts (2xx).
    for (const lookup of findAll(inbound, "cache-lookup-value").filter((e) => isSessionKey(e.attributes.key ?? ""))) {
        const name = lookup.attributes["variable-name"] ?? "";
        const decisions = findAll(inbound, "when").filter((w) => readsVariable(w.attributes.condition ?? "", name));
        const statuses = decisions.flatMap(answeredStatuses);
        if (!statuses.some((c) => c >= 400 && c < 500)) return `reject an unknown or foreign session (a guard on ${name} answering 4xx)`;
        if (statuses.some((c) => c < 400)) return `never adopt an unknown or foreign session (a guard on ${name} answers ${statuses.find((c) => c < 400)})`;
    }
    const stores = findAll(root, "cache-store-value").filter((e) => isSessionKey(e.attributes.key ?? ""));
    const durations = stores.map((e) => Number(e.attributes.duration));
    if (durations.some((d) => !Number.isFinite(d) || d <= 0)) return "store session bindings with a literal duration (a computed one cannot be evaluated and fails closed)";
    if (durations.some((d) => d > lifetimeCap)) return `keep no session binding longer than ${lifetimeCap} seconds (got ${Math.max(...durations)})`;
    const idle = stores.filter((e) => keyedOnUser(e.attributes.key ?? "")).map((e) => Number(e.attributes.duration));
    if (idle.some((d) => d > idleCap)) return `expire idle sessions within ${idleCap} seconds (a user-keyed binding lives ${Math.max(...idle)} seconds)`;
    const lifetimes = findAll(inbound, "when")
        .filter((w) => answeredStatuses(w).some((c) => c >= 400 && c < 500))
        .flatMap((w) => [...(w.attributes.condition ?? "").matchAll(/TotalSeconds\s*>=?\s*(\d+)/g)].map((m) => Number(m[1])));
    if (!lifetimes.some((n) => n <= lifetimeCap)) return `end every session after at most ${lifetimeCap} seconds (a TotalSeconds check answered with 4xx; got ${lifetimes.join(", ") || "none"})`;
    return undefined;
}

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

/** Caps on the gateway's limits when the declaration states none (calls per minute, quota per day) (C4.1). */
export const defaultRateLimitCaps = { perUserPerMinute: 600, perSessionPerMinute: 300, perUserToolPerMinute: 300, perUserDailyQuota: 100_000 } as const;
type RateLimitCaps = { -readonly [K in keyof typeof defaultRateLimitCaps]: number };

/** A limit's rate over `window` seconds, from its literal calls and renewal-period; undefined when either is not a positive literal. */
function rateOver(limit: PolicyElement, window: number): number | undefined {
    const calls = Number(limit.attributes.calls);
    const period = Number(limit.attributes["renewal-period"]);
    if (!(calls > 0) || !(period > 0)) return undefined;
    return (calls * window) / Math.min(period, window);
}

function rateLimitProblem(root: PolicyElement, caps: RateLimitCaps): string | undefined {
    const inbound = section(root, "inbound");
    if (!inbound) return "rate-limit every caller in inbound (no inbound section)";
    const oidVariables = claimVariables(root, "oid");
    const sessionVariables = [...variables(root).entries()].filter(([name]) => mentions(name, "session")).map(([name]) => name);
    const key = (e: PolicyElement) => e.attributes["counter-key"] ?? "";
    const onUser = (e: PolicyElement) => oidVariables.some((v) => readsVariable(key(e), v)) && !readsRequest(key(e));
    const onSession = (e: PolicyElement) => sessionVariables.some((v) => readsVariable(key(e), v)) && !readsRequest(key(e));
    const onTool = (e: PolicyElement) => onUser(e) && mentions(key(e), "tool");
    const limits = findAll(inbound, "rate-limit-by-key");
    const checks: [string, PolicyElement[], number, number][] = [
        ["per user (rate-limit-by-key on the validated oid, in inbound outside any condition)", direct(inbound, "rate-limit-by-key").filter((e) => onUser(e) && !onTool(e) && !onSession(e)), caps.perUserPerMinute, 60],
        ["per session (rate-limit-by-key on the session)", limits.filter(onSession), caps.perSessionPerMinute, 60],
        ["per user and tool (rate-limit-by-key on the validated oid and the tool name)", limits.filter(onTool), caps.perUserToolPerMinute, 60],
        ["with a daily quota per user (quota-by-key on the validated oid, outside any condition)", direct(inbound, "quota-by-key").filter(onUser), caps.perUserDailyQuota, 86_400],
    ];
    for (const [what, found, cap, window] of checks) {
        if (found.length === 0) return `rate-limit every caller ${what}`;
        const rates = found.map((e) => rateOver(e, window));
        if (rates.some((r) => r === undefined)) return `rate-limit ${what} with literal calls and renewal-period (a computed value cannot be evaluated and fails closed)`;
        const loosest = Math.min(...(rates as number[]));
        if (loosest > cap) return `rate-limit ${what} to at most ${cap} calls per ${window === 60 ? "minute" : "day"} (got ${Math.round(loosest)})`;
    }
    return undefined;
}

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
