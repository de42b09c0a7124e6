import type { PlannedResource } from "../../tools/offline/types";

/**
 * Building blocks for mutation tests: each switches one control off in a synthesised stack, the
 * way a careless edit or an insecure fork would. Every helper throws when it matches nothing, so a
 * mutation can never pass by silently doing nothing.
 */
export interface Mutation {
    /** Control ids the mutation switches off; the pack must report a mandatory violation naming one. */
    readonly controls: readonly string[];
    readonly description: string;
    /** Stacks the mutation applies to (defaults to both baselines). */
    readonly stacks?: readonly ("dev" | "prod")[];
    readonly apply: (resources: PlannedResource[]) => PlannedResource[];
}

type Match = (r: PlannedResource) => boolean;

function matching(resources: PlannedResource[], type: string, match: Match = () => true): PlannedResource[] {
    const found = resources.filter((r) => r.type === type && match(r));
    if (found.length === 0) throw new Error(`mutation matched no ${type}`);
    return found;
}

/** Sets (or deletes, with `undefined`) the input at a dotted path (`a.b[0].c`) on every match. */
export function setInput(type: string, at: string, value: unknown, match?: Match) {
    return (resources: PlannedResource[]) => {
        for (const r of matching(resources, type, match)) assign(r.inputs, at, value);
        return resources;
    };
}

/** Replaces inputs through a function, for edits a path cannot express (XML, lists). */
export function editInputs(type: string, edit: (inputs: Record<string, any>, r: PlannedResource) => void, match?: Match) {
    return (resources: PlannedResource[]) => {
        for (const r of matching(resources, type, match)) edit(r.inputs, r);
        return resources;
    };
}

/**
 * Rewrites a policy document (input `value`) of every match; throws when the pattern is absent, so
 * an XML mutation that no longer applies fails instead of passing silently.
 */
export function editXml(type: string, pattern: RegExp | string, replacement: string, match?: Match) {
    return editInputs(
        type,
        (inputs, r) => {
            const before: string = inputs.value;
            const after = before.replace(pattern, replacement);
            if (after === before) throw new Error(`mutation pattern ${String(pattern)} not found in ${r.name}`);
            inputs.value = after;
        },
        match,
    );
}

/** Adds a resource, e.g. a forbidden one a careless edit would introduce. */
export function add(resource: PlannedResource) {
    return (resources: PlannedResource[]) => [...resources, resource];
}

/** Applies several edits in order. */
export function all(...edits: ((resources: PlannedResource[]) => PlannedResource[])[]) {
    return (resources: PlannedResource[]) => edits.reduce((acc, edit) => edit(acc), resources);
}

export const named = (name: string): Match => (r) => r.name === name;
export const nameEndsWith = (suffix: string): Match => (r) => r.name.endsWith(suffix);

/** Removes every resource of the type (and nothing else). */
export function drop(type: string, match?: Match) {
    return (resources: PlannedResource[]) => {
        const gone = new Set(matching(resources, type, match).map((r) => r.urn));
        return resources.filter((r) => !gone.has(r.urn));
    };
}

/** Sets `protect` to false on every match. */
export function unprotect(type: string) {
    return (resources: PlannedResource[]) => {
        for (const r of matching(resources, type)) (r.opts as { protect: boolean }).protect = false;
        return resources;
    };
}

function assign(target: Record<string, any>, at: string, value: unknown): void {
    const parts = at.replace(/\[(\d+)\]/g, ".$1").split(".");
    let cur: any = target;
    for (const part of parts.slice(0, -1)) {
        if (cur[part] === undefined) cur[part] = /^\d+$/.test(part) ? [] : {};
        cur = cur[part];
    }
    const last = parts[parts.length - 1];
    if (value === undefined) delete cur[last];
    else cur[last] = value;
}
