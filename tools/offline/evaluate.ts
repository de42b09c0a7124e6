import type { EnforcementLevel, PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { takeUsedExemptions, UsedExemption } from "../../policy-pack/lib/exemptions";
import { McpPolicy, McpResourcePolicy, McpStackPolicy } from "../../policy-pack/lib/policy";
import { policies as packPolicies } from "../../policy-pack/policies";
import { PlannedResource, StackRef, Violation } from "./types";

/** The pack's config as `pulumi preview --policy-pack-config` takes it: per policy a level or an object. */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface EvaluateOptions extends StackRef {
    readonly packConfig?: PackConfig;
    /** Defaults to every policy of the pack. */
    readonly policies?: readonly McpPolicy[];
}

export interface Evaluation {
    readonly violations: Violation[];
    readonly exemptions: UsedExemption[];
    readonly policiesEvaluated: number;
}

class NotApplicable extends Error {}
const throwNotApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
};

/**
 * Evaluates every resource and stack policy of the pack over planned resources, with the argument
 * shape the Pulumi engine uses (`notApplicable`, `stackTags`, `getConfig`). Pure and in-process,
 * so a test can mutate a synthesised stack and evaluate it hundreds of times.
 */
export async function evaluate(resources: readonly PlannedResource[], options: EvaluateOptions): Promise<Violation[]> {
    return (await evaluateDetailed(resources, options)).violations;
}

export async function evaluateDetailed(resources: readonly PlannedResource[], options: EvaluateOptions): Promise<Evaluation> {
    const policies = options.policies ?? packPolicies;
    const packConfig = options.packConfig ?? {};
    const stackTags: ReadonlyMap<string, string> = new Map([
        ["pulumi:project", options.project ?? ""],
        ["pulumi:runtime", "nodejs"],
        ["pulumi:stack", options.stack],
    ]);
    const violations: Violation[] = [];
    takeUsedExemptions();
    let evaluated = 0;

    const policyResources = toPolicyResources(resources);
    for (const policy of policies) {
        const level = enforcementLevelOf(policy, packConfig);
        if (level === "disabled") continue;
        evaluated++;
        const getConfig = <T extends object>(): T => configFor(policy, packConfig) as T;
        const push = (message: string, urn?: string) =>
            violations.push({ policy: policy.name, enforcementLevel: level, urn, message, controls: policy.controls, severity: policy.severity });

        if ("validateResource" in policy && policy.validateResource) {
            const validators = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
            const applies = (policy as McpResourcePolicy).appliesToType;
            for (const resource of policyResources) {
                if (applies && !applies(resource.type)) continue;
                const args: ResourceValidationArgs = {
                    type: resource.type,
                    props: resource.props,
                    urn: resource.urn,
                    name: resource.name,
                    opts: resource.opts,
                    stackTags,
                    isType: (cls) => (cls as any).__pulumiType === resource.type,
                    asType: (cls) => ((cls as any).__pulumiType === resource.type ? (resource.props as any) : undefined),
                    getConfig,
                    notApplicable: throwNotApplicable,
                };
                for (const validate of validators) await run(() => validate(args, (message) => push(message, resource.urn)));
            }
        }
        if ("validateStack" in policy && (policy as McpStackPolicy).validateStack) {
            const args: StackValidationArgs = { resources: policyResources, stackTags, getConfig, notApplicable: throwNotApplicable };
            await run(() => (policy as McpStackPolicy).validateStack(args, push));
        }
    }
    return { violations, exemptions: takeUsedExemptions(), policiesEvaluated: evaluated };
}

async function run(fn: () => void | Promise<void>): Promise<void> {
    try {
        await fn();
    } catch (err) {
        if (!(err instanceof NotApplicable)) throw err;
    }
}

function enforcementLevelOf(policy: McpPolicy, packConfig: PackConfig): EnforcementLevel {
    const entry = packConfig[policy.name] ?? packConfig["all"];
    if (typeof entry === "string") return entry;
    return entry?.enforcementLevel ?? policy.enforcementLevel ?? "mandatory";
}

function configFor(policy: McpPolicy, packConfig: PackConfig): Record<string, unknown> {
    const defaults = Object.fromEntries(
        Object.entries(policy.configSchema?.properties ?? {})
            .filter(([, schema]) => (schema as { default?: unknown }).default !== undefined)
            .map(([key, schema]) => [key, (schema as { default?: unknown }).default]),
    );
    const entry = packConfig[policy.name];
    const own = typeof entry === "object" ? Object.fromEntries(Object.entries(entry).filter(([k]) => k !== "enforcementLevel")) : {};
    return { ...defaults, ...own };
}

/** PolicyResource objects with parent and dependency links, as the engine builds them for stack policies. */
function toPolicyResources(resources: readonly PlannedResource[]): (PolicyResource & { props: Record<string, any> })[] {
    const byUrn = new Map<string, PolicyResource>();
    const list = resources.map((r) => {
        const resource: PolicyResource = {
            type: r.type,
            props: r.inputs,
            urn: r.urn,
            name: r.name,
            opts: { protect: r.opts.protect, ignoreChanges: [], aliases: [], additionalSecretOutputs: [] } as any,
            dependencies: [],
            propertyDependencies: {},
            isType: (cls) => (cls as any).__pulumiType === r.type,
            asType: (cls) => ((cls as any).__pulumiType === r.type ? (r.inputs as any) : undefined),
        };
        byUrn.set(r.urn, resource);
        return resource;
    });
    resources.forEach((r, i) => {
        const resource = list[i] as any;
        resource.parent = r.parent ? byUrn.get(r.parent) : undefined;
        resource.dependencies = r.dependencies.map((u) => byUrn.get(u)).filter(Boolean);
        resource.propertyDependencies = Object.fromEntries(
            Object.entries(r.propertyDependencies).map(([k, urns]) => [k, urns.map((u) => byUrn.get(u)).filter(Boolean)]),
        );
    });
    return list;
}
