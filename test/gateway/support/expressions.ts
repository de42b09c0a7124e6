import { XmlElement } from "../../../components/gateway/policy/xml";

/**
 * Every policy expression of a document: attribute values and text nodes that are `@(…)`
 * (single statement) or `@{…}` (multi-statement), as Learn's policy-expressions reference defines
 * them. Learn: an expression is the whole value, so a value that starts with `@(` but does not end
 * with `)` is an error here, not a literal.
 */
export interface ExpressionSite {
    /** Document name (fragment id or `api:<server>`). */
    readonly document: string;
    /** Element path, e.g. `fragment/choose/when[condition]`. */
    readonly where: string;
    readonly source: string;
}

export type ExpressionKind = "single" | "multi";

function expressionKind(value: string): ExpressionKind | undefined {
    const v = value.trim();
    if (v.startsWith("@(")) return "single";
    if (v.startsWith("@{")) return "multi";
    return undefined;
}

export function isExpression(value: string): boolean {
    return expressionKind(value) !== undefined;
}

export function extractExpressions(document: string, root: XmlElement): ExpressionSite[] {
    const out: ExpressionSite[] = [];
    const visit = (e: XmlElement, path: string) => {
        for (const [name, value] of Object.entries(e.attributes)) check(value, `${path}[@${name}]`);
        for (const child of e.children) {
            if ("text" in child) check(child.text, `${path}/text()`);
            else visit(child, `${path}/${child.name}`);
        }
    };
    const check = (value: string, where: string) => {
        const kind = expressionKind(value);
        if (!kind) return;
        const v = value.trim();
        const close = kind === "single" ? ")" : "}";
        if (!v.endsWith(close)) throw new Error(`${document} ${where}: expression starts with ${v.slice(0, 2)} but does not end with ${close}`);
        out.push({ document, where, source: v });
    };
    visit(root, root.name);
    return out;
}

/** The C# method body of an expression: `return (…);` for `@(…)`, the block itself for `@{…}`. */
export function methodBody(source: string): string {
    return expressionKind(source) === "single" ? `return (${source.slice(2, -1)});` : source.slice(2, -1);
}
