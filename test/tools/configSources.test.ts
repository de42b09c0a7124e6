import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { configSources } from "../../stacks/configSources";
import { configPathLine } from "../../tools/offline/stack-files";
import { root, runPlan } from "../helpers/cli";

/**
 * Findings whose rejected value a stack file set point at that setting (issue 11): each entry of
 * stacks/configSources.ts is driven here by a value the schema accepts and the pack refuses.
 */
const weakenings: Record<string, { readonly edit: (yaml: string) => string; readonly key: string; readonly keyLine: string }> = {
    "azure-apimanagement-api-enable-user-rate-limit": {
        edit: (yaml) => yaml.replace("perUserPerMinute: 60", "perUserPerMinute: 5000"),
        key: "servers[0].rateLimits",
        keyLine: "      rateLimits:",
    },
    "azure-apimanagement-api-enforce-request-validation": {
        edit: (yaml) => yaml.replace("    capacity: 1\n", "    capacity: 1\n    maxRequestBytes: 100000000\n"),
        key: "gateway.maxRequestBytes",
        keyLine: "    maxRequestBytes: 100000000",
    },
    "azure-apimanagement-api-enable-session-binding": {
        edit: (yaml) => yaml.replace("    capacity: 1\n", "    capacity: 1\n    sessionIdleMinutes: 100000\n"),
        key: "gateway.sessionIdleMinutes",
        keyLine: "    sessionIdleMinutes: 100000",
    },
};

// The OASIS SARIF 2.1.0 schema, with the options test/tools/sarif.test.ts explains.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validSarif = ajv.compile(JSON.parse(readFileSync(path.join(root, "test/fixtures/sarif/sarif-schema-2.1.0.json"), "utf8")));

describe("config findings point at the stack-file key that set the value", () => {
    it("has a rejected-value case for every entry of stacks/configSources.ts", () => {
        expect(Object.keys(weakenings).sort()).toEqual(Object.keys(configSources).sort());
    });

    it("puts each finding at its key's line (SARIF and text), with the resource's line as related location", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "config-sources-"));
        const stackFile = path.join(dir, "Pulumi.prod.yaml");
        const yaml = Object.values(weakenings).reduce((text, w) => w.edit(text), readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8"));
        writeFileSync(stackFile, yaml);
        const lines = yaml.split("\n");
        const sarifFile = path.join(dir, "plan.sarif");

        const run = runPlan(["--stack", "prod", "--config-file", stackFile, "--quiet", "--sarif", sarifFile, "--sarif-root", dir]);
        expect(run.code, run.stderr).toBe(1);
        const log = JSON.parse(readFileSync(sarifFile, "utf8"));
        expect(validSarif(log), JSON.stringify(validSarif.errors)).toBe(true);
        const results = log.runs[0].results as any[];
        expect(results.map((r) => r.ruleId).sort()).toEqual(Object.keys(weakenings).sort());
        for (const result of results) {
            const expected = weakenings[result.ruleId];
            const line = lines.indexOf(expected.keyLine) + 1;
            expect(line, expected.keyLine).toBeGreaterThan(0);
            expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "Pulumi.prod.yaml" }, region: { startLine: line } });
            expect(result.properties.configKey).toBe(expected.key);
            expect(result.relatedLocations[0].physicalLocation.artifactLocation.uri).toMatch(/components\/gateway\/index\.ts$/);
            expect(run.stdout).toContain(`${result.ruleId}: `);
            expect(run.stdout).toMatch(new RegExp(`set at [^\\]]*Pulumi\\.prod\\.yaml:${line}: ${expected.key.replace(/[.[\]]/g, "\\$&")}\\]`));
        }
    });
});

describe("configPathLine", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "config-path-")), "Pulumi.test.yaml");
    writeFileSync(
        file,
        ["config:", "  demo:gateway:", "    sku: Premium", "  demo:servers:", "    - name: a", "      port: 1", "    - name: b", "      rateLimits:", "        perUserPerMinute: 9", ""].join("\n"),
    );

    it("finds a nested key, through a list item chosen by name", () => {
        expect(configPathLine(file, "demo", ["gateway", "sku"])).toEqual({ key: "gateway.sku", line: 3 });
        expect(configPathLine(file, "demo", ["servers", { name: "b" }, "rateLimits"])).toEqual({ key: "servers[1].rateLimits", line: 8 });
    });

    it("answers undefined for what the file does not set (a profile default), another server, or no file", () => {
        expect(configPathLine(file, "demo", ["gateway", "maxRequestBytes"])).toBeUndefined();
        expect(configPathLine(file, "demo", ["servers", { name: "a" }, "rateLimits"])).toBeUndefined();
        expect(configPathLine(file, "demo", ["servers", { name: "c" }])).toBeUndefined();
        expect(configPathLine(path.join(path.dirname(file), "absent.yaml"), "demo", ["gateway"])).toBeUndefined();
    });
});
