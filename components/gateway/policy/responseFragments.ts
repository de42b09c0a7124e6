import { securityEvents } from "../../../policy-pack/contract/events";
import { bearerChallenge, csString, errorResponse, reject, rpcCodes, rpcMethod, securityHeaderElements, str, vars, when } from "./expressions";
import { el } from "./xml";
import { fragment } from "./settings";

/**
 * Backend and response fragments: forwarding (streaming except tools/list), the security headers
 * and header removal (C8.4, C1.4), and the on-error answers without internals.
 */

/**
 * Streams responses (SSE) except tools/list, which the manifest check must read whole (C4.3 timeout).
 * A streamed tools/list answer is buffered too: it is one JSON-RPC response, and a server ends the
 * POST's stream once it has answered (MCP Streamable HTTP), so buffering costs one answer's size.
 * `timeout` bounds only the wait for response headers (Learn, forward-request): a server that keeps
 * a tools/list stream open holds that request until the gateway's own limits, never other traffic.
 */
export const forwardFragment = fragment(
    "mcp-forward",
    "Forwards to the backend with a header timeout; buffers only tools/list responses so SSE streams flow.",
    (settings) => {
    const timeout = settings.backendTimeoutSeconds ?? 60;
    return [
        when(`${rpcMethod} == "tools/list"`, [el("forward-request", { timeout, "buffer-response": "true" })], [
            el("forward-request", { timeout, "buffer-response": "false" }),
        ]),
    ];
});


/** C8.4: HSTS, nosniff, no-store, frame deny; removes headers that reveal the stack. */
export const securityHeadersFragment = fragment(
    "mcp-security-headers",
    "Sets HSTS, nosniff, no-store, frame deny and CSP; removes Server, X-Powered-By, X-AspNet-Version.",
    () => {
    return [...securityHeaderElements()];
});

/**
 * Variable and C# block of the audience/issuer and client-not-allowed details: a JSON object with
 * the rejected token's own `aud`, `iss`, `appid`/`azp`, `oid` and `tid` claims, read without
 * validation (`AsJwt()` only decodes) and marked `"unverified": true`, each capped at 256
 * characters. The Sentinel rule mcp-token-audience-mismatch reads it (components/monitoring/rules/gateway.ts).
 */
const unverifiedTokenVar = "mcpUnverifiedToken";
const unverifiedTokenExpression =
    "@{\n" +
    'var jwt = context.Request.Headers.GetValueOrDefault("Authorization", "").Split(' + "' '" + ').Last().AsJwt();\n' +
    "var e = new JObject();\n" +
    'e["unverified"] = true;\n' +
    'e["reason"] = context.LastError.Reason ?? "";\n' +
    'var aud = jwt == null ? "" : string.Join(" ", jwt.Audiences);\n' +
    'var iss = jwt == null ? "" : (jwt.Issuer ?? "");\n' +
    'var appid = jwt == null ? "" : jwt.Claims.GetValueOrDefault("azp", jwt.Claims.GetValueOrDefault("appid", ""));\n' +
    'var oid = jwt == null ? "" : jwt.Claims.GetValueOrDefault("oid", "");\n' +
    'var tid = jwt == null ? "" : jwt.Claims.GetValueOrDefault("tid", "");\n' +
    'e["aud"] = aud.Length > 256 ? aud.Substring(0, 256) : aud;\n' +
    'e["iss"] = iss.Length > 256 ? iss.Substring(0, 256) : iss;\n' +
    'e["appid"] = appid.Length > 256 ? appid.Substring(0, 256) : appid;\n' +
    'e["oid"] = oid.Length > 256 ? oid.Substring(0, 256) : oid;\n' +
    'e["tid"] = tid.Length > 256 ? tid.Substring(0, 256) : tid;\n' +
    "return e.ToString(Newtonsoft.Json.Formatting.None);\n" +
    "}";

/**
 * Condition of the client-not-allowed answer (M3), decided from the token itself rather than from
 * `LastError.Reason`: Learn documents no reasons for validate-azure-ad-token, so a reason test never
 * fires (a client outside the allow-list got 401 token-rejected and the Sentinel event never came).
 * The token is decoded unverified (`AsJwt()` only decodes): issued by the platform tenant (either
 * Entra issuer form), for one of this API's audiences, by a client (`azp`, else `appid`) outside the
 * allow-list the API policy sets from the same list as validate-azure-ad-token (vars.clientApplicationIds).
 * A forged token naming an unlisted client is refused the same way: the event detail carries the
 * claims marked unverified. An empty list (no API policy variables) decides nothing: 401 as before.
 */
const clientNotAllowedCondition = (isToken: string) =>
    "@{\n" +
    `if (!(${isToken})) { return false; }\n` +
    `var allowed = ${str(vars.clientApplicationIds)}.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);\n` +
    `var audiences = ${str(vars.audiences)}.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);\n` +
    `var tenant = ${str(vars.tenantId)};\n` +
    'if (allowed.Length == 0 || audiences.Length == 0 || tenant == "") { return false; }\n' +
    'var jwt = context.Request.Headers.GetValueOrDefault("Authorization", "").Split(' + "' '" + ').Last().AsJwt();\n' +
    "if (jwt == null) { return false; }\n" +
    'var iss = jwt.Issuer ?? "";\n' +
    'if (iss != "https://login.microsoftonline.com/" + tenant + "/v2.0" && iss != "https://sts.windows.net/" + tenant + "/") { return false; }\n' +
    "if (jwt.Audiences == null || !jwt.Audiences.Any(a => audiences.Contains(a))) { return false; }\n" +
    'var appid = jwt.Claims.GetValueOrDefault("azp", jwt.Claims.GetValueOrDefault("appid", ""));\n' +
    "return !allowed.Contains(appid);\n" +
    "}";

/** on-error: token failures become RFC 6750/9728 challenges, limits become 429, anything else a bare JSON-RPC error. */
export const onErrorFragment = fragment(
    "mcp-on-error",
    "Maps token, rate-limit and quota failures to their security events and answers; every other error is a JSON-RPC error without internals.",
    () => {
    const reason = `(context.LastError.Reason ?? "")`;
    const isToken = `context.LastError.Source == "validate-azure-ad-token" || context.LastError.Source == "validate-jwt"`;
    const challenge = (error: "invalid_token" | "insufficient_scope") => ({ "WWW-Authenticate": bearerChallenge(error) });
    const quotaRetry =
        '(Regex.IsMatch(context.LastError.Message ?? "", @"\\d+:\\d{2}:\\d{2}") ? ((int)TimeSpan.Parse(Regex.Match(context.LastError.Message, @"\\d+:\\d{2}:\\d{2}").Value).TotalSeconds).ToString() : "3600")';
    // rate-limit-by-key stores the retry interval as a number, so it is read untyped.
    const retryVar = csString(vars.retryAfter);
    const retryAfter = `(${reason} == "QuotaExceeded" ? ${quotaRetry} : context.Variables.ContainsKey(${retryVar}) ? Convert.ToString(context.Variables[${retryVar}]) : "60")`;
    return [
        el(
            "choose",
            {},
            el(
                "when",
                // Audience and issuer failures (another API's token, another tenant's token): M1, C7.2.
                { condition: `@((${isToken}) && (${reason}.Contains("Audience") || ${reason}.Contains("Issuer")))` },
                // Identity has not run yet (oid/appid are empty): record the token's own claims, unverified.
                el("set-variable", { name: unverifiedTokenVar, value: unverifiedTokenExpression }),
                reject(
                    securityEvents.audienceMismatch,
                    { status: 401, reason: "Unauthorized", code: rpcCodes.unauthorized, message: "Invalid token.", headers: challenge("invalid_token") },
                    str(unverifiedTokenVar),
                ),
            ),
            el(
                "when",
                // A client application outside the allow-list (M3): decided from the token, whatever the reason says.
                { condition: clientNotAllowedCondition(isToken) },
                el("set-variable", { name: unverifiedTokenVar, value: unverifiedTokenExpression }),
                reject(
                    securityEvents.clientNotAllowed,
                    { status: 403, reason: "Forbidden", code: rpcCodes.forbidden, message: "Client application not allowed.", headers: challenge("invalid_token") },
                    str(unverifiedTokenVar),
                ),
            ),
            el(
                "when",
                { condition: `@((${isToken}) && ${reason}.Contains("Claim"))` },
                reject(
                    securityEvents.claimMissing,
                    { status: 403, reason: "Forbidden", code: rpcCodes.forbidden, message: "Insufficient scope.", headers: challenge("insufficient_scope") },
                    reason,
                ),
            ),
            el(
                "when",
                { condition: `@(${isToken})` },
                reject(
                    securityEvents.tokenRejected,
                    { status: 401, reason: "Unauthorized", code: rpcCodes.unauthorized, message: "Invalid token.", headers: challenge("invalid_token") },
                    reason,
                ),
            ),
            el(
                "when",
                { condition: `@(${reason} == "RateLimitExceeded" || ${reason} == "QuotaExceeded")` },
                reject(
                    securityEvents.rateLimited,
                    {
                        status: 429,
                        reason: "Too Many Requests",
                        code: rpcCodes.tooManyRequests,
                        message: "Rate limit exceeded.",
                        headers: { "Retry-After": retryAfter },
                    },
                    `${reason} + " " + (context.LastError.PolicyId ?? "")`,
                ),
            ),
            el(
                "when",
                { condition: `@(${reason} == "BackendConnectionFailure" || ${reason} == "Timeout")` },
                [errorResponse({ status: 502, reason: "Bad Gateway", code: rpcCodes.badGateway, message: "Upstream unavailable." })],
            ),
            el("otherwise", {}, errorResponse({ status: 500, reason: "Internal Server Error", code: rpcCodes.internalError, message: "Request failed." })),
        ),
    ];
});
