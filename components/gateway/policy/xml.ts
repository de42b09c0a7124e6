import { XMLBuilder, XMLParser } from "fast-xml-parser";

/**
 * A tiny element tree for API Management policy documents, serialised by fast-xml-parser's
 * XMLBuilder. Every C# policy expression is an ordinary attribute value or text node here, so the
 * library escapes `<`, `&`, `"` and `'` exactly once; nothing is ever concatenated into markup by
 * hand (a hand-escaped `&&` or `<` is the classic way to ship a broken or injectable policy).
 *
 * The serialised documents are standards-compliant XML, so the resources send them with format
 * `xml`, not `rawxml`: `rawxml` expects expressions written verbatim and would read `&quot;` as
 * four literal characters inside the C# code.
 */
export interface XmlElement {
    readonly name: string;
    readonly attributes: Readonly<Record<string, string>>;
    readonly children: readonly XmlNode[];
}
export interface XmlText {
    readonly text: string;
}
export type XmlNode = XmlElement | XmlText;

type Child = XmlNode | string | false | null | undefined | readonly Child[];

/** An element; `undefined` attributes are dropped, string children become text, falsy children vanish. */
export function el(name: string, attributes: Record<string, string | number | boolean | undefined> = {}, ...children: Child[]): XmlElement {
    const attrs: Record<string, string> = {};
    for (const [key, value] of Object.entries(attributes)) if (value !== undefined) attrs[key] = String(value);
    return { name, attributes: attrs, children: flatten(children) };
}

/** A text node (for `<value>`, `<message>`, `<set-body>` and other text-carrying elements). */
function text(value: string): XmlText {
    return { text: value };
}

function flatten(children: readonly Child[]): XmlNode[] {
    const out: XmlNode[] = [];
    for (const child of children) {
        if (child === false || child === null || child === undefined) continue;
        if (typeof child === "string") out.push(text(child));
        else if (Array.isArray(child)) out.push(...flatten(child));
        else out.push(child as XmlNode);
    }
    return out;
}

const attributePrefix = "@_";

const builder = new XMLBuilder({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: attributePrefix,
    format: true,
    indentBy: "    ",
    suppressEmptyNode: true,
});

/** Serialises one element (the document root: `<policies>` or `<fragment>`) as indented XML. */
export function serialize(root: XmlElement): string {
    return (builder.build([toOrdered(root)]) as string).trim();
}

function toOrdered(node: XmlNode): Record<string, unknown> {
    if ("text" in node) return { "#text": node.text };
    const ordered: Record<string, unknown> = { [node.name]: node.children.map(toOrdered) };
    if (Object.keys(node.attributes).length > 0) {
        ordered[":@"] = Object.fromEntries(Object.entries(node.attributes).map(([k, v]) => [attributePrefix + k, v]));
    }
    return ordered;
}

/** Parses policy XML back into the element tree (tests and tools; the policy pack has its own parser). */
export function parse(xml: string): XmlElement {
    const parser = new XMLParser({
        preserveOrder: true,
        ignoreAttributes: false,
        attributeNamePrefix: attributePrefix,
        parseAttributeValue: false,
        parseTagValue: false,
        trimValues: true,
    });
    const nodes = parser.parse(xml) as Record<string, unknown>[];
    const roots = nodes.map(fromOrdered).filter((n): n is XmlElement => "name" in n);
    if (roots.length !== 1) throw new Error(`expected one root element, found ${roots.length}`);
    return roots[0];
}

function fromOrdered(node: Record<string, unknown>): XmlNode {
    if ("#text" in node) return text(String(node["#text"]));
    const name = Object.keys(node).find((k) => k !== ":@")!;
    const attrs = (node[":@"] ?? {}) as Record<string, string>;
    return {
        name,
        attributes: Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k.slice(attributePrefix.length), String(v)])),
        children: ((node[name] ?? []) as Record<string, unknown>[]).map(fromOrdered),
    };
}

/** Every element named `name` in document order, the root included. */
export function findAll(root: XmlElement, name: string): XmlElement[] {
    const out: XmlElement[] = [];
    const visit = (node: XmlNode) => {
        if ("text" in node) return;
        if (node.name === name) out.push(node);
        node.children.forEach(visit);
    };
    visit(root);
    return out;
}

/** The concatenated text of an element's direct text children. */
export function textOf(node: XmlElement): string {
    return node.children.map((c) => ("text" in c ? c.text : "")).join("");
}
