import { createHash } from "node:crypto";

/**
 * Tool-manifest digest (C9.2), identical to what the gateway computes on each tools/list response
 * (`manifestDigestExpression`). Canonical form of `result.tools`:
 *
 * - the tools array sorted by `name` (ordinal, UTF-16 code units); every tool kept whole;
 * - in every object at any depth, keys sorted ordinally; array order otherwise kept;
 * - written as compact JSON the way Newtonsoft.Json writes it: no whitespace, strings escaped only
 *   for `"`, `\`, control characters (`\b \t \n \f \r`, others `\u00xx` lowercase) and U+0085,
 *   U+2028, U+2029; non-ASCII otherwise verbatim; integers in decimal;
 * - hashed as UTF-8 with SHA-256 and written `sha256:<64 lowercase hex>`.
 *
 * Known limits (documented rather than papered over): the gateway parses with Newtonsoft defaults,
 * so a string that is exactly an ISO-8601 date-time, or a number written with a zero fraction
 * (`1.0`), is normalised there and not here — approve a manifest whose tools avoid both, and a
 * paginated tools/list (`nextCursor`) cannot be verified and always counts as drift.
 */
export function manifestDigest(tools: readonly unknown[]): string {
    const sorted = [...tools].sort((a, b) => compareOrdinal(nameOf(a), nameOf(b)));
    return `sha256:${createHash("sha256").update(canonicalJson(sorted), "utf8").digest("hex")}`;
}

/** Accepts a tools array, a `{ tools }` result, or a whole JSON-RPC response `{ result: { tools } }`. */
export function toolsOf(document: unknown): unknown[] {
    const candidate = document as { tools?: unknown; result?: { tools?: unknown } } | unknown[];
    if (Array.isArray(candidate)) return candidate;
    const tools = (candidate as { result?: { tools?: unknown } })?.result?.tools ?? (candidate as { tools?: unknown })?.tools;
    if (!Array.isArray(tools)) throw new Error("expected a tools array, a { tools } result or a JSON-RPC tools/list response");
    return tools;
}

export function canonicalJson(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
    switch (typeof value) {
        case "string":
            return quote(value);
        case "boolean":
            return value ? "true" : "false";
        case "number":
            if (!Number.isFinite(value)) throw new Error("a manifest cannot contain non-finite numbers");
            return String(value);
        case "object": {
            const entries = Object.keys(value as object)
                .sort(compareOrdinal)
                .map((key) => `${quote(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
            return `{${entries.join(",")}}`;
        }
        default:
            throw new Error(`a manifest cannot contain ${typeof value}`);
    }
}

const shortEscapes: Record<string, string> = { "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\" };

function quote(value: string): string {
    let out = '"';
    for (let i = 0; i < value.length; i++) {
        const ch = value[i];
        const code = value.charCodeAt(i);
        if (shortEscapes[ch]) out += shortEscapes[ch];
        else if (code < 0x20 || code === 0x85 || code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16).padStart(4, "0")}`;
        else out += ch;
    }
    return `${out}"`;
}

function nameOf(tool: unknown): string {
    const name = (tool as { name?: unknown } | null)?.name;
    return name === undefined || name === null ? "" : typeof name === "string" ? name : JSON.stringify(name);
}

function compareOrdinal(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
