import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { owaspRisksOf } from "../../tools/controls/owasp";
import { ruleTags, summarize, toSarif } from "../../tools/offline/report";
import { root, runPlan } from "../helpers/cli";

/**
 * The plan's SARIF as code scanning receives it (issue 11, item 6): valid against the SARIF 2.1.0
 * schema, rules tagged with control ids and OWASP MCP Top 10 risks, the project's documentation as
 * informationUri. The schema is the OASIS TC's (test/fixtures/sarif/README.md says where from).
 */
const scratch = mkdtempSync(path.join(tmpdir(), "mcp-sarif-"));
const schema = JSON.parse(readFileSync(path.join(root, "test/fixtures/sarif/sarif-schema-2.1.0.json"), "utf8"));
// unicodeRegExp off: the schema's `language` pattern ("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$") has a lone
// "]" that is a syntax error under the `u` flag but a literal in the ECMA-262 regexps JSON Schema means.
// strict off: ajv's strict mode rejects the schema itself ("required property \"index\" is not defined" in an anyOf).
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function planSarif(name: string, args: string[], expectedCode: number) {
    const file = path.join(scratch, `${name}.sarif`);
    const { code, stdout, stderr } = runPlan([...args, "--quiet", "--sarif", file]);
    expect(code, stdout + stderr).toBe(expectedCode);
    return JSON.parse(readFileSync(file, "utf8"));
}

const errorsOf = (log: unknown) => (validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

describe("plan SARIF", () => {
    const insecure = planSarif("insecure", ["--program", "test/fixtures/insecure-program"], 1);
    const dev = planSarif("dev", ["--stack", "dev"], 0);
    const prod = planSarif("prod", ["--stack", "prod"], 0);

    it("validates against the SARIF 2.1.0 schema, with results (insecure program) and without (dev stack)", () => {
        expect(insecure.runs[0].results.length).toBeGreaterThan(0);
        expect(errorsOf(insecure)).toEqual([]);
        expect(errorsOf(dev)).toEqual([]);
        expect(prod.runs[0].invocations[0].toolExecutionNotifications.length).toBeGreaterThan(0);
        expect(errorsOf(prod)).toEqual([]);
    });

    it("the schema check can fail: a log with an unknown result level or a rule without id is rejected", () => {
        const badLevel = structuredClone(insecure);
        badLevel.runs[0].results[0].level = "fatal";
        expect(errorsOf(badLevel).join("\n")).toMatch(/level must be equal to one of the allowed values/);
        const noId = structuredClone(insecure);
        delete noId.runs[0].tool.driver.rules[0].id;
        expect(errorsOf(noId).join("\n")).toMatch(/must have required property 'id'/);
    });

    it("tags every rule with its control ids and the OWASP MCP Top 10 risks those controls mitigate", () => {
        const rules: { id: string; properties: { controls: string[]; tags: string[] } }[] = insecure.runs[0].tool.driver.rules;
        expect(rules.length).toBeGreaterThan(0);
        for (const rule of rules) {
            expect(rule.properties.tags, rule.id).toEqual([...rule.properties.controls, ...owaspRisksOf(rule.properties.controls)]);
        }
        // At least one rule in the pack maps to a risk (the tags are not just the control ids again).
        expect(rules.some((r) => r.properties.tags.some((t) => /^MCP\d\d$/.test(t)))).toBe(true);
        const risks = new Set(rules.flatMap((r) => r.properties.tags.filter((t) => /^MCP\d\d$/.test(t))));
        expect(risks.has("MCP01"), [...risks].join(", ")).toBe(true);
    });

    it("ruleTags maps controls to risks: none for a control no risk lists, each risk once for a shared one", () => {
        expect(ruleTags(["C6.4"])).toEqual(["C6.4"]);
        expect(ruleTags(["C2.2"])).toEqual(["C2.2", "MCP02"]);
        expect(ruleTags(["C10.3", "A2"])).toEqual(["C10.3", "A2", "MCP05", "MCP06", "MCP09", "MCP10"]);
    });

    it("names the project's documentation (package.json homepage) as the driver's informationUri", () => {
        const homepage = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).homepage;
        expect(homepage).toMatch(/^https:\/\/\S+/);
        expect(insecure.runs[0].tool.driver.informationUri).toBe(homepage);
        expect(dev.runs[0].tool.driver.informationUri).toBe(homepage);
    });

    it("points an optional control that is off at the config that turned it off: the profile key of Pulumi.prod.yaml", () => {
        const lines = readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8").split("\n");
        // prod sets no features override, so its profile's feature table decides (stacks/profiles.ts).
        expect(lines.some((l) => /^\s+mcp-platform:features:/.test(l))).toBe(false);
        const profileLine = lines.findIndex((l) => /^\s+mcp-platform:profile:/.test(l)) + 1;
        expect(profileLine).toBeGreaterThan(1);
        for (const note of prod.runs[0].invocations[0].toolExecutionNotifications) {
            expect(note.locations, note.descriptor.id).toEqual([
                { physicalLocation: { artifactLocation: { uri: "Pulumi.prod.yaml" }, region: { startLine: profileLine } } },
            ]);
        }
    });

    it("points a stack-wide finding at the line of the config key its message names, else at line 1", () => {
        const stackFile = path.join(scratch, "Pulumi.cfg.yaml");
        writeFileSync(
            stackFile,
            ["config:", "  mcp-platform:profile: dev", "  mcp-platform:gateway:", "    sku: Developer", "  mcp-platform:features:", "    managedHsm: false", ""].join("\n"),
        );
        const violation = (message: string) => ({ policy: "p", enforcementLevel: "mandatory" as const, message, controls: ["C2.2"] });
        const violations = [
            violation("mcp-platform:gateway.sku Developer has no SLA"),
            violation("turn features.managedHsm on"),
            violation("mcp-platform:edge is not set"), // named but not set in this file
            violation("the stack has no gateway"),
        ];
        const log = toSarif({
            stack: "cfg",
            resources: [],
            violations,
            exemptions: [],
            optionalControlsOff: [{ feature: "managedHsm", controls: ["C6.1"], reason: "ceremony" }],
            unknownInvokes: [],
            summary: summarize([], violations, [], 1, 0),
            policies: [],
            stackFile,
            project: "mcp-platform",
            sarifRoot: scratch,
        });
        const at = (loc: any) => [loc.physicalLocation.artifactLocation.uri, loc.physicalLocation.region.startLine];
        expect(log.runs[0].results.map((r: any) => at(r.locations[0]))).toEqual([
            ["Pulumi.cfg.yaml", 3],
            ["Pulumi.cfg.yaml", 5],
            ["Pulumi.cfg.yaml", 1],
            ["Pulumi.cfg.yaml", 1],
        ]);
        // The stack's own features override wins over the profile line.
        expect(at(log.runs[0].invocations[0].toolExecutionNotifications[0].locations[0])).toEqual(["Pulumi.cfg.yaml", 5]);
        expect(errorsOf(log)).toEqual([]);
    });
});
