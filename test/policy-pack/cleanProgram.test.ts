import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { evaluate, synthesize } from "../../tools/offline";
import { root } from "../helpers/cli";

/**
 * False positives: a program that uses none of the platform's services (the shape of a public
 * Pulumi example, tagged) must get no finding it cannot fix: zero findings from the whole pack,
 * the stack-wide monitoring policies included (they apply to stacks that deploy MCP services,
 * policy-pack/lib/mcpStack.ts).
 */
describe("a clean program that uses none of the platform's services", () => {
    it("gets no finding from the pack", async () => {
        const cwd = path.join(root, "test", "policy-pack", "fixtures", "clean-program");
        const { resources } = await synthesize({ stack: "dev", cwd, project: "clean-example" });
        const violations = await evaluate(resources, { stack: "dev" });
        expect(violations.map((v) => `${v.policy}: ${v.message}`)).toEqual([]);
    });
});
