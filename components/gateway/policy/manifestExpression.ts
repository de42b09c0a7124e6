/**
 * The C# twin of `manifestDigest` (./manifest.ts): the same canonical form, computed by the gateway
 * on the tools/list response (JSON or the `data:` lines of an SSE stream). Returns
 * `sha256:<64 hex>`, or a word (`unparseable`, `no-tools`, `paginated`) that never equals a digest,
 * so anything the gateway cannot verify counts as drift.
 */
export function manifestDigestExpression(): string {
    return [
        "@{",
        "var body = context.Response.Body.As<string>(preserveContent: true) ?? \"\";",
        "var json = body;",
        'if (context.Response.Headers.GetValueOrDefault("Content-Type", "").StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase)) {',
        'json = "";',
        "var data = new StringBuilder();",
        "foreach (var raw in (body + \"\\n\\n\").Split('\\n')) {",
        "var line = raw.TrimEnd('\\r');",
        'if (line.StartsWith("data:")) { if (data.Length > 0) { data.Append(\'\\n\'); } data.Append(line.Substring(5).StartsWith(" ") ? line.Substring(6) : line.Substring(5)); }',
        'else if (line == "") { var ev = data.ToString(); data.Clear(); if (ev.Contains("\\"result\\"")) { json = ev; } }',
        "}",
        "}",
        "JObject doc;",
        'try { doc = JObject.Parse(json); } catch (Exception) { return "unparseable"; }',
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
        // No `using`: IDisposable is not on Learn's list of members allowed in expressions.
        "var hash = System.Security.Cryptography.SHA256.Create().ComputeHash(Encoding.UTF8.GetBytes(sorted.ToString(Newtonsoft.Json.Formatting.None)));",
        'return "sha256:" + BitConverter.ToString(hash).Replace("-", "").ToLowerInvariant();',
        "}",
    ].join("\n");
}
