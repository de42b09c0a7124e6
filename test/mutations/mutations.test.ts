import { afterAll, describe, expect, it } from "vitest";
import { policies } from "../../policy-pack/policies";
import { buildMatrix } from "../../tools/controls/matrix";
import { evaluate } from "../../tools/offline";
import { clone } from "../helpers/resources";
import { stackResources } from "../helpers/stacks";
import { mutations } from "./catalog";
import type { Mutation } from "./mutate";
import { valueMutations } from "./values";

const baselines = ["dev", "prod"] as const;
type Tally = Map<string, { killed: number; total: number }>;
const kills = { removal: new Map() as Tally, value: new Map() as Tally };

/** One test per mutation and stack: the mutated stack must get a mandatory violation naming one of the mutation's controls. */
function mutationTests(kind: keyof typeof kills, catalogue: readonly Mutation[]) {
    for (const mutation of catalogue) {
        for (const stack of mutation.stacks ?? baselines) {
            it(`${kind} ${stack}: ${mutation.description} → a mandatory violation naming ${mutation.controls.join("/")}`, async () => {
                const mutated = mutation.apply(clone(await stackResources(stack)));
                const violations = await evaluate(mutated, { stack });
                const killed = violations.some(
                    (v) => v.enforcementLevel === "mandatory" && v.controls.some((c) => mutation.controls.includes(c)),
                );
                for (const control of mutation.controls) {
                    const entry = kills[kind].get(control) ?? { killed: 0, total: 0 };
                    kills[kind].set(control, { killed: entry.killed + Number(killed), total: entry.total + 1 });
                }
                expect(killed, violations.map((v) => `${v.policy}: ${v.message}`).join("\n") || "no violations").toBe(true);
            });
        }
    }
}

const cases = (catalogue: readonly Mutation[]) => catalogue.reduce((n, m) => n + (m.stacks ?? baselines).length, 0);

describe("mutation testing: every enforced control switched off or weakened is caught", () => {
    it.each(baselines)("the %s baseline has zero violations", async (stack) => {
        expect(await evaluate(await stackResources(stack), { stack })).toEqual([]);
    });

    it("has at least one mutation for every enforced control", () => {
        const enforced = buildMatrix(policies).filter((r) => r.status === "enforced").map((r) => r.control.id);
        const covered = new Set(mutations.flatMap((m) => m.controls));
        expect(enforced.filter((id) => !covered.has(id))).toEqual([]);
    });

    it("has at least 150 value mutations over dev and prod, each naming its controls", () => {
        expect(cases(valueMutations)).toBeGreaterThanOrEqual(150);
        expect(valueMutations.filter((m) => m.controls.length === 0)).toEqual([]);
        expect(new Set(valueMutations.map((m) => m.description)).size).toBe(valueMutations.length);
    });

    mutationTests("removal", mutations);
    mutationTests("value", valueMutations);

    afterAll(() => {
        for (const [kind, catalogue] of [["removal", mutations], ["value", valueMutations]] as const) {
            const rows = [...kills[kind].entries()].sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }));
            const killedCases = rows.reduce((n, [, k]) => n + k.killed, 0);
            const total = rows.reduce((n, [, k]) => n + k.total, 0);
            console.log(
                `\n${kind} mutation kill rate per control (${killedCases}/${total} control hits killed; ${catalogue.length} mutations, ${cases(catalogue)} cases over dev and prod):\n` +
                    rows.map(([control, k]) => `  ${control.padEnd(6)} ${k.killed}/${k.total}${k.killed === k.total ? "" : "  ← survived"}`).join("\n"),
            );
        }
    });
});
