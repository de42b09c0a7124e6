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
 * During a preview a value computed from a resource not yet created is unknown, and reading it
 * throws UnknownValueError. The engine would turn that into an advisory "can't run" note, i.e. the
 * control would pass unchecked; the pack fails closed instead, with a mandatory violation saying
 * which value it could not evaluate. (`pulumi up` evaluates again with the values known.)
 */
function cannotEvaluate(error: Error): string {
    return `have values the policy can evaluate (${error.message}, so the check fails closed; run it again once the value is known, e.g. after the resources it depends on exist)`;
}

/** @pulumi/policy's UnknownValueError (its type declarations do not export the class, so it is recognised by name). */
const isUnknownValue = (error: unknown): error is Error => error instanceof Error && error.constructor?.name === "UnknownValueError";

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
            const must = (state: string) => reportViolation(formatViolation(args.type, args.name, state, spec.controls));
            try {
                spec.validate(args.props as T, args, must);
            } catch (error) {
                if (!isUnknownValue(error)) throw error;
                must(cannotEvaluate(error));
            }
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
            const must: ReportStackMust = (resource, state) => {
                const exemption = resource ? exemptionFor(config, resource.name) : undefined;
                if (resource && exemption) {
                    recordExemption(spec.name, resource.urn, exemption.reason);
                    return;
                }
                const message = resource
                    ? formatViolation(resource.type, resource.name, state, spec.controls)
                    : `The stack must ${state} (${spec.controls.join(", ")}).`;
                reportViolation(message, resource?.urn);
            };
            try {
                spec.validate(args.resources, args, must);
            } catch (error) {
                if (!isUnknownValue(error)) throw error;
                must(undefined, cannotEvaluate(error));
            }
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

function formatViolation(type: string, name: string, state: string, controls: readonly string[]): string {
    return `${kindOf(type)} ${name} must ${state} (${controls.join(", ")}).`;
}
