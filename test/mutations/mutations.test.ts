import { afterAll, describe, expect, it } from "vitest";
import { policies } from "../../policy-pack/policies";
import { buildMatrix } from "../../tools/controls/matrix";
import { evaluate } from "../../tools/offline";
import { clone } from "../helpers/resources";
import { stackResources } from "../helpers/stacks";
import { mutations } from "./catalog";

const baselines = ["dev", "prod"] as const;
const kills = new Map<string, { killed: number; total: number }>();

describe("mutation testing: every enforced control switched off is caught", () => {
    it.each(baselines)("the %s baseline has zero violations", async (stack) => {
        expect(await evaluate(await stackResources(stack), { stack })).toEqual([]);
    });

    it("has at least one mutation for every enforced control", () => {
        const enforced = buildMatrix(policies).filter((r) => r.status === "enforced").map((r) => r.control.id);
        const covered = new Set(mutations.flatMap((m) => m.controls));
        expect(enforced.filter((id) => !covered.has(id))).toEqual([]);
    });

    for (const mutation of mutations) {
        for (const stack of mutation.stacks ?? baselines) {
            it(`${stack}: ${mutation.description} → a mandatory violation naming ${mutation.controls.join("/")}`, async () => {
                const mutated = mutation.apply(clone(await stackResources(stack)));
                const violations = await evaluate(mutated, { stack });
                const killed = violations.some(
                    (v) => v.enforcementLevel === "mandatory" && v.controls.some((c) => mutation.controls.includes(c)),
                );
                for (const control of mutation.controls) {
                    const entry = kills.get(control) ?? { killed: 0, total: 0 };
                    kills.set(control, { killed: entry.killed + Number(killed), total: entry.total + 1 });
                }
                expect(killed, violations.map((v) => `${v.policy}: ${v.message}`).join("\n") || "no violations").toBe(true);
            });
        }
    }

    afterAll(() => {
        const rows = [...kills.entries()].sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }));
        const killed = rows.reduce((n, [, k]) => n + k.killed, 0);
        const total = rows.reduce((n, [, k]) => n + k.total, 0);
        console.log(
            `\nMutation kill rate per control (${killed}/${total} killed, ${mutations.length} mutations over dev and prod):\n` +
                rows.map(([control, k]) => `  ${control.padEnd(6)} ${k.killed}/${k.total}${k.killed === k.total ? "" : "  ← survived"}`).join("\n"),
        );
    });
});
