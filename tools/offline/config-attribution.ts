import * as path from "node:path";
import { configPathLine, type ConfigPathStep } from "./stack-files";
import type { PlannedResource, Violation } from "./types";

/** For one policy: the config keys (in order) that may have set the value a finding on `resource` rejected. */
export type ConfigSources = Readonly<Record<string, (resource: PlannedResource) => readonly (readonly ConfigPathStep[])[]>>;

/**
 * Marks each resource finding whose value the stack file set (`setAt`: file, key, line), so reports
 * point at the setting a person changes rather than at the component line that passed it on. A
 * finding whose keys the file does not set (a profile default) stays at the resource.
 */
export function attributeToConfig(
    violations: readonly Violation[],
    resources: readonly PlannedResource[],
    sources: ConfigSources,
    stackFile: string,
    project: string,
): Violation[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    return violations.map((v) => {
        const resource = v.urn ? byUrn.get(v.urn) : undefined;
        const candidates = resource ? sources[v.policy]?.(resource) ?? [] : [];
        for (const steps of candidates) {
            const at = configPathLine(stackFile, project, steps);
            if (at) return { ...v, setAt: { file: path.relative(process.cwd(), stackFile) || stackFile, ...at } };
        }
        return v;
    });
}
