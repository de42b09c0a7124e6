import { describe, expect, it } from "vitest";
import { recordExemption } from "../../policy-pack/lib/exemptions";
import { resourcePolicy, stackPolicy } from "../../policy-pack/lib/policy";
import { evaluateDetailed } from "../../tools/offline/evaluate";
import { planned } from "../helpers/resources";

// Exemptions travel with the evaluation (issue 9): two evaluations in parallel each list only their own.
const type = "test:index:Thing";
const reason = (n: number) => `waived for evaluation ${n} of the parallel test (CHG-${n})`;
const resourceCheck = resourcePolicy({
    name: "test-resource-check",
    description: "test policy",
    controls: ["C0.0"],
    component: "test",
    remediationSteps: "none",
    appliesTo: [type],
    validate: (props, _args, must) => {
        if (props.good !== true) must("be good");
    },
});
const stackCheck = stackPolicy({
    name: "test-stack-check",
    description: "test policy",
    controls: ["C0.0"],
    component: "test",
    remediationSteps: "none",
    validate: (resources, _args, must) => {
        for (const r of resources) if (r.props.good !== true) must(r, "be good");
    },
});
const resources = Array.from({ length: 40 }, (_, i) => planned(type, `thing-${i}`, { good: false }));

describe("evaluate is re-entrant", () => {
    it("keeps the exemptions of two parallel evaluations apart", async () => {
        const run = (n: number) =>
            evaluateDetailed(resources, {
                stack: "dev",
                policies: [resourceCheck, stackCheck],
                packConfig: {
                    "test-resource-check": { exemptions: resources.filter((_, i) => i % 2 === n).map((r) => ({ resource: r.name, reason: reason(n) })) },
                    "test-stack-check": { exemptions: [{ resource: `thing-${n}`, reason: reason(n) }] },
                },
            });
        const [first, second] = await Promise.all([run(0), run(1)]);
        for (const [n, evaluation] of [[0, first], [1, second]] as const) {
            expect(new Set(evaluation.exemptions.map((e) => e.reason))).toEqual(new Set([reason(n)]));
            expect(evaluation.exemptions).toHaveLength(resources.length / 2 + 1);
            // What one evaluation exempted is still a violation of the other.
            const exemptedElsewhere = (n === 0 ? second : first).exemptions.filter((e) => e.policy === "test-resource-check").map((e) => e.urn);
            const violated = new Set(evaluation.violations.filter((v) => v.policy === "test-resource-check").map((v) => v.urn));
            for (const urn of exemptedElsewhere) expect(violated.has(urn)).toBe(true);
        }
    });

    it("records nothing outside an evaluation (as under the engine, which has no channel for it)", async () => {
        recordExemption("test-resource-check", "urn:x", reason(9));
        const { exemptions } = await evaluateDetailed(resources.slice(0, 1), { stack: "dev", policies: [resourceCheck] });
        expect(exemptions).toEqual([]);
    });
});
