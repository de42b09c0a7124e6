import { captureRegistrations, repositoryRoot } from "../../tools/offline/synthesize";
import type { PlannedResource } from "../../tools/offline/types";

/**
 * Runs `build` (which constructs components) under the offline plan's mock cloud and returns what
 * it registered. For component tests: no stack file, config given inline. The first error (a throw
 * or a rejected apply) rejects, so a component's invariant failure is what the test sees.
 */
export async function runUnderMocks(
    build: () => void,
    options: { project?: string; stack?: string; config?: Record<string, string> } = {},
): Promise<PlannedResource[]> {
    const run = await captureRegistrations(build, {
        cwd: repositoryRoot,
        project: options.project ?? "mcp-platform",
        stack: options.stack ?? "test",
        config: options.config ?? {},
    });
    if (run.errors.length > 0) throw run.errors[0];
    return [...run.captured.values()];
}
