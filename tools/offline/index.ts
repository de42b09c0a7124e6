/**
 * The offline plan as a library: synthesise a stack under the mock cloud, then evaluate the policy
 * pack over the planned resources. A test can change `resources` between the two steps.
 */
import { synthesize as synthesizeStack, SynthesizeOptions } from "./synthesize";
import { PlannedResource } from "./types";

export { evaluate, evaluateDetailed, PolicyError } from "./evaluate";
export type { EvaluateOptions, Evaluation, PackConfig } from "./evaluate";
export { PackConfigError, reconcilePackConfig } from "./pack-config";
export { ProgramError } from "./program-errors";
export { optionalControlsOff } from "./declaration";
export type { OptionalControlOff } from "./declaration";
export type { PlannedResource, Violation, StackRef } from "./types";
export type { SynthesizeOptions, Synthesis } from "./synthesize";
export { repositoryRoot } from "./synthesize";

export async function synthesize(options: SynthesizeOptions): Promise<{ resources: PlannedResource[] }> {
    const { resources } = await synthesizeStack(options);
    return { resources };
}
