import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { policies } from "../policy-pack/policies";
import { buildMatrix, renderMatrix } from "./controls/matrix";

// `npm run docs`: regenerates docs/controls.md from the policy metadata. CI fails when it is stale.
export const controlsDocPath = path.resolve(__dirname, "..", "docs", "controls.md");

if (require.main === module) {
    const rows = buildMatrix(policies);
    writeFileSync(controlsDocPath, renderMatrix(rows));
    console.log(`wrote ${path.relative(process.cwd(), controlsDocPath)} (${rows.length} controls)`);
}
