import { str, vars } from "./expressions";

/**
 * The C# twin of `manifestDigest` (./manifest.ts): the same canonical form, computed by the gateway
 * on the tools/list response (JSON, or each event's `data:` lines of an SSE stream). Returns
 * `sha256:<64 hex>`, or a word that never equals a digest (`no-answer`, `ambiguous`, `no-tools`,
 * `paginated`), so anything the gateway cannot verify counts as drift.
 *
 * Only the JSON-RPC response whose `id` equals the request's counts, and there must be exactly one
 * (C9.2): a server could otherwise put an approved decoy under another id next to the drifted
 * answer the client uses. Messages with a `method` (notifications and server requests) are never
 * the answer, whatever keys they carry.
 */
export function manifestDigestExpression(): string {
    return [
        "@{",
        `var wanted = ${str(vars.rpcId)};`,
        "var body = context.Response.Body.As<string>(preserveContent: true) ?? \"\";",
        "var messages = new List<string>();",
        'if (context.Response.Headers.GetValueOrDefault("Content-Type", "").StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase)) {',
        "var data = new StringBuilder();",
        "foreach (var raw in (body + \"\\n\\n\").Split('\\n')) {",
        "var line = raw.TrimEnd('\\r');",
        'if (line.StartsWith("data:")) { if (data.Length > 0) { data.Append(\'\\n\'); } data.Append(line.Substring(5).StartsWith(" ") ? line.Substring(6) : line.Substring(5)); }',
        'else if (line == "") { if (data.Length > 0) { messages.Add(data.ToString()); } data.Clear(); }',
        "}",
        "} else { messages.Add(body); }",
        "JObject doc = null;",
        "var answers = 0;",
        "foreach (var message in messages) {",
        "JObject o;",
        "try { o = JObject.Parse(message); } catch (Exception) { continue; }",
        'if (o["method"] != null || o["id"] == null || o["id"].ToString(Newtonsoft.Json.Formatting.None) != wanted) { continue; }',
        "answers++;",
        "doc = o;",
        "}",
        'if (answers == 0) { return "no-answer"; }',
        'if (answers > 1) { return "ambiguous"; }',
        'var tools = doc.SelectToken("result.tools") as JArray;',
        'if (tools == null) { return "no-tools"; }',
        'if (doc.SelectToken("result.nextCursor") != null) { return "paginated"; }',
        "var copy = (JArray)tools.DeepClone();",
        "foreach (var o in copy.DescendantsAndSelf().OfType<JObject>().ToList()) {",
        "var props = o.Properties().OrderBy(p => p.Name, StringComparer.Ordinal).ToList();",
        "o.RemoveAll();",
        "foreach (var p in props) { o.Add(p); }",
        "}",
        'var sorted = new JArray(copy.OrderBy(t => t.Type == JTokenType.Object && t["name"] != null ? t["name"].ToString() : "", StringComparer.Ordinal).ToArray());',
        "// No `using`: IDisposable is not on Learn's list of members allowed in expressions.",
        "var hash = System.Security.Cryptography.SHA256.Create().ComputeHash(Encoding.UTF8.GetBytes(sorted.ToString(Newtonsoft.Json.Formatting.None)));",
        'return "sha256:" + BitConverter.ToString(hash).Replace("-", "").ToLowerInvariant();',
        "}",
    ].join("\n");
}
