import { synthesize } from "../../tools/offline";
import type { PlannedResource } from "../../tools/offline/types";

const cache = new Map<string, Promise<PlannedResource[]>>();

/** The synthesised resources of a stack of this repo, once per test file (treat as read-only; `clone` to mutate). */
export function stackResources(stack: "dev" | "prod"): Promise<PlannedResource[]> {
    if (!cache.has(stack)) cache.set(stack, synthesize({ stack }).then((s) => s.resources));
    return cache.get(stack)!;
}
