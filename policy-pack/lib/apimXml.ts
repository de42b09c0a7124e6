import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { PolicyResource } from "@pulumi/policy";
import { resourceTypes } from "../contract/resourceTypes";

/**
 * API Management policy XML as the pack reads it: parsed with a real XML parser (entities decoded,
 * so a check sees the C# expression exactly as the gateway will), fragments resolved by inlining
 * each `<include-fragment fragment-id>` with the `<fragment>`'s children. Standalone: no import
 * from components/.
 */
export interface PolicyElement {
    readonly name: string;
    readonly attributes: Readonly<Record<string, string>>;
    readonly children: readonly PolicyElement[];
    /** Concatenated direct text content. */
    readonly text: string;
}

const prefix = "@_";
const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: prefix,
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: true,
});

// Every MCP-API policy parses the same documents; parsed trees are immutable, so they are shared.
// Bounded, so a long-running evaluator (hundreds of mutated stacks) does not grow without limit.
const parsed = new Map<string, PolicyElement | undefined>();
const parsedLimit = 512;

/** Parses one policy document; `undefined` when the value is not a single well-formed XML element. */
export function parsePolicyXml(xml: unknown): PolicyElement | undefined {
    if (typeof xml !== "string" || xml.trim() === "") return undefined;
    if (parsed.has(xml)) return parsed.get(xml);
    const result = parseUncached(xml);
    if (parsed.size >= parsedLimit) parsed.delete(parsed.keys().next().value as string);
    parsed.set(xml, result);
    return result;
}

function parseUncached(xml: string): PolicyElement | undefined {
    if (XMLValidator.validate(xml) !== true) return undefined;
    try {
        const roots = (parser.parse(xml) as Record<string, unknown>[]).map(toElement).filter((e): e is PolicyElement => e !== undefined);
        return roots.length === 1 ? roots[0] : undefined;
    } catch {
        return undefined;
    }
}

function toElement(node: Record<string, unknown>): PolicyElement | undefined {
    if ("#text" in node) return undefined;
    const name = Object.keys(node).find((k) => k !== ":@");
    if (!name || name.startsWith("?")) return undefined;
    const raw = (node[name] ?? []) as Record<string, unknown>[];
    const attrs = (node[":@"] ?? {}) as Record<string, unknown>;
    return {
        name,
        attributes: Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k.slice(prefix.length), String(v)])),
        children: raw.map(toElement).filter((e): e is PolicyElement => e !== undefined),
        text: raw.filter((c) => "#text" in c).map((c) => String(c["#text"])).join(""),
    };
}

/** Unresolvable fragments are reported, never silently skipped. */
export interface Resolution {
    readonly root: PolicyElement;
    readonly missingFragments: string[];
}

/** Inlines fragments (recursively, cycle-safe); an unknown fragment id stays listed in `missingFragments`. */
export function resolveFragments(root: PolicyElement, fragments: ReadonlyMap<string, PolicyElement>): Resolution {
    const missing = new Set<string>();
    const expand = (element: PolicyElement, trail: readonly string[]): PolicyElement[] => {
        if (element.name === "include-fragment") {
            const id = element.attributes["fragment-id"] ?? "";
            const fragment = fragments.get(id);
            if (!fragment || trail.includes(id)) {
                missing.add(id);
                return [];
            }
            return fragment.children.flatMap((child) => expand(child, [...trail, id]));
        }
        return [{ ...element, children: element.children.flatMap((child) => expand(child, trail)) }];
    };
    const [resolved] = expand(root, []);
    return { root: resolved, missingFragments: [...missing] };
}

/** Every descendant named `name` (root included), in document order. */
export function findAll(root: PolicyElement, name: string): PolicyElement[] {
    const out: PolicyElement[] = [];
    const visit = (e: PolicyElement) => {
        if (e.name === name) out.push(e);
        e.children.forEach(visit);
    };
    visit(root);
    return out;
}

/** The direct child section (`inbound`, `backend`, `outbound`, `on-error`) of a `<policies>` root. */
export function section(root: PolicyElement, name: string): PolicyElement | undefined {
    return root.name === "policies" ? root.children.find((c) => c.name === name) : undefined;
}

/** Every attribute value and text in the tree, joined: where an expression mentions a header or claim. */
export function allExpressions(root: PolicyElement): string {
    const parts: string[] = [];
    const visit = (e: PolicyElement) => {
        parts.push(...Object.values(e.attributes), e.text);
        e.children.forEach(visit);
    };
    visit(root);
    return parts.join("\n");
}

export const isExpression = (value: string | undefined): boolean => value !== undefined && value.trim().startsWith("@");

/**
 * The stack's policy fragments by fragment id, for one service when the service name is known.
 * The id is the `id` input when the engine passes it, else the logical name: the Pulumi SDK strips
 * inputs named `id` (pulumi/pulumi-azure-native#2664), so the fragment is named verbatim after its
 * logical name.
 */
export function fragmentsOf(resources: readonly PolicyResource[], serviceName?: unknown): Map<string, PolicyElement> {
    const map = new Map<string, PolicyElement>();
    for (const r of resources) {
        if (r.type !== resourceTypes.apimanagement.PolicyFragment) continue;
        if (typeof serviceName === "string" && typeof r.props.serviceName === "string" && r.props.serviceName !== serviceName) continue;
        const parsed = parsePolicyXml(r.props.value);
        if (parsed?.name === "fragment") map.set(typeof r.props.id === "string" && r.props.id !== "" ? r.props.id : r.name, parsed);
    }
    return map;
}
