import type { PolicyResource } from "@pulumi/policy";
import { findAll, fragmentsOf, isExpression, parsePolicyXml, PolicyElement, resolveFragments } from "./apimXml";
import { dependsVia } from "./references";
import { resourceTypes } from "../contract/resourceTypes";

/**
 * The MCP APIs of a stack and their policy documents with fragments resolved, for the gateway
 * policies. Type tokens only (the pack never imports components/).
 */

export interface McpApiPolicy {
    readonly api: PolicyResource;
    /** The resolved `<policies>` document, or why there is none. */
    readonly root?: PolicyElement;
    readonly problem?: string;
}

/**
 * An API counts as an MCP API by what it is, not only by its path: its path is `mcp/<server>`, or
 * its backend is an MCP workload (a Container App of the platform's workload component), or it has
 * a POST operation beside the RFC 9728 metadata operation (an MCP endpoint with MCP sign-in). An
 * MCP API at `/weather-mcp` gets every check.
 */
function isMcpApi(resource: PolicyResource, resources: readonly PolicyResource[] = []): boolean {
    if (resource.type !== resourceTypes.apimanagement.Api) return false;
    if (typeof resource.props.path === "string" && /^\/?mcp(\/|$)/.test(resource.props.path)) return true;
    if (dependenciesOfApi(resource, "serviceUrl").some(isMcpWorkload)) return true;
    const operations = resources.filter((r) => r.type === resourceTypes.apimanagement.ApiOperation && belongsToApi(r, resource));
    return operations.some((o) => o.props.urlTemplate === "/.well-known/oauth-protected-resource") && operations.some((o) => o.props.method === "POST");
}

/** A Container App the platform's workload component created: an MCP server (type tokens only; the pack never imports components/). */
const isMcpWorkload = (r: PolicyResource) => r.type === resourceTypes.app.ContainerApp && r.urn.includes("mcp:workload:McpWorkload$");

function dependenciesOfApi(api: PolicyResource, property: string): PolicyResource[] {
    return api.propertyDependencies?.[property] ?? [];
}

/** Whether a child resource (operation, operation policy) belongs to `api`: by dependency, else by apiId and service. */
function belongsToApi(child: PolicyResource, api: PolicyResource): boolean {
    if (dependsVia(child, "apiId", api)) return true;
    return (
        typeof child.props.apiId === "string" &&
        (child.props.apiId === api.props.apiId || child.props.apiId === api.name) &&
        (child.props.serviceName === undefined || child.props.serviceName === api.props.serviceName)
    );
}

/**
 * Operation-level policies of an MCP API. API Management runs an operation's policy instead of the
 * API's unless the operation's sections contain `<base/>`, so each must inherit in every section,
 * with `<base/>` first in inbound (nothing may answer or rewrite the request before the API's token
 * validation). Returns the state each offending operation policy must reach.
 */
export function operationPolicyProblems(api: PolicyResource, resources: readonly PolicyResource[]): string[] {
    const problems: string[] = [];
    for (const policy of resources.filter((r) => r.type === resourceTypes.apimanagement.ApiOperationPolicy && belongsToApi(r, api))) {
        const parsed = parsePolicyXml(policy.props.value);
        if (!parsed || parsed.name !== "policies") {
            problems.push(`have well-formed operation policies (cannot evaluate ${policy.name}, so it fails closed)`);
            continue;
        }
        const inbound = direct(parsed, "inbound")[0];
        if (!inbound || inbound.children[0]?.name !== "base") {
            problems.push(`inherit its token validation in every operation (${policy.name} must start inbound with <base/>)`);
            continue;
        }
        const missing = ["backend", "outbound", "on-error"].filter((name) => direct(parsed, name).some((s) => direct(s, "base").length === 0));
        if (missing.length > 0) problems.push(`inherit the API policy in every section of ${policy.name} (no <base/> in ${missing.join(", ")})`);
    }
    return problems;
}

/** The API policy of `api`: linked by dependency (real preview) or, failing that, by apiId and service name. */
function policyResourceOf(api: PolicyResource, resources: readonly PolicyResource[]): PolicyResource | undefined {
    const policies = resources.filter((r) => r.type === resourceTypes.apimanagement.ApiPolicy);
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
    return resources.filter((r) => isMcpApi(r, resources)).map((api) => {
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
    check: (root: PolicyElement, api: PolicyResource) => string | undefined,
): void {
    for (const entry of mcpApiPolicies(resources)) {
        if (!entry.root) {
            must(entry.api, entry.problem!);
            continue;
        }
        const state = check(entry.root, entry.api);
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

/** Names of the variables `<set-variable>` assigns in `root`, with their value expressions. */
export function variables(root: PolicyElement): Map<string, string> {
    const out = new Map<string, string>();
    for (const v of findAll(root, "set-variable")) if (v.attributes.name) out.set(v.attributes.name, `${out.get(v.attributes.name) ?? ""}\n${v.attributes.value ?? ""}`);
    return out;
}

/** Whether `expression` reads the variable `name` (GetValueOrDefault or indexer). */
export function readsVariable(expression: string, name: string): boolean {
    return expression.includes(`"${name}"`);
}

/** Reads something a caller controls directly: a request header, query, URL, body or address (an unvalidated `AsJwt()` of a header too), not the validated token. */
export const readsRequest = (expression: string): boolean => /context\.Request\.(Headers|Url|IpAddress|OriginalUrl|MatchedParameters|Body)/.test(expression);

/**
 * Variables that hold a claim of the validated token (`Jwt` output of the validation), never a
 * request header: every assignment of the variable reads the claim and nothing the caller sends.
 */
export function claimVariables(root: PolicyElement, claim: string): string[] {
    return [...variables(root).entries()]
        .filter(([, value]) => value.includes("Jwt") && value.includes(`"${claim}"`) && !readsRequest(value))
        .map(([name]) => name);
}

/** The server an MCP API fronts: the last segment of its path (`mcp/docs` → `docs`). */
export function serverOf(api: PolicyResource): string | undefined {
    return typeof api.props.path === "string" ? api.props.path.split("/").filter(Boolean).pop() : undefined;
}
