/**
 * The offline plan as a library: synthesise a stack under the mock cloud, then evaluate the policy
 * pack over the planned resources. A test can change `resources` between the two steps.
 */
import { synthesize as synthesizeStack, SynthesizeOptions } from "./synthesize";
import { PlannedResource } from "./types";

export { evaluate, evaluateDetailed } from "./evaluate";
export type { EvaluateOptions, Evaluation, PackConfig } from "./evaluate";
export type { PlannedResource, Violation, StackRef } from "./types";
export type { SynthesizeOptions, Synthesis } from "./synthesize";
export { repositoryRoot } from "./synthesize";

export async function synthesize(options: SynthesizeOptions): Promise<{ resources: PlannedResource[] }> {
    const { resources } = await synthesizeStack(options);
    return { resources };
}
