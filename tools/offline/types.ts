/** Keys from a resource's inputs down to a value the program wrapped in `pulumi.secret` (or the SDK marked secret). */
export type SecretPath = readonly (string | number)[];

/** A resource as the program registered it, before any cloud call. */
export interface PlannedResource {
    readonly urn: string;
    readonly type: string;
    /** Logical (Pulumi) name. */
    readonly name: string;
    /** URN of the parent resource, when it has one. */
    readonly parent?: string;
    /** The inputs the program passed, resolved (secrets unwrapped, as a policy sees them). */
    inputs: Record<string, any>;
    /** Whether the resource is a custom (cloud) resource or a component. */
    readonly custom: boolean;
    /** Resource options a policy can read. */
    readonly opts: { protect: boolean };
    /** URNs of the resources this one depends on, all and per input property. */
    readonly dependencies: string[];
    readonly propertyDependencies: Record<string, string[]>;
    /** What the mock cloud answered (ARM id and outputs); stack policies see `{ ...outputs, ...inputs }`. */
    readonly id?: string;
    readonly outputs?: Record<string, any>;
    /** Where `inputs` holds secret values: every report masks them (policies see them, as under the engine). */
    readonly secretPaths?: readonly SecretPath[];
    /** The program line whose constructor call registered the resource (absolute file), when the stack showed it. */
    readonly source?: { readonly file: string; readonly line: number };
}

export interface Violation {
    readonly policy: string;
    readonly enforcementLevel: "advisory" | "mandatory" | "remediate" | "disabled";
    readonly urn?: string;
    readonly message: string;
    readonly controls: readonly string[];
    readonly severity?: string;
    /** The stack-file key that set the value the policy rejected, when the program says so (tools/plan.ts). */
    readonly setAt?: { readonly file: string; readonly key: string; readonly line: number };
}

export interface StackRef {
    /** Stack name; `Pulumi.<stack>.yaml` is read from `cwd`. */
    readonly stack: string;
    /** Project directory (holds `Pulumi.yaml`). Defaults to the repository root. */
    readonly cwd?: string;
    /** Project name, for the `pulumi:project` stack tag. */
    readonly project?: string;
}
