import type {
    EnforcementLevel,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { exemptionFor, exemptionsConfigSchema, recordExemption } from "./exemptions";

/**
 * Building blocks for the pack's policies: plain objects the Pulumi engine accepts as they are,
 * plus the metadata this project needs (controls, component). Every violation reads
 * `<Kind> <name> must <state> (<control ids>).` and is followed by the remediation.
 */

export interface PolicyMetadata {
    /** Control ids of CONTROLS.md that this policy enforces. */
    readonly controls: readonly string[];
    /** The component of this project that provisions the compliant setting. */
    readonly component: string;
    readonly severity: Severity;
    readonly remediationSteps: string;
    /** Mandatory unless the pack's config says otherwise. */
    readonly enforcementLevel: EnforcementLevel;
}

export type McpResourcePolicy = ResourceValidationPolicy &
    PolicyMetadata & {
        /** The type filter, exposed so an evaluator can skip non-matching resources without a throw. */
        readonly appliesToType?: (type: string) => boolean;
    };
export type McpStackPolicy = StackValidationPolicy & PolicyMetadata;
export type McpPolicy = McpResourcePolicy | McpStackPolicy;

interface CommonSpec {
    readonly name: string;
    readonly description: string;
    readonly controls: readonly string[];
    readonly component: string;
    readonly severity?: Severity;
    readonly remediationSteps: string;
    readonly enforcementLevel?: EnforcementLevel;
}

/** Reports that the resource must reach `state`; the helper adds the kind, name and control ids. */
export type ReportMust = (state: string) => void;

export interface ResourcePolicySpec<T> extends CommonSpec {
    /** Type tokens the policy applies to, or a predicate over the type; any other resource is `notApplicable`. */
    readonly appliesTo: readonly string[] | ((type: string) => boolean);
    readonly validate: (props: T, args: ResourceValidationArgs, must: ReportMust) => void;
}

export function resourcePolicy<T = Record<string, any>>(spec: ResourcePolicySpec<T>): McpResourcePolicy {
    const { appliesTo } = spec;
    const applies = typeof appliesTo === "function" ? appliesTo : (type: string) => appliesTo.includes(type);
    return {
        ...metadata(spec),
        appliesToType: applies,
        validateResource: (args, reportViolation) => {
            if (!applies(args.type)) args.notApplicable(`does not apply to ${args.type}`);
            const exemption = exemptionFor(args.getConfig(), args.name);
            if (exemption) {
                recordExemption(spec.name, args.urn, exemption.reason);
                args.notApplicable(`exempted: ${exemption.reason}`);
            }
            spec.validate(args.props as T, args, (state) =>
                reportViolation(formatViolation(args.type, args.name, state, spec.controls)),
            );
        },
    };
}

/** Reports that `resource` (or the stack, when omitted) must reach `state`. */
export type ReportStackMust = (resource: PolicyResource | undefined, state: string) => void;

export interface StackPolicySpec extends CommonSpec {
    readonly validate: (resources: PolicyResource[], args: StackValidationArgs, must: ReportStackMust) => void;
}

export function stackPolicy(spec: StackPolicySpec): McpStackPolicy {
    return {
        ...metadata(spec),
        validateStack: (args, reportViolation) => {
            const config = args.getConfig();
            spec.validate(args.resources, args, (resource, state) => {
                const exemption = resource ? exemptionFor(config, resource.name) : undefined;
                if (resource && exemption) {
                    recordExemption(spec.name, resource.urn, exemption.reason);
                    return;
                }
                const message = resource
                    ? formatViolation(resource.type, resource.name, state, spec.controls)
                    : `The stack must ${state} (${spec.controls.join(", ")}).`;
                reportViolation(message, resource?.urn);
            });
        },
    };
}

function metadata(spec: CommonSpec) {
    return {
        name: spec.name,
        description: spec.description,
        controls: spec.controls,
        component: spec.component,
        severity: spec.severity ?? "high",
        remediationSteps: spec.remediationSteps,
        enforcementLevel: spec.enforcementLevel ?? "mandatory",
        configSchema: exemptionsConfigSchema,
    };
}

/** `azure-native:keyvault:Vault` → `Vault`; `mcp:platform:McpPlatform` → `McpPlatform`. */
export function kindOf(type: string): string {
    return type.split(":").pop()?.split("/").pop() ?? type;
}

export function formatViolation(type: string, name: string, state: string, controls: readonly string[]): string {
    return `${kindOf(type)} ${name} must ${state} (${controls.join(", ")}).`;
}
