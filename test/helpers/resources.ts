import type { PlannedResource } from "../../tools/offline/types";

/** Every registered resource of `type`. */
export function ofType(resources: readonly PlannedResource[], type: string): PlannedResource[] {
    return resources.filter((r) => r.type === type);
}

/** The single resource of `type` (optionally whose logical name ends with `nameSuffix`); fails loudly otherwise. */
export function single(resources: readonly PlannedResource[], type: string, nameSuffix?: string): PlannedResource {
    const matches = ofType(resources, type).filter((r) => nameSuffix === undefined || r.name.endsWith(nameSuffix));
    if (matches.length !== 1) {
        throw new Error(`expected exactly one ${type}${nameSuffix ? ` named *${nameSuffix}` : ""}, found ${matches.length}: ${matches.map((m) => m.name).join(", ")}`);
    }
    return matches[0];
}

/** A planned resource for policy tests: a typed fixture with sensible defaults. */
export function planned(type: string, name: string, inputs: Record<string, any>, extra: Partial<PlannedResource> = {}): PlannedResource {
    return {
        urn: `urn:pulumi:test::mcp-platform::${type}::${name}`,
        type,
        name,
        inputs,
        custom: true,
        opts: { protect: false },
        dependencies: [],
        propertyDependencies: {},
        ...extra,
    };
}

/** Deep copy, so a test can mutate a synthesised stack without touching the cached one. */
export function clone<T>(value: T): T {
    return structuredClone(value);
}
