/**
 * The text Prompt Shields screens for a tools/call (C1.3, C9.1): `params.arguments` as the tool
 * receives it, read from the raw body.
 *
 * Why not `JObject.Parse(body).SelectToken("params.arguments").ToString()`: Json.NET's reader turns
 * every string that looks like an ISO 8601 date into a DateTime (DateParseHandling.DateTime), and
 * writing it back changes the text (`…T10:00:00.000+02:00` comes out in the gateway's own offset,
 * `.0000000Z` as `Z`), so the screen saw other text than the tool. The setting that turns this off
 * lives on JsonTextReader / JsonSerializerSettings, neither of which is on Learn's list of types
 * allowed in policy expressions (JsonConvert is, for SerializeObject and DeserializeObject only).
 *
 * So a small scanner walks the body (already strict JSON: the envelope refused everything else) and
 * copies the value of `params.arguments` without whitespace. A string literal without a backslash
 * is copied as it is; one with escapes is decoded with `JsonConvert.DeserializeObject<string>`,
 * which reads a string target with ReadAsString (no date parsing, measured on Json.NET 6.0.8), and
 * written back with `JsonConvert.SerializeObject`: the screen reads `\u0069gnore` as `ignore`, as the
 * tool will. Keys of the root and of `params` are decoded the same way (an escaped `"\u0061rguments"`
 * is still the arguments) and, as in Json.NET and JavaScript, the last duplicate key wins.
 * Copying stops once the text passes `maxChars`: such arguments are refused whole (too long to
 * screen), so the rest need not be read.
 */
export function argumentsTextExpression(bodyExpression: string, maxChars: number): string {
    const decoded = "(literal.IndexOf('\\\\') < 0 ? literal.Substring(1, literal.Length - 2) : Newtonsoft.Json.JsonConvert.DeserializeObject<string>(literal))";
    return [
        "@{",
        `var text = ${bodyExpression};`,
        "var kinds = new List<char>();",
        "var keys = new List<string>();",
        "var copy = new StringBuilder();",
        "var result = \"\";",
        "var expectKey = false;",
        "var copying = -1;",
        "var i = 0;",
        "while (i < text.Length) {",
        "var c = text[i];",
        "var top = kinds.Count == 0 ? ' ' : kinds[kinds.Count - 1];",
        "if (c == '\"') {",
        "var j = i + 1;",
        "while (j < text.Length && text[j] != '\"') { j += text[j] == '\\\\' ? 2 : 1; }",
        "var literal = text.Substring(i, Math.Min(j + 1, text.Length) - i);",
        "i = j + 1;",
        "if (top == '{' && expectKey && kinds.Count <= 2) {",
        `var key = ${decoded};`,
        "keys[keys.Count - 1] = key;",
        // A later "params" or "arguments" replaces the earlier one (last duplicate wins).
        'if (kinds.Count == 1 && key == "params") { result = ""; }',
        'if (kinds.Count == 2 && keys[0] == "params" && key == "arguments") { result = ""; }',
        "}",
        "if (copying >= 0) { copy.Append(literal.IndexOf('\\\\') < 0 ? literal : Newtonsoft.Json.JsonConvert.SerializeObject(Newtonsoft.Json.JsonConvert.DeserializeObject<string>(literal))); }",
        "} else {",
        "if (c == '{' || c == '[') {",
        'if (copying < 0 && c == \'{\' && kinds.Count == 2 && kinds[0] == \'{\' && kinds[1] == \'{\' && keys[0] == "params" && keys[1] == "arguments") { copying = kinds.Count; copy.Clear(); }',
        "kinds.Add(c);",
        'keys.Add("");',
        "expectKey = c == '{';",
        "if (copying >= 0) { copy.Append(c); }",
        "} else if (c == '}' || c == ']') {",
        "if (kinds.Count > 0) { kinds.RemoveAt(kinds.Count - 1); keys.RemoveAt(keys.Count - 1); }",
        "expectKey = false;",
        "if (copying >= 0) { copy.Append(c); if (kinds.Count == copying) { copying = -1; result = copy.ToString(); } }",
        "} else if (c == ',') {",
        "expectKey = top == '{';",
        "if (copying >= 0) { copy.Append(c); }",
        "} else if (c != ' ' && c != '\\t' && c != '\\r' && c != '\\n') {",
        "if (c == ':') { expectKey = false; }",
        "if (copying >= 0) { copy.Append(c); }",
        "}",
        "i++;",
        "}",
        `if (copy.Length > ${maxChars}) { return copy.ToString(); }`,
        "}",
        "return result;",
        "}",
    ].join("\n");
}
