import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { policies } from "../../policy-pack/policies";
import { resourcePolicy } from "../../policy-pack/lib/policy";
import { catalog } from "../../tools/controls/catalog";
import { buildMatrix, renderMatrix } from "../../tools/controls/matrix";
import { controlsDocPath } from "../../tools/controls-doc";

describe("control matrix (docs/controls.md)", () => {
    it("is up to date with the policy metadata — run `npm run docs` after changing a policy", () => {
        const expected = renderMatrix(buildMatrix(policies));
        expect(readFileSync(controlsDocPath, "utf8")).toBe(expected);
    });

    it("gives every catalogue control a status, and every enforced control a mandatory policy and a component", () => {
        const rows = buildMatrix(policies);
        expect(rows.map((r) => r.control.id)).toEqual(catalog.map((c) => c.id));
        for (const row of rows.filter((r) => r.status === "enforced")) {
            expect(row.policies.length, row.control.id).toBeGreaterThan(0);
            expect(row.policies.every((p) => p.enforcementLevel === "mandatory"), row.control.id).toBe(true);
            expect(row.components.length, row.control.id).toBeGreaterThan(0);
        }
    });

    it("fails when a control has neither a mandatory policy nor a declared status", () => {
        const onlyTags = policies.filter((p) => p.controls.includes("C6.4"));
        expect(() => buildMatrix(onlyTags)).toThrow(/M1 has no mandatory policy and no declared status/);
    });

    it("fails when a policy names a control that is not in the catalogue", () => {
        const stray = resourcePolicy({
            name: "x-y-enforce-z",
            description: "d",
            controls: ["C99.9"],
            component: "platform",
            remediationSteps: "r",
            appliesTo: [],
            validate: () => {},
        });
        expect(() => buildMatrix([...policies, stray])).toThrow(/a policy names C99.9, which is not in the catalogue/);
    });

    it("links every control to files and lines that exist (one hop from id to policy, component, test)", () => {
        const doc = readFileSync(controlsDocPath, "utf8");
        const links = [...doc.matchAll(/\]\(\.\.\/([^)#]+)(?:#L(\d+))?\)/g)];
        expect(links.length).toBeGreaterThan(150);
        const repo = path.resolve(__dirname, "..", "..");
        for (const [, file, line] of links) {
            const full = path.join(repo, file);
            expect(existsSync(full), file).toBe(true);
            if (line) expect(readFileSync(full, "utf8").split("\n").length, `${file}#L${line}`).toBeGreaterThanOrEqual(Number(line));
        }
        for (const risk of ["MCP01", "MCP05", "MCP10"]) expect(doc).toMatch(new RegExp(`\\| ${risk} `));
    });

    const sharedControls = path.resolve(__dirname, "..", "..", "..", "shared", "CONTROLS.md");
    it.runIf(existsSync(sharedControls))("holds exactly the ids of CONTROLS.md", () => {
        const ids = [...readFileSync(sharedControls, "utf8").matchAll(/^\| (M\d+|C\d+\.\d+|A\d+) \|/gm)].map((m) => m[1]);
        expect(catalog.map((c) => c.id)).toEqual(ids);
    });
});
