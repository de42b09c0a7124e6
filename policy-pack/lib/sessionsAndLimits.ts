import { allExpressions, findAll, PolicyElement, section } from "./apimXml";
import { answeredStatuses, claimVariables, direct, guards, mentions, readsRequest, readsVariable, variables } from "./mcpApis";

/**
 * Session binding and rate limits of an MCP API, read from its resolved policy document and
 * compared with the declared or capped values (M4, C8.1–C8.3, C7.4, C4.1). Used by
 * policies/gateway/mcpApiAccess.ts.
 */

/** Smallest length a session id check may admit: shorter ids are guessable, not cryptographically random (C8.1). */
export const minimumSessionIdLength = 16;
/** Secure defaults for session lifetimes (seconds) when the declaration states none; the pack config can lower them (C8.3). */
export const defaultMaxSessionIdleSeconds = 3600;
export const defaultMaxSessionLifetimeSeconds = 86_400;

export interface SessionConfig {
    readonly maxSessionIdleSeconds: number;
    readonly maxSessionLifetimeSeconds: number;
}

const isSessionKey = (key: string) => mentions(key, "session");

/** Why the session checks of `root` fall short, or undefined (M4, C8.1–C8.3, C7.4). */
export function sessionProblem(root: PolicyElement, idleCap: number, lifetimeCap: number): string | undefined {
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

/** Caps on the gateway's limits when the declaration states none (calls per minute, quota per day) (C4.1). */
export const defaultRateLimitCaps = { perUserPerMinute: 600, perSessionPerMinute: 300, perUserToolPerMinute: 300, perUserDailyQuota: 100_000 } as const;
export type RateLimitCaps = { -readonly [K in keyof typeof defaultRateLimitCaps]: number };

/** A limit's rate over `window` seconds, from its literal calls and renewal-period; undefined when either is not a positive literal. */
function rateOver(limit: PolicyElement, window: number): number | undefined {
    const calls = Number(limit.attributes.calls);
    const period = Number(limit.attributes["renewal-period"]);
    if (!(calls > 0) || !(period > 0)) return undefined;
    return (calls * window) / Math.min(period, window);
}

export function rateLimitProblem(root: PolicyElement, caps: RateLimitCaps): string | undefined {
    const inbound = section(root, "inbound");
    if (!inbound) return "rate-limit every caller in inbound (no inbound section)";
    const oidVariables = claimVariables(root, "oid");
    // A session counter is keyed on the session as bound to the validated caller: a session variable derived from the oid claim (the
    // gateway's session hash of oid and session id), or the session id together with the oid; a bare header value is the caller's choice.
    const bound = [...variables(root).entries()].filter(([name, value]) => mentions(name, "session") && oidVariables.some((v) => readsVariable(value, v))).map(([name]) => name);
    const sessionIds = [...variables(root).keys()].filter((name) => mentions(name, "session"));
    const key = (e: PolicyElement) => e.attributes["counter-key"] ?? "";
    const keyedOnUser = (k: string) => oidVariables.some((v) => readsVariable(k, v)) && !readsRequest(k);
    const onUser = (e: PolicyElement) => keyedOnUser(key(e));
    const onSession = (e: PolicyElement) =>
        !readsRequest(key(e)) && (bound.some((v) => readsVariable(key(e), v)) || (onUser(e) && sessionIds.some((v) => readsVariable(key(e), v))));
    const onTool = (e: PolicyElement) => onUser(e) && mentions(key(e), "tool");
    const limits = findAll(inbound, "rate-limit-by-key");
    const checks: [string, PolicyElement[], number, number][] = [
        ["per user (rate-limit-by-key on the validated oid, in inbound outside any condition)", direct(inbound, "rate-limit-by-key").filter((e) => onUser(e) && !onTool(e) && !onSession(e)), caps.perUserPerMinute, 60],
        ["per session (rate-limit-by-key on the session)", limits.filter(onSession), caps.perSessionPerMinute, 60],
        ["per user and tool (rate-limit-by-key on the validated oid and the tool name)", limits.filter(onTool), caps.perUserToolPerMinute, 60],
        [
            "with a daily quota per user (quota-by-key on the validated oid, or a per-UTC-day cache counter refused with 429, outside any condition)",
            [...direct(inbound, "quota-by-key").filter(onUser), ...cacheDailyQuotas(inbound, keyedOnUser)],
            caps.perUserDailyQuota,
            86_400,
        ],
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


/**
 * The daily quota where quota-by-key does not exist (the v2 tiers): a per-user counter in the cache
 * keyed by the UTC day, looked up and stored unconditionally in inbound, with a guard that refuses
 * at a literal limit with 429. Returned as the equivalent quota-by-key (calls per 86400 seconds).
 */
function cacheDailyQuotas(inbound: PolicyElement, keyedOnUser: (key: string) => boolean): PolicyElement[] {
    const stored = new Set(direct(inbound, "cache-store-value").map((e) => e.attributes.key ?? ""));
    return direct(inbound, "cache-lookup-value")
        .filter((l) => keyedOnUser(l.attributes.key ?? "") && (l.attributes.key ?? "").includes("yyyy-MM-dd") && stored.has(l.attributes.key ?? ""))
        .flatMap((l) => {
            const counter = l.attributes["variable-name"] ?? "";
            return findAll(inbound, "when")
                .filter((w) => readsVariable(w.attributes.condition ?? "", counter) && answeredStatuses(w).includes(429))
                .flatMap((w) => [...(w.attributes.condition ?? "").matchAll(/>=\s*(\d+)/g)].map((m) => m[1]))
                .map((calls) => ({ name: "quota-by-key", attributes: { calls, "renewal-period": "86400", "counter-key": l.attributes.key ?? "" }, children: [], text: "" }));
        });
}
