import type { McpPolicy } from "../../policy-pack/lib/policy";
import { evaluate, PackConfig } from "../../tools/offline/evaluate";
import type { PlannedResource, Violation } from "../../tools/offline/types";

/** Runs one policy over the given resources with the engine's argument shape; returns its violations. */
export async function violationsOf(policy: McpPolicy, resources: readonly PlannedResource[], packConfig?: PackConfig): Promise<Violation[]> {
    return evaluate(resources, { stack: "test", policies: [policy], packConfig });
}
