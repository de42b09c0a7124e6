import { platformType } from "../../policy-pack/contract/declaration";
import { PlannedResource } from "./types";

/**
 * The optional controls a stack declares off, with the reason it gives. The platform component
 * (`components/platform`, `platformDeclaration`) registers them as inputs of its `McpPlatform`
 * resource; the plan reads them from there (the declaration's one home) into every report.
 */
export interface OptionalControlOff {
    readonly feature: string;
    readonly controls: readonly string[];
    /** The stack's stated reason; a declaration without one is reported as such, never left blank. */
    readonly reason: string;
}

export const missingReason = "(no reason declared)";

export function optionalControlsOff(resources: readonly PlannedResource[]): OptionalControlOff[] {
    const platform = resources.find((r) => r.type === platformType);
    const declared = platform?.inputs?.optionalControls;
    if (!declared || typeof declared !== "object") return [];
    return Object.entries<any>(declared)
        .filter(([, entry]) => entry?.enabled !== true)
        .map(([feature, entry]) => ({
            feature,
            controls: Array.isArray(entry?.controls) ? entry.controls.map(String) : [],
            reason: typeof entry?.reason === "string" && entry.reason.trim() !== "" ? entry.reason : missingReason,
        }))
        .sort((a, b) => a.feature.localeCompare(b.feature));
}
