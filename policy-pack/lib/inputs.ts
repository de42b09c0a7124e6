import type { Unwrap } from "@pulumi/pulumi";

/**
 * A resource's inputs as a policy reads them: the SDK's own `<Kind>Args` type (imported with
 * `import type`, so the standalone pack needs no SDK at run time), unwrapped from `Input<…>` and
 * with every property optional, because a policy must decide what an absent value means (and it
 * always decides the unsafe way).
 */
export type Inputs<T> = DeepPartial<Unwrap<T>>;

type DeepPartial<T> = T extends (infer U)[] ? DeepPartial<U>[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
