import type { PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { collectExemptions, UsedExemption } from "../../policy-pack/lib/exemptions";
import { McpPolicy, McpStackPolicy } from "../../policy-pack/lib/policy";
import { policies as packPolicies } from "../../policy-pack/policies";
import { PackConfig, reconcilePackConfig } from "./pack-config";
import { pulumiTypeOf, typeFilterOf } from "./sdk";
import { PlannedResource, StackRef, Violation } from "./types";

export type { PackConfig } from "./pack-config";

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

/** A policy threw (not `notApplicable`): the evaluation stops and names it. */
export class PolicyError extends Error {
    constructor(
        readonly policy: string,
        readonly cause: Error,
        urn?: string,
    ) {
        super(`policy ${policy}${urn ? ` on ${urn.split("::").pop()}` : ""}: ${cause.message}`);
        this.name = "PolicyError";
    }
}

/**
 * Re-entrant: the exemptions a run records travel with its async context (see exemptions.ts),
 * so evaluations running in parallel never see each other's.
 */
export async function evaluateDetailed(resources: readonly PlannedResource[], options: EvaluateOptions): Promise<Evaluation> {
    const { result, exemptions } = await collectExemptions(() => evaluateAll(resources, options));
    return { ...result, exemptions };
}

async function evaluateAll(resources: readonly PlannedResource[], options: EvaluateOptions): Promise<Omit<Evaluation, "exemptions">> {
    const policies = options.policies ?? packPolicies;
    const reconciled = reconcilePackConfig(policies, options.packConfig);
    const stackTags: ReadonlyMap<string, string> = new Map([
        ["pulumi:project", options.project ?? ""],
        ["pulumi:runtime", "nodejs"],
        ["pulumi:stack", options.stack],
    ]);
    const violations: Violation[] = [];
    let evaluated = 0;

    const policyResources = toPolicyResources(resources);
    for (const policy of policies) {
        const { enforcementLevel: level, properties } = reconciled.get(policy.name)!;
        if (level === "disabled") continue;
        evaluated++;
        const getConfig = <T extends object>(): T => structuredClone(properties) as T;
        const push = (message: string, urn?: string) =>
            violations.push({ policy: policy.name, enforcementLevel: level, urn, message, controls: policy.controls, severity: policy.severity });

        if ("validateResource" in policy && policy.validateResource) {
            const validators = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
            const applies = typeFilterOf(policy);
            for (const resource of policyResources) {
                if (applies && !applies(resource.type)) continue;
                const args: ResourceValidationArgs = {
                    type: resource.type,
                    props: resource.props,
                    urn: resource.urn,
                    name: resource.name,
                    opts: resource.opts,
                    stackTags,
                    isType: (cls) => pulumiTypeOf(cls) === resource.type,
                    asType: (cls) => (pulumiTypeOf(cls) === resource.type ? (resource.props as any) : undefined),
                    getConfig,
                    notApplicable: throwNotApplicable,
                };
                for (const validate of validators) await run(policy.name, resource.urn, () => validate(args, (message) => push(message, resource.urn)));
            }
        }
        if ("validateStack" in policy && (policy as McpStackPolicy).validateStack) {
            const args: StackValidationArgs = { resources: policyResources, stackTags, getConfig, notApplicable: throwNotApplicable };
            await run(policy.name, undefined, () => (policy as McpStackPolicy).validateStack(args, push));
        }
    }
    return { violations, policiesEvaluated: evaluated };
}

async function run(policy: string, urn: string | undefined, fn: () => void | Promise<void>): Promise<void> {
    try {
        await fn();
    } catch (err) {
        if (err instanceof NotApplicable) return;
        throw new PolicyError(policy, err instanceof Error ? err : new Error(String(err)), urn);
    }
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
            isType: (cls) => pulumiTypeOf(cls) === r.type,
            asType: (cls) => (pulumiTypeOf(cls) === r.type ? (r.inputs as any) : undefined),
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
