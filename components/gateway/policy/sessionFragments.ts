import { securityEvents } from "../../../policy-pack/contract/events";
import { csString, deleteHeader, reject, rpcCodes, rpcMethod, str, vars, when } from "./expressions";
import { el } from "./xml";
import { fragment, sessionIdPattern } from "./settings";

/**
 * Session binding for the 2025-11-25 revision (M4, C8.2, C8.3): the inbound check of every
 * presented Mcp-Session-Id and the outbound binding of the id the server mints on initialize.
 */

const sessionBindingKey = `"mcp-session:" + ${str(vars.server)} + ":" + ${str(vars.oid)} + ":" + ${str(vars.sessionId)}`;
const sessionOwnerKey = `"mcp-session-owner:" + ${str(vars.server)} + ":" + ${str(vars.sessionId)}`;
const sessionIdHeader = `context.Request.Headers.GetValueOrDefault("Mcp-Session-Id", "")`;

/** Session binding for 2025-11-25 (M4, C8.2, C8.3): `<oid>:<session id>` with idle and absolute lifetimes. */
export const sessionFragment = fragment(
    "mcp-session",
    "2025-11-25 sessions: initialize marks the binding for the response; other requests need a well-formed Mcp-Session-Id bound to the caller's oid " + "(403 for another user, 404 when unknown or expired); DELETE ends the binding. Stateless revisions never forward a session id.",
    (settings) => {
    const isLegacy = `${str(vars.era)} == "legacy"`;
    const isInitialize = `${rpcMethod} == "initialize"`;
    const created = str(vars.sessionCreated);
    const owner = str(vars.sessionOwner);
    const malformed = (detail: string) =>
        reject(
            securityEvents.sessionMalformed,
            { status: 400, reason: "Bad Request", code: rpcCodes.invalidRequest, message: "Invalid or missing Mcp-Session-Id." },
            csString(detail),
        );
    const remove = [
        el("cache-remove-value", { key: `@(${sessionBindingKey})`, "caching-type": "internal" }),
        el("cache-remove-value", { key: `@(${sessionOwnerKey})`, "caching-type": "internal" }),
    ];
    const notFound = (detail: string) =>
        reject(
            securityEvents.sessionUnknown,
            { status: 404, reason: "Not Found", code: rpcCodes.notFound, message: "Session not found." },
            csString(detail),
        );
    return [
        when(
            isLegacy,
            [
                el("set-variable", { name: vars.sessionId, value: `@(${sessionIdHeader})` }),
                el(
                    "choose",
                    {},
                    el("when", { condition: `@(${isInitialize} && ${str(vars.sessionId)} != "")` }, malformed("initialize with a session id")),
                    el("when", { condition: `@(${isInitialize})` }, [el("set-variable", { name: vars.bindSession, value: "true" })]),
                    el("when", { condition: `@(${str(vars.sessionId)} == "")` }, malformed("missing session id")),
                    el(
                        "when",
                        { condition: `@(!Regex.IsMatch(${str(vars.sessionId)}, ${csString(sessionIdPattern)}))` },
                        malformed("session id outside visible ASCII or of the wrong length"),
                    ),
                    el(
                        "otherwise",
                        {},
                        el("set-variable", { name: vars.sessionHash, value: sessionHashExpression(str(vars.sessionId)) }),
                        el("cache-lookup-value", {
                            key: `@(${sessionBindingKey})`,
                            "variable-name": vars.sessionCreated,
                            "default-value": "",
                            "caching-type": "internal",
                        }),
                        el("cache-lookup-value", {
                            key: `@(${sessionOwnerKey})`,
                            "variable-name": vars.sessionOwner,
                            "default-value": "",
                            "caching-type": "internal",
                        }),
                        el(
                            "choose",
                            {},
                            el(
                                "when",
                                { condition: `@(${created} == "" && ${owner} != "" && ${owner} != ${str(vars.oid)})` },
                                reject(
                                    securityEvents.sessionUserMismatch,
                                    { status: 403, reason: "Forbidden", code: rpcCodes.forbidden, message: "Session belongs to another user." },
                                    csString("session bound to another oid"),
                                ),
                            ),
                            el("when", { condition: `@(${created} == "")` }, notFound("unknown or idle-expired session")),
                            el(
                                "when",
                                {
                                    condition: `@(DateTime.UtcNow.Subtract(new DateTime(long.Parse(${created}), DateTimeKind.Utc)).TotalSeconds > ${settings.sessionAbsoluteSeconds})`,
                                },
                                [...remove, ...notFound("absolute session lifetime exceeded")],
                            ),
                            el("when", { condition: `@(context.Request.Method == "DELETE")` }, remove),
                            el(
                                "otherwise",
                                {},
                                el("cache-store-value", {
                                    key: `@(${sessionBindingKey})`,
                                    value: `@(${created})`,
                                    duration: settings.sessionIdleSeconds,
                                    "caching-type": "internal",
                                }),
                            ),
                        ),
                    ),
                ),
            ],
            [deleteHeader("Mcp-Session-Id")],
        ),
    ];
});

/** First 16 hex of SHA-256(oid:session id): correlates events without logging the session id. */
function sessionHashExpression(sessionId: string): string {
    return (
        "@{\n" +
        // No `using`: IDisposable is not on Learn's list of members allowed in expressions.
        `var bytes = System.Security.Cryptography.SHA256.Create().ComputeHash(Encoding.UTF8.GetBytes(${str(vars.oid)} + ":" + ${sessionId}));\n` +
        'return BitConverter.ToString(bytes).Replace("-", "").Substring(0, 16).ToLowerInvariant();\n' +
        "}"
    );
}


/** Outbound half of the 2025-11-25 binding: the session id the server minted on initialize, bound to the caller. */
export const sessionBindFragment = fragment(
    "mcp-session-bind",
    "After a successful initialize: stores <oid>:<session id> (idle lifetime) and the session's owner (absolute lifetime); a malformed minted id is refused.",
    (settings) => {
    const minted = `context.Response.Headers.GetValueOrDefault("Mcp-Session-Id", "")`;
    return [
        when(`${str(vars.bindSession)} == "true" && context.Response.StatusCode == 200 && ${minted} != ""`, [
            el("set-variable", { name: vars.sessionId, value: `@(${minted})` }),
            el(
                "choose",
                {},
                el(
                    "when",
                    { condition: `@(!Regex.IsMatch(${str(vars.sessionId)}, ${csString(sessionIdPattern)}))` },
                    reject(
                        securityEvents.sessionMalformed,
                        { status: 502, reason: "Bad Gateway", code: rpcCodes.badGateway, message: "Upstream session could not be established." },
                        csString("server minted a malformed session id"),
                    ),
                ),
                el(
                    "otherwise",
                    {},
                    el("set-variable", { name: vars.sessionHash, value: sessionHashExpression(str(vars.sessionId)) }),
                    el("cache-store-value", {
                        key: `@(${sessionBindingKey})`,
                        value: "@(DateTime.UtcNow.Ticks.ToString())",
                        duration: settings.sessionIdleSeconds,
                        "caching-type": "internal",
                    }),
                    el("cache-store-value", {
                        key: `@(${sessionOwnerKey})`,
                        value: `@(${str(vars.oid)})`,
                        duration: settings.sessionAbsoluteSeconds,
                        "caching-type": "internal",
                    }),
                ),
            ),
        ]),
    ];
});
