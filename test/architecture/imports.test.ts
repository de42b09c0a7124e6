import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { directionViolations, importCycles, importEdges, layerOf, listSources, type ImportEdge } from "./importGraph";

const root = path.resolve(__dirname, "../..");
const edges = importEdges(root, listSources(root));

describe("import graph (issue: layers point one way)", () => {
    it("reads the whole tree", () => {
        expect(edges.length).toBeGreaterThan(200);
        const layers = new Set(edges.map((e) => layerOf(e.from)));
        for (const layer of ["components/platform", "components/*", "components/shared", "stacks", "pack", "pack/contract", "tools"]) {
            expect(layers.has(layer), layer).toBe(true);
        }
    });

    it("has no import against stacks → components/platform → components/* → components/shared; the pack stands alone", () => {
        expect(directionViolations(edges)).toEqual([]);
    });

    it("has no import circle, type-only imports included", () => {
        expect(importCycles(edges).map((c) => c.join(" → "))).toEqual([]);
    });

    it("catches a component importing the stack layer, the pack importing a component, and the azure-native root", () => {
        const bad: ImportEdge[] = [
            { from: "components/workload/index.ts", to: "stacks/schema.ts", external: false },
            { from: "policy-pack/policies/runtime.ts", to: "components/network/cidr.ts", external: false },
            { from: "components/shared/naming.ts", to: "components/platform/index.ts", external: false },
            { from: "components/edge/index.ts", to: "@pulumi/azure-native", external: true },
        ];
        expect(directionViolations(bad)).toHaveLength(4);
    });

    it("catches a type-only circle", () => {
        const circle: ImportEdge[] = [
            { from: "stacks/profiles.ts", to: "stacks/schema.ts", external: false },
            { from: "stacks/schema.ts", to: "stacks/profiles.ts", external: false },
        ];
        expect(importCycles(circle)).toEqual([["stacks/profiles.ts", "stacks/schema.ts", "stacks/profiles.ts"]]);
    });
});
