import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { mcpAnalyticsRules } from "../../components/monitoring/rules";
import { highSeverityLabels } from "../../components/monitoring/automation";
import { root } from "../helpers/cli";

const runbook = readFileSync(path.join(root, "docs", "runbook.md"), "utf8");

describe("docs/runbook.md (A7)", () => {
    it("has a procedure tied to every analytics rule the platform deploys", () => {
        const missing = mcpAnalyticsRules.map((r) => r.id).filter((id) => !runbook.includes(`\`${id}\``));
        expect(missing).toEqual([]);
    });

    it("covers token misuse, session hijack, tool poisoning, prompt injection, key compromise and recovery", () => {
        for (const heading of ["## Token misuse", "## Session hijack", "## Tool poisoning", "## Prompt injection", "## Key and supply-chain compromise", "## Recovery"]) {
            expect(runbook).toContain(heading);
        }
    });

    it("describes the automation that is really deployed", () => {
        for (const label of highSeverityLabels) expect(runbook).toContain(label);
        expect(runbook).toContain("mcp-high-severity-triage");
    });
});
