import { securityEvents } from "../../../policy-pack/contract/events";
import { auditTrace, bearerChallenge, csString, isToolsCall, reject, rpcCodes, securityHeaderElements, setHeader, str, vars, when } from "./expressions";
import { fragment } from "./settings";
import { el } from "./xml";

/**
 * Inbound authentication and authorisation fragments: the RFC 9728 metadata document and
 * challenge, the validated token's identity, the tools/call tool → app role check (C2.2) and the
 * per-call audit event (C5.1).
 */

/** RFC 9728: the protected resource metadata document, the one operation answered without a token. */
export const resourceMetadataFragment = fragment(
    "mcp-resource-metadata",
    "Answers GET /.well-known/oauth-protected-resource (RFC 9728) from policy; every other operation continues to token validation.",
    () => {
    return [
        when(`context.Request.Method == "GET" && context.Operation.UrlTemplate == "/.well-known/oauth-protected-resource"`, [
            el(
                "return-response",
                {},
                el("set-status", { code: 200, reason: "OK" }),
                setHeader("Content-Type", "application/json"),
                securityHeaderElements(),
                el("set-body", {}, `@(${str(vars.resourceMetadata)})`),
            ),
        ]),
    ];
});


/** A request without a bearer token gets the RFC 9728 challenge so clients can discover sign-in. */
export const bearerRequiredFragment = fragment(
    "mcp-bearer-required",
    "Answers a request without a bearer token with 401 and WWW-Authenticate: Bearer resource_metadata=… (RFC 9728).",
    () => {
    return [
        when(
            `!context.Request.Headers.GetValueOrDefault("Authorization", "").StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)`,
            reject(
                securityEvents.tokenRejected,
                {
                    status: 401,
                    reason: "Unauthorized",
                    code: rpcCodes.unauthorized,
                    message: "Authentication required.",
                    headers: { "WWW-Authenticate": bearerChallenge() },
                },
                csString("no bearer token"),
            ),
        ),
    ];
});

const jwt = `((Jwt)context.Variables[${csString(vars.jwt)}])`;

/** After validate-azure-ad-token: the caller's oid/app id/roles as variables; expiry and oid required. */
export const identityFragment = fragment(
    "mcp-identity",
    "Copies oid, client app id and roles of the validated token into variables; rejects a token without expiry or oid.",
    () => {
    return [
        el("set-variable", { name: vars.oid, value: `@(${jwt}.Claims.GetValueOrDefault("oid", ""))` }),
        el("set-variable", {
            name: vars.appId,
            value: `@(${jwt}.Claims.GetValueOrDefault("azp", ${jwt}.Claims.GetValueOrDefault("appid", "")))`,
        }),
        el("set-variable", { name: vars.roles, value: `@(${jwt}.Claims.GetValueOrDefault("roles", ""))` }),
        when(
            `!${jwt}.ExpirationTime.HasValue || ${str(vars.oid)} == ""`,
            reject(
                securityEvents.tokenRejected,
                {
                    status: 401,
                    reason: "Unauthorized",
                    code: rpcCodes.unauthorized,
                    message: "Invalid token.",
                    headers: { "WWW-Authenticate": bearerChallenge("invalid_token") },
                },
                csString("token without exp or oid"),
            ),
        ),
    ];
});


/** tools/call tool name → required app role (C2.2); a tool missing from the map is denied. */
export const toolAuthorizationFragment = fragment(
    "mcp-tool-authorization",
    "tools/call: looks the tool up in the server's tool→role map and requires that app role in the token's roles claim.",
    () => {
    const lookup =
        "@{\n" +
        `foreach (var pair in ${str(vars.toolRoles)}.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries)) {\n` +
        "var i = pair.IndexOf('=');\n" +
        `if (i > 0 && pair.Substring(0, i) == ${str(vars.toolName)}) { return pair.Substring(i + 1); }\n` +
        "}\n" +
        'return "";\n' +
        "}";
    const forbidden = { status: 403, reason: "Forbidden", code: rpcCodes.forbidden, message: "Not allowed to call this tool." };
    return [
        when(isToolsCall, [
            el("set-variable", { name: vars.requiredRole, value: lookup }),
            el(
                "choose",
                {},
                el("when", { condition: `@(${str(vars.requiredRole)} == "")` }, reject(securityEvents.toolForbidden, forbidden, csString("tool not in the approved tool map"))),
                el(
                    "when",
                    { condition: `@(!${str(vars.roles)}.Split(',').Select(r => r.Trim()).Contains(${str(vars.requiredRole)}))` },
                    reject(securityEvents.toolForbidden, forbidden, `"missing app role " + ${str(vars.requiredRole)}`),
                ),
            ),
        ]),
    ];
});

/**
 * C5.1, C10.4: one audit event per MCP request that passed token validation, session binding, rate
 * limits, tool authorisation and Prompt Shields, i.e. for every request about to be forwarded.
 */
export const auditFragment = fragment(
    "mcp-audit",
    "Emits the mcp.audit.call event (server, oid, app id, method, tool, session hash; never arguments, tokens or session ids) for every forwarded request.",
    () => {
    return [
        auditTrace(),
    ];
});
