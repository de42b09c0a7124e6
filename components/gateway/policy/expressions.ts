import { auditEventFields, securityEvents, SecurityEventName, traceSource } from "../../../policy-pack/contract/events";
import { el, XmlElement } from "./xml";

/**
 * C# building blocks shared by the gateway's policy documents. Everything here returns plain
 * strings (C# source) or elements; the XML library does all escaping. Only members API Management
 * allows in policy expressions are used (context, JObject/JToken/JArray, Regex, SHA256, Encoding,
 * Convert, BitConverter, LINQ, DateTime, StringComparer).
 */

/** Context variables the API policy and the fragments share (all `System.String`). */
export const vars = {
    server: "mcpServer",
    resourceMetadata: "mcpResourceMetadata",
    resourceMetadataUrl: "mcpResourceMetadataUrl",
    scope: "mcpScope",
    tenantId: "mcpTenantId",
    audiences: "mcpAudiences",
    clientApplicationIds: "mcpClientApplicationIds",
    toolRoles: "mcpToolRoles",
    manifestDigest: "mcpManifestDigest",
    jwt: "mcpJwt",
    oid: "mcpOid",
    appId: "mcpAppId",
    roles: "mcpRoles",
    clientIp: "mcpClientIp",
    body: "mcpBody",
    envelope: "mcpEnvelope",
    rpcMethod: "mcpRpcMethod",
    rpcId: "mcpRpcId",
    toolName: "mcpToolName",
    versionCheck: "mcpVersionCheck",
    era: "mcpProtocolEra",
    sessionId: "mcpSessionId",
    sessionHash: "mcpSessionHash",
    sessionCreated: "mcpSessionCreated",
    sessionOwner: "mcpSessionOwner",
    bindSession: "mcpBindSession",
    requiredRole: "mcpRequiredRole",
    shieldInput: "mcpShieldInput",
    shieldResponse: "mcpShieldResponse",
    shieldVerdict: "mcpShieldVerdict",
    manifestActual: "mcpManifestActual",
    retryAfter: "mcpRetryAfter",
    quotaUsed: "mcpQuotaUsed",
} as const;

/**
 * Gateway-defined JSON-RPC error codes. MCP reserves -32000…-32099 and asks for application codes
 * outside the JSON-RPC range, so the gateway uses -31000 minus nothing but the HTTP status.
 */
export const rpcCodes = {
    parseError: -32700,
    invalidRequest: -32600,
    invalidParams: -32602,
    headerMismatch: -32020,
    unsupportedProtocolVersion: -32022,
    unauthorized: -31401,
    forbidden: -31403,
    notFound: -31404,
    methodNotAllowed: -31405,
    payloadTooLarge: -31413,
    unsupportedMediaType: -31415,
    tooManyRequests: -31429,
    internalError: -31500,
    badGateway: -31502,
    unavailable: -31503,
    timeout: -31504,
} as const;

/** A C# string literal for `value` (regular literal: `\` and `"` escaped, controls as \u). */
export function csString(value: string): string {
    let out = '"';
    for (const ch of value) {
        const code = ch.codePointAt(0)!;
        if (ch === "\\") out += "\\\\";
        else if (ch === '"') out += '\\"';
        else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, "0")}`;
        else out += ch;
    }
    return `${out}"`;
}

/** `context.Variables.GetValueOrDefault<string>("name", "")`. */
export function str(variable: string): string {
    return `context.Variables.GetValueOrDefault<string>(${csString(variable)}, "")`;
}

/** The JSON-RPC method of the request ("" for GET/DELETE or before the envelope is read). */
export const rpcMethod = str(vars.rpcMethod);
export const isToolsCall = `${rpcMethod} == "tools/call"`;

/** Security headers every response carries, including the ones the gateway answers itself (C8.4). */
const securityHeaders: readonly { name: string; value: string }[] = [
    { name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" },
    { name: "X-Content-Type-Options", value: "nosniff" },
    { name: "Cache-Control", value: "no-store" },
    { name: "X-Frame-Options", value: "DENY" },
    { name: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" },
    { name: "Referrer-Policy", value: "no-referrer" },
];
/** Headers that reveal the server stack (C8.4, C1.4). */
const revealingHeaders = ["Server", "X-Powered-By", "X-AspNet-Version", "X-AspNetMvc-Version"] as const;

export function setHeader(name: string, value: string): XmlElement {
    return el("set-header", { name, "exists-action": "override" }, el("value", {}, value));
}
export function deleteHeader(name: string): XmlElement {
    return el("set-header", { name, "exists-action": "delete" });
}
export function securityHeaderElements(): XmlElement[] {
    return [...securityHeaders.map((h) => setHeader(h.name, h.value)), ...revealingHeaders.map(deleteHeader)];
}

export type TraceSeverity = "information" | "error";

/**
 * `<trace source="mcp-gateway">` whose message is one JSON object with the fields of
 * `securityEventFields`; `detail` is a C# expression (use `csString` for a literal).
 */
export function traceEvent(event: SecurityEventName, severity: TraceSeverity, detail: string = '""'): XmlElement {
    const message =
        "@{\n" +
        "var e = new JObject();\n" +
        `e["event"] = ${csString(event)};\n` +
        `e["server"] = ${str(vars.server)};\n` +
        `e["oid"] = ${str(vars.oid)};\n` +
        `e["appid"] = ${str(vars.appId)};\n` +
        `e["ip"] = ${str(vars.clientIp)};\n` +
        `e["method"] = ${rpcMethod} != "" ? ${rpcMethod} : context.Request.Method;\n` +
        `e["tool"] = ${str(vars.toolName)};\n` +
        `e["sessionHash"] = ${str(vars.sessionHash)};\n` +
        `e["detail"] = (string)(${detail});\n` +
        "return e.ToString(Newtonsoft.Json.Formatting.None);\n" +
        "}";
    return el("trace", { source: traceSource, severity }, el("message", {}, message), el("metadata", { name: "event", value: event }));
}

/** C# expression of each audit field (`event` aside): variables only, never the body, a header or the token. */
const auditFieldExpressions: Readonly<Record<Exclude<(typeof auditEventFields)[number], "event">, string>> = {
    server: str(vars.server),
    oid: str(vars.oid),
    appid: str(vars.appId),
    method: `${rpcMethod} != "" ? ${rpcMethod} : context.Request.Method`,
    tool: str(vars.toolName),
    sessionHash: str(vars.sessionHash),
};

/**
 * The per-call audit record (C5.1, C10.4): a `<trace source="mcp-gateway" severity="information">`
 * with exactly `auditEventFields`, in the same JSON shape as the security events.
 */
export function auditTrace(): XmlElement {
    const event = securityEvents.auditCall;
    const message =
        "@{\n" +
        "var e = new JObject();\n" +
        `e["event"] = ${csString(event)};\n` +
        Object.entries(auditFieldExpressions)
            .map(([field, expression]) => `e[${csString(field)}] = ${expression};\n`)
            .join("") +
        "return e.ToString(Newtonsoft.Json.Formatting.None);\n" +
        "}";
    return el("trace", { source: traceSource, severity: "information" }, el("message", {}, message), el("metadata", { name: "event", value: event }));
}

export interface ErrorResponse {
    readonly status: number;
    readonly reason: string;
    readonly code: number;
    /** Literal message for the client; never internals. */
    readonly message: string;
    /** C# expression producing a JToken for `error.data`. */
    readonly data?: string;
    /** Extra headers: name → C# expression (string). */
    readonly headers?: Readonly<Record<string, string>>;
}

/**
 * `<return-response>` with a JSON-RPC error body (echoing the request id when it was read) and the
 * security headers (a response returned from inbound or on-error skips the outbound section).
 */
export function errorResponse(response: ErrorResponse): XmlElement {
    const body =
        "@{\n" +
        'var r = new JObject(new JProperty("jsonrpc", "2.0"));\n' +
        `var id = ${str(vars.rpcId)};\n` +
        'if (id != "") { r["id"] = JToken.Parse(id); }\n' +
        `var err = new JObject(new JProperty("code", ${response.code}), new JProperty("message", ${csString(response.message)}));\n` +
        (response.data ? `err["data"] = ${response.data};\n` : "") +
        'r["error"] = err;\n' +
        "return r.ToString(Newtonsoft.Json.Formatting.None);\n" +
        "}";
    return el(
        "return-response",
        {},
        el("set-status", { code: response.status, reason: response.reason }),
        setHeader("Content-Type", "application/json"),
        Object.entries(response.headers ?? {}).map(([name, expr]) => setHeader(name, `@(${expr})`)),
        securityHeaderElements(),
        el("set-body", {}, body),
    );
}

/** A trace event followed by the error response: the shape of every gateway rejection. */
export function reject(event: SecurityEventName, response: ErrorResponse, detail?: string): XmlElement[] {
    return [traceEvent(event, "error", detail ?? csString(response.message)), errorResponse(response)];
}

/** `<choose><when condition="@(…)">…</when>[<otherwise>…</otherwise>]</choose>`. */
export function when(condition: string, then: XmlElement[], otherwise?: XmlElement[]): XmlElement {
    return el(
        "choose",
        {},
        el("when", { condition: `@(${condition})` }, then),
        otherwise && otherwise.length > 0 ? el("otherwise", {}, otherwise) : undefined,
    );
}

/** A `WWW-Authenticate` challenge (RFC 6750 + RFC 9728 `resource_metadata`) as a C# expression. */
export function bearerChallenge(error?: "invalid_token" | "insufficient_scope"): string {
    const prefix = error ? `Bearer error=\\"${error}\\", ` : "Bearer ";
    return `"${prefix}resource_metadata=\\"" + ${str(vars.resourceMetadataUrl)} + "\\", scope=\\"" + ${str(vars.scope)} + "\\""`;
}

export { securityEvents };
