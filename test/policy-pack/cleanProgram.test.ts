import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as monitoring from "../../policy-pack/policies/monitoring";
import { evaluate, synthesize } from "../../tools/offline";
import { root } from "../helpers/cli";

/**
 * False positives: a program that uses none of the platform's services (the shape of a public
 * Pulumi example, tagged) must get no finding it cannot fix. The two monitoring policies
 * (monitoring.ts, owned by the Sentinel work of issue 14) still demand a workspace and a diagnostic
 * setting of every stack; they are listed apart so this test shows the rest of the pack is quiet,
 * and the list must shrink to nothing when that work lands.
 */
const monitoringPolicies = new Set(Object.values(monitoring).map((p) => (p as { name?: string }).name));

describe("a clean program that uses none of the platform's services", () => {
    it("gets no finding from the pack outside the monitoring policies", async () => {
        const cwd = path.join(root, "test", "policy-pack", "fixtures", "clean-program");
        const { resources } = await synthesize({ stack: "dev", cwd, project: "clean-example" });
        const violations = await evaluate(resources, { stack: "dev" });
        expect(violations.filter((v) => !monitoringPolicies.has(v.policy)).map((v) => `${v.policy}: ${v.message}`)).toEqual([]);
    });
});
