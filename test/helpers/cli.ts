import { spawnSync } from "node:child_process";
import * as path from "node:path";

export const root = path.resolve(__dirname, "..", "..");

/** Runs `npm run plan -- <args>` the way a user does (tsx, fresh process); returns code and output. */
export function runPlan(args: string[]): { code: number; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), path.join(root, "tools", "plan.ts"), ...args], {
        cwd: root,
        encoding: "utf8",
        timeout: 120_000,
    });
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
