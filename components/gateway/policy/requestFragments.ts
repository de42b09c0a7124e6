import { securityEvents } from "../../../policy-pack/contract/events";
import { csString, errorResponse, reject, rpcCodes, str, vars, when } from "./expressions";
import { el, XmlElement } from "./xml";
import { envelopeExpression, versionCheckExpression } from "./requestExpressions";
import { fragment } from "./settings";
import { isStatelessRevision } from "../../../policy-pack/contract/revisions";

/**
 * Inbound request checks: the Origin allow-list, the JSON-RPC envelope with content type and size
 * limits (C1.1, C1.2, C9.4), and the MCP protocol version of both revisions (C3.4).
 */

/** Client address as the edge saw it: the last X-Forwarded-For hop (appended by the Application Gateway). */
const clientIpExpression =
    "@{\n" +
    'var xff = context.Request.Headers.GetValueOrDefault("X-Forwarded-For", "");\n' +
    'if (xff == "") { return context.Request.IpAddress; }\n' +
    "var hop = xff.Split(',').Last().Trim();\n" +
    "var colon = hop.LastIndexOf(':');\n" +
    "return (colon > 0 && hop.IndexOf(':') == colon) ? hop.Substring(0, colon) : hop;\n" +
    "}";

/** DNS-rebinding defence both revisions require: an `Origin` outside the allow-list gets 403. */
export const originFragment = fragment(
    "mcp-origin",
    "Records the client address and rejects a present Origin header that is not in the allow-list (403).",
    (settings) => {
    const allowed = `new string[] { ${settings.allowedOrigins.map(csString).join(", ")} }`;
    return [
        el("set-variable", { name: vars.clientIp, value: clientIpExpression }),
        when(
            `context.Request.Headers.ContainsKey("Origin") && !${allowed}.Contains(context.Request.Headers.GetValueOrDefault("Origin", ""))`,
            reject(
                securityEvents.originRejected,
                { status: 403, reason: "Forbidden", code: rpcCodes.forbidden, message: "Origin not allowed." },
                `context.Request.Headers.GetValueOrDefault("Origin", "")`,
            ),
        ),
    ];
});


const envelopeField = (field: string) => `(string)JObject.Parse(${str(vars.envelope)})[${csString(field)}]`;

/** JSON-RPC envelope and size validation (C1.1, C1.2). */
export const envelopeFragment = fragment(
    "mcp-envelope",
    "POST bodies: JSON media type, at most maxRequestBytes, one JSON-RPC 2.0 request, notification or response (no batches); extracts method, id and tool name.",
    (settings) => {
    const isPost = `context.Request.Method == "POST"`;
    return [
        when(isPost, [
            when(
                `!context.Request.Headers.GetValueOrDefault("Content-Type", "").Trim().StartsWith("application/json", StringComparison.OrdinalIgnoreCase)`,
                reject(securityEvents.envelopeRejected, {
                    status: 415,
                    reason: "Unsupported Media Type",
                    code: rpcCodes.unsupportedMediaType,
                    message: "Content-Type must be application/json.",
                }),
            ),
            // A Content-Length that is not 1–15 digits would make long.Parse throw (500, no event).
            when(
                `!Regex.IsMatch(context.Request.Headers.GetValueOrDefault("Content-Length", "0"), "^[0-9]{1,15}$")`,
                reject(
                    securityEvents.envelopeRejected,
                    { status: 400, reason: "Bad Request", code: rpcCodes.invalidRequest, message: "Invalid JSON-RPC request." },
                    csString("Content-Length is not a number"),
                ),
            ),
            when(
                `long.Parse(context.Request.Headers.GetValueOrDefault("Content-Length", "0")) > ${settings.maxRequestBytes}`,
                reject(securityEvents.envelopeRejected, {
                    status: 413,
                    reason: "Payload Too Large",
                    code: rpcCodes.payloadTooLarge,
                    message: "Request body too large.",
                }),
            ),
            // Learn: context.Request.Body is null when the request has no body (the envelope then reports "body is empty").
            el("set-variable", { name: vars.body, value: `@(context.Request.Body == null ? "" : (context.Request.Body.As<string>(preserveContent: true) ?? ""))` }),
            when(
                `Encoding.UTF8.GetByteCount(${str(vars.body)}) > ${settings.maxRequestBytes}`,
                reject(securityEvents.envelopeRejected, {
                    status: 413,
                    reason: "Payload Too Large",
                    code: rpcCodes.payloadTooLarge,
                    message: "Request body too large.",
                }),
            ),
            el("set-variable", { name: vars.envelope, value: envelopeExpression(str(vars.body)) }),
            el("set-variable", { name: vars.rpcMethod, value: `@(${envelopeField("method")} ?? "")` }),
            el("set-variable", { name: vars.rpcId, value: `@(${envelopeField("id")} ?? "")` }),
            el("set-variable", { name: vars.toolName, value: `@(${envelopeField("tool")} ?? "")` }),
            when(
                `${envelopeField("error")} != ""`,
                reject(
                    securityEvents.envelopeRejected,
                    { status: 400, reason: "Bad Request", code: rpcCodes.invalidRequest, message: "Invalid JSON-RPC request." },
                    envelopeField("error"),
                ),
            ),
        ]),
    ];
});

/** MCP protocol version for both revisions (C3.4); header/body mismatches get -32020 as 2026-07-28 mandates. */
export const protocolVersionFragment = fragment(
    "mcp-protocol-version",
    "Accepts only the configured MCP revisions: MCP-Protocol-Version header and initialize params.protocolVersion (2025-11-25), _meta io.modelcontextprotocol/protocolVersion with matching MCP-Protocol-Version, Mcp-Method and Mcp-Name headers (stateless revisions).",
    (settings) => {
    const check = (field: string) => `(string)JObject.Parse(${str(vars.versionCheck)})[${csString(field)}]`;
    const versionData = (versions: readonly string[]) =>
        `new JObject(new JProperty("supported", new JArray(${versions.map(csString).join(", ")})), new JProperty("requested", ${check("version")}))`;
    // A stateless request's -32022 lists what it can retry with: the stateless revisions, as
    // server/discover's supportedVersions does (the conformance suite compares the two). Legacy
    // (initialize) errors list every accepted revision.
    const stateless = settings.protocolVersions.filter(isStatelessRevision);
    return [
        el("set-variable", { name: vars.versionCheck, value: versionCheckExpression(settings.protocolVersions, str(vars.envelope)) }),
        el("set-variable", { name: vars.era, value: `@(${check("era")})` }),
        el(
            "choose",
            {},
            el(
                "when",
                { condition: `@(${check("status")} == "unsupported")` },
                reject(
                    securityEvents.protocolVersionRejected,
                    {
                        status: 400,
                        reason: "Bad Request",
                        code: rpcCodes.unsupportedProtocolVersion,
                        message: "Unsupported protocol version",
                        data: versionData(stateless),
                    },
                    check("detail"),
                ).map((node) =>
                    // Legacy clients know -32602 for an unsupported version (2025-11-25 lifecycle); modern ones -32022.
                    node.name === "return-response" ? legacyAwareVersionError(node, check("era"), versionData(settings.protocolVersions), stateless.length > 0) : node,
                ),
            ),
            el(
                "when",
                { condition: `@(${check("status")} == "invalid-params")` },
                // 2026-07-28 basic/index: a request missing a required per-request _meta field is malformed: -32602, HTTP 400.
                reject(
                    securityEvents.protocolVersionRejected,
                    { status: 400, reason: "Bad Request", code: rpcCodes.invalidParams, message: "Invalid params: _meta io.modelcontextprotocol/protocolVersion is required" },
                    check("detail"),
                ),
            ),
            el(
                "when",
                { condition: `@(${check("status")} == "mismatch")` },
                reject(
                    securityEvents.headerBodyMismatch,
                    { status: 400, reason: "Bad Request", code: rpcCodes.headerMismatch, message: "Header mismatch" },
                    check("detail"),
                ),
            ),
            el(
                "when",
                { condition: `@(${check("status")} == "method-not-allowed")` },
                reject(
                    securityEvents.protocolVersionRejected,
                    {
                        status: 405,
                        reason: "Method Not Allowed",
                        code: rpcCodes.methodNotAllowed,
                        message: "Method not allowed for this protocol version.",
                        headers: { Allow: '"POST"' },
                    },
                    check("detail"),
                ),
            ),
        ),
    ];
});

/**
 * Wraps the version error so legacy requests get -32602 and modern ones -32022. A gateway that
 * accepts no stateless revision answers every request the legacy way: a 4xx without a modern error
 * body is what tells a dual-era client to fall back to initialize (2026-07-28 basic/versioning).
 */
function legacyAwareVersionError(modern: XmlElement, eraExpression: string, data: string, servesStateless: boolean): XmlElement {
    const legacy = errorResponse({
        status: 400,
        reason: "Bad Request",
        code: rpcCodes.invalidParams,
        message: "Unsupported protocol version",
        data,
    });
    return servesStateless ? when(`${eraExpression} == "legacy"`, [legacy], [modern]) : legacy;
}
