import type { PolicyResource } from "@pulumi/policy";
import { findAll, fragmentsOf, isExpression, parsePolicyXml, PolicyElement, resolveFragments } from "./apimXml";
import { dependsVia } from "./references";

/**
 * The MCP APIs of a stack and their policy documents with fragments resolved, for the gateway
 * policies. Type tokens only (the pack never imports components/).
 */

const apiType = "azure-native:apimanagement:Api";
const apiPolicyType = "azure-native:apimanagement:ApiPolicy";

export interface McpApiPolicy {
    readonly api: PolicyResource;
    /** The resolved `<policies>` document, or why there is none. */
    readonly root?: PolicyElement;
    readonly problem?: string;
}

/** An API whose path is `mcp/<server>` is an MCP API. */
export function isMcpApi(resource: PolicyResource): boolean {
    return resource.type === apiType && typeof resource.props.path === "string" && /^\/?mcp(\/|$)/.test(resource.props.path);
}

/** The API policy of `api`: linked by dependency (real preview) or, failing that, by apiId and service name. */
function policyResourceOf(api: PolicyResource, resources: readonly PolicyResource[]): PolicyResource | undefined {
    const policies = resources.filter((r) => r.type === apiPolicyType);
    return (
        policies.find((p) => dependsVia(p, "apiId", api)) ??
        policies.find(
            (p) =>
                typeof p.props.apiId === "string" &&
                (p.props.apiId === api.props.apiId || p.props.apiId === api.name) &&
                (p.props.serviceName === undefined || p.props.serviceName === api.props.serviceName),
        )
    );
}

// The engine hands every stack policy of one evaluation the same `resources` array, and a dozen
// policies read the MCP APIs: resolve them once per evaluation (keyed weakly, so nothing is kept).
const resolvedPerStack = new WeakMap<readonly PolicyResource[], McpApiPolicy[]>();

export function mcpApiPolicies(resources: readonly PolicyResource[]): McpApiPolicy[] {
    const cached = resolvedPerStack.get(resources);
    if (cached) return cached;
    const resolved = resolveMcpApiPolicies(resources);
    resolvedPerStack.set(resources, resolved);
    return resolved;
}

function resolveMcpApiPolicies(resources: readonly PolicyResource[]): McpApiPolicy[] {
    return resources.filter(isMcpApi).map((api) => {
        const policy = policyResourceOf(api, resources);
        if (!policy) return { api, problem: "have an API policy (none is attached)" };
        const parsed = parsePolicyXml(policy.props.value);
        if (!parsed || parsed.name !== "policies") return { api, problem: "have a well-formed <policies> API policy" };
        const { root, missingFragments } = resolveFragments(parsed, fragmentsOf(resources, policy.props.serviceName));
        if (missingFragments.length > 0) return { api, problem: `include only policy fragments that exist (missing: ${missingFragments.join(", ")})` };
        return { api, root };
    });
}

/** Runs `check` on every MCP API policy; `check` returns the state the API must reach, or nothing. */
export function forEachMcpApi(
    resources: readonly PolicyResource[],
    must: (r: PolicyResource, state: string) => void,
    check: (root: PolicyElement) => string | undefined,
): void {
    for (const entry of mcpApiPolicies(resources)) {
        if (!entry.root) {
            must(entry.api, entry.problem!);
            continue;
        }
        const state = check(entry.root);
        if (state) must(entry.api, state);
    }
}

export const direct = (parent: PolicyElement | undefined, name: string): PolicyElement[] => (parent?.children ?? []).filter((c) => c.name === name);
export const literal = (value: string | undefined): value is string => value !== undefined && value.trim() !== "" && !isExpression(value);
export const mentions = (haystack: string, needle: string): boolean => haystack.toLowerCase().includes(needle.toLowerCase());

/** HTTP status codes of every `<return-response>` in `element`'s subtree (its `<set-status code>`). */
export function answeredStatuses(element: PolicyElement): number[] {
    return findAll(element, "return-response").flatMap((r) => direct(r, "set-status").map((s) => Number(s.attributes.code)));
}

/** `<when>` elements of `root` whose condition satisfies `test` and whose subtree answers a status `status` accepts. */
export function guards(root: PolicyElement, test: (condition: string) => boolean, status: (code: number) => boolean): PolicyElement[] {
    return findAll(root, "when").filter((w) => test(w.attributes.condition ?? "") && answeredStatuses(w).some(status));
}

/** The `<when>` branches of the `<choose>` elements that are direct children of `parent`: conditions evaluated on every request. */
export function topLevelBranches(parent: PolicyElement | undefined): PolicyElement[] {
    return direct(parent, "choose").flatMap((c) => direct(c, "when"));
}

/**
 * Header actions of a list of sibling elements: lower-cased header name → the value set (the
 * `<value>` text) or `delete`. Later elements win, as in API Management.
 */
export function headerActions(elements: readonly PolicyElement[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const e of elements) {
        // `skip` keeps whatever the backend sent, so it sets nothing the gateway can vouch for.
        if (e.name !== "set-header" || !e.attributes.name || e.attributes["exists-action"] === "skip") continue;
        const key = e.attributes.name.toLowerCase();
        if (e.attributes["exists-action"] === "delete") out.set(key, "delete");
        else out.set(key, direct(e, "value").map((v) => v.text).join(", "));
    }
    return out;
}
