import { csString } from "./expressions";
import { firstStatelessRevision } from "./settings";

/**
 * The two C# expressions that read an MCP request: the JSON-RPC envelope summary and the protocol
 * version decision. Each returns a small JSON string (policy variables can only hold primitives),
 * which later expressions read with `JObject.Parse`.
 */

const fmt = "Newtonsoft.Json.Formatting.None";

/** The JSON-RPC methods a gateway check branches on (exact names; case variants are refused). */
const checkedMethods = ["initialize", "tools/call", "tools/list", "prompts/get", "resources/read"] as const;

/**
 * Envelope summary of a POST body: `{ error, id, method, tool, mcpName, metaVersion, initVersion, kind }`.
 * `error` is "" for a valid single JSON-RPC 2.0 request, notification or (2025-11-25) response.
 */
export function envelopeExpression(bodyExpression: string): string {
    const fail = (message: string) => `{ result["error"] = ${csString(message)}; return result.ToString(${fmt}); }`;
    return [
        "@{",
        "var result = new JObject();",
        `var checkedMethods = new string[] { ${checkedMethods.map(csString).join(", ")} };`,
        `var text = ${bodyExpression};`,
        `if (text == "") ${fail("body is empty")}`,
        // Json.NET also reads comments, single quotes, NaN and bare names; a strict server reads
        // none of them. Refusing them outside string literals keeps one reading of every body.
        "var inString = false;",
        "var escaped = false;",
        "foreach (var c in text) {",
        String.raw`if (inString) { if (escaped) { escaped = false; } else if (c == '\\') { escaped = true; } else if (c == '"') { inString = false; } continue; }`,
        String.raw`if (c == '"') { inString = true; continue; }`,
        String.raw`if ("{}[],: \t\r\n-+.0123456789eEtrufalsn".IndexOf(c) < 0) ` + fail("body is not strict JSON"),
        "}",
        "JToken root;",
        `try { root = JToken.Parse(text); } catch (Exception) ${fail("body is not JSON")}`,
        `if (root.Type == JTokenType.Array) ${fail("batch requests are not accepted")}`,
        "var o = root as JObject;",
        `if (o == null) ${fail("body is not a JSON-RPC object")}`,
        `if (o["jsonrpc"] == null || o["jsonrpc"].Type != JTokenType.String || (string)o["jsonrpc"] != "2.0") ${fail("jsonrpc must be \"2.0\"")}`,
        'var id = o["id"];',
        `if (id != null && id.Type != JTokenType.String && id.Type != JTokenType.Integer) ${fail("id must be a string or an integer")}`,
        `if (id != null) { result["id"] = id.ToString(${fmt}); }`,
        'var method = o["method"];',
        "if (method == null) {",
        `if (id == null || (o["result"] == null && o["error"] == null)) ${fail("neither a request nor a response")}`,
        'result["kind"] = "response";',
        'result["method"] = "";',
        "} else {",
        `if (method.Type != JTokenType.String || ((string)method).Length == 0 || ((string)method).Length > 128) ${fail("method must be a non-empty string")}`,
        'var name = (string)method;',
        // JSON-RPC method names are exact: a case variant of a method the gateway checks would skip
        // the check (tool authorisation, Prompt Shields, manifest) and reach a lenient server.
        `if (checkedMethods.Any(m => m != name && string.Equals(m, name, StringComparison.OrdinalIgnoreCase))) ${fail("method names are case-sensitive")}`,
        'result["kind"] = id == null ? "notification" : "request";',
        'result["method"] = name;',
        'var p = o["params"];',
        `if (p != null && p.Type != JTokenType.Object) ${fail("params must be an object")}`,
        'if (name == "tools/call") {',
        'var tool = p == null ? null : p["name"];',
        `if (tool == null || tool.Type != JTokenType.String) ${fail("tools/call needs params.name")}`,
        `if (p["arguments"] != null && p["arguments"].Type != JTokenType.Object) ${fail("params.arguments must be an object")}`,
        'result["tool"] = (string)tool;',
        'result["mcpName"] = (string)tool;',
        "}",
        'if (name == "prompts/get" && p != null && p["name"] != null) { result["mcpName"] = p["name"].ToString(); }',
        'if (name == "resources/read" && p != null && p["uri"] != null) { result["mcpName"] = p["uri"].ToString(); }',
        'var meta = p == null ? null : p["_meta"] as JObject;',
        'var metaVersion = meta == null ? null : meta["io.modelcontextprotocol/protocolVersion"];',
        `if (metaVersion != null && metaVersion.Type != JTokenType.String) ${fail("_meta protocolVersion must be a string")}`,
        'result["metaVersion"] = metaVersion == null ? "" : (string)metaVersion;',
        'if (name == "initialize") { result["initVersion"] = p == null || p["protocolVersion"] == null ? "" : p["protocolVersion"].ToString(); }',
        "}",
        'result["error"] = "";',
        `return result.ToString(${fmt});`,
        "}",
    ].join("\n");
}

/**
 * The protocol version decision `{ status, era, version, detail }` with status one of `ok`,
 * `unsupported` (400, -32022 / -32602), `mismatch` (400, -32020 HeaderMismatch), `invalid-params`
 * (400, -32602: a stateless request without its `_meta` protocol version) or `method-not-allowed`
 * (405: GET/DELETE exist only in session-based revisions).
 *
 * - 2025-11-25 (legacy): `initialize` carries `params.protocolVersion`; every later request carries
 *   the `MCP-Protocol-Version` header (a request without it is not assumed to be 2025-03-26: that
 *   revision is not accepted here).
 * - 2026-07-28 (stateless): every request carries `_meta["io.modelcontextprotocol/protocolVersion"]`,
 *   an equal `MCP-Protocol-Version` header, `Mcp-Method` equal to `method`, and for tools/call,
 *   resources/read and prompts/get `Mcp-Name` equal to `params.name`/`params.uri` (Base64 sentinel
 *   `=?base64?…?=` decoded first). A missing or contradicting header is a HeaderMismatch: rate
 *   limits and tool authorisation must never act on a header the body contradicts.
 *
 * The order is SEP-2575's (2026-07-28 basic/index "Per-request protocol fields", transports/
 * streamable-http "Protocol Version Header"), as the conformance suite checks it: an unsupported
 * header is -32022 first (conformance PR 293), then a header that differs from `_meta` is -32020
 * (even when `_meta` names an unknown version), and a stateless header over a body without the
 * `_meta` version is -32602 Invalid params (a required per-request field is missing), not -32020.
 */
export function versionCheckExpression(protocolVersions: readonly string[], envelopeExpression: string): string {
    const modern = csString(firstStatelessRevision);
    const ret = (status: string, era: string, version: string, detail: string) =>
        `return new JObject(new JProperty("status", ${csString(status)}), new JProperty("era", ${csString(era)}), new JProperty("version", ${version}), new JProperty("detail", ${detail})).ToString(${fmt});`;
    const lit = csString;
    return [
        "@{",
        `var supported = new string[] { ${protocolVersions.map(csString).join(", ")} };`,
        `var envText = ${envelopeExpression};`,
        'var env = envText == "" ? new JObject() : JObject.Parse(envText);',
        'var header = context.Request.Headers.GetValueOrDefault("MCP-Protocol-Version", "");',
        'if (context.Request.Method != "POST") {',
        `if (!supported.Any(v => string.CompareOrdinal(v, ${modern}) < 0)) { ${ret("method-not-allowed", "modern", "header", lit("GET and DELETE exist only in session-based revisions"))} }`,
        `if (header == "") { ${ret("unsupported", "legacy", '""', lit("MCP-Protocol-Version header missing"))} }`,
        `if (string.CompareOrdinal(header, ${modern}) >= 0) { ${ret("method-not-allowed", "modern", "header", lit("GET and DELETE exist only in session-based revisions"))} }`,
        `if (!supported.Contains(header)) { ${ret("unsupported", "legacy", "header", lit("unsupported MCP-Protocol-Version header"))} }`,
        `${ret("ok", "legacy", "header", '""')}`,
        "}",
        'var method = (string)env["method"] ?? "";',
        'var meta = (string)env["metaVersion"] ?? "";',
        'if (meta != "") {',
        `if (header == "") { ${ret("mismatch", "modern", "meta", lit("MCP-Protocol-Version header missing"))} }`,
        `if (!supported.Contains(header)) { ${ret("unsupported", "modern", "header", lit("unsupported MCP-Protocol-Version header"))} }`,
        `if (header != meta) { ${ret("mismatch", "modern", "meta", lit("MCP-Protocol-Version header does not match _meta protocolVersion"))} }`,
        // Header and _meta agree on a supported revision; a session-based one is not served statelessly.
        `if (string.CompareOrdinal(meta, ${modern}) < 0) { ${ret("unsupported", "modern", "meta", lit("_meta protocolVersion names a session-based revision"))} }`,
        'var methodHeader = context.Request.Headers.GetValueOrDefault("Mcp-Method", "");',
        `if (methodHeader != method) { ${ret("mismatch", "modern", "meta", `methodHeader == "" ? ${lit("Mcp-Method header missing")} : ${lit("Mcp-Method header does not match the body method")}`)} }`,
        'if (method == "tools/call" || method == "resources/read" || method == "prompts/get") {',
        'var nameHeader = context.Request.Headers.GetValueOrDefault("Mcp-Name", "");',
        'if (nameHeader.Length >= 11 && nameHeader.StartsWith("=?base64?") && nameHeader.EndsWith("?=")) {',
        `try { nameHeader = Encoding.UTF8.GetString(Convert.FromBase64String(nameHeader.Substring(9, nameHeader.Length - 11))); } catch (Exception) { ${ret("mismatch", "modern", "meta", lit("Mcp-Name header is not valid Base64"))} }`,
        "}",
        `if (nameHeader != ((string)env["mcpName"] ?? "")) { ${ret("mismatch", "modern", "meta", `nameHeader == "" ? ${lit("Mcp-Name header missing")} : ${lit("Mcp-Name header does not match the body")}`)} }`,
        "}",
        `${ret("ok", "modern", "meta", '""')}`,
        "}",
        'if (method == "initialize") {',
        'var init = (string)env["initVersion"] ?? "";',
        `if (!supported.Contains(init) || string.CompareOrdinal(init, ${modern}) >= 0) { ${ret("unsupported", "legacy", "init", lit("unsupported initialize protocolVersion"))} }`,
        `if (header != "" && header != init) { ${ret("mismatch", "legacy", "init", lit("MCP-Protocol-Version header does not match params.protocolVersion"))} }`,
        `${ret("ok", "legacy", "init", '""')}`,
        "}",
        `if (header == "") { ${ret("unsupported", "legacy", '""', lit("MCP-Protocol-Version header missing"))} }`,
        `if (!supported.Contains(header) && string.CompareOrdinal(header, ${modern}) >= 0) { ${ret("unsupported", "modern", "header", lit("unsupported MCP-Protocol-Version header"))} }`,
        `if (!supported.Contains(header)) { ${ret("unsupported", "legacy", "header", lit("unsupported MCP-Protocol-Version header"))} }`,
        `if (string.CompareOrdinal(header, ${modern}) >= 0) { ${ret("invalid-params", "modern", "header", lit("MCP-Protocol-Version names a stateless revision but the body has no _meta protocolVersion"))} }`,
        `${ret("ok", "legacy", "header", '""')}`,
        "}",
    ].join("\n");
}
