import * as path from "node:path";
import type { PlatformConfig } from "../../stacks/config";
import { resolvePlatformConfig } from "../../stacks/config";
import { readStackFiles } from "../../tools/offline/stack-files";

const repoRoot = path.resolve(__dirname, "..", "..");

/** The resolved config of one of this repository's stacks, read as the plan reads it. */
export function loadStackConfig(stack: "dev" | "prod"): PlatformConfig {
    const files = readStackFiles(repoRoot, stack);
    return resolvePlatformConfig(files.project, stack, files.config);
}
