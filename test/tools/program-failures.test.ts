import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "../helpers/cli";

/** `npm run plan -- <args>` in a fresh process, with extra environment variables. */
function runPlan(args: string[], env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), path.join(root, "tools", "plan.ts"), ...args], {
        cwd: root,
        encoding: "utf8",
        timeout: 120_000,
        env: { ...process.env, ...env },
    });
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

// Every plan failure is exit 2 naming the program file and line, never a Node stack dump, and never
// a verdict over part of a program (issue 11, defects 1, 2 and 5).
const scratch = mkdtempSync(path.join(tmpdir(), "mcp-plan-fail-"));
const fixture = (name: string) => `test/fixtures/${name}`;
const noStackDump = (text: string) => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
const noVerdict = (text: string) => expect(text).not.toMatch(/✓ compliant|✗ non-compliant/);

describe("the plan never reports a program it did not fully see", () => {
    it("plans every resource of a program that reads registry credentials and a shared key in applies", () => {
        const json = path.join(scratch, "registry.json");
        const { code, stdout, stderr } = runPlan(["--program", fixture("registry-credentials-program"), "--json", json, "--quiet"]);
        expect(code, stderr).toBe(1); // a deliberately insecure program: violations, but every resource seen
        const declared = JSON.parse(readFileSync(path.join(root, fixture("registry-credentials-program"), "expected.json"), "utf8"));
        const report = JSON.parse(readFileSync(json, "utf8"));
        expect(report.summary.resources).toBe(declared.resources);
        expect(report.summary.components).toBe(declared.components);
        expect(report.summary.registrations).toBe(declared.resources + declared.components);
        // The resources that were lost before: the Container App with the registry password and external ingress, the backend.
        expect(report.resources.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(["app", "backend", "env"]));
        expect(stdout).toContain("ContainerApp app must pull from registry.azurecr.io with its managed identity, not a password");
        expect(stdout).toMatch(new RegExp(`✗ non-compliant: ${declared.resources} resources in ${declared.components} components`));
    });

    it("plans every resource of a program in the public examples' style (static website, storage keys, private endpoint DNS)", () => {
        const json = path.join(scratch, "patterns.json");
        const { code, stderr } = runPlan(["--program", fixture("example-patterns-program"), "--json", json, "--quiet"]);
        expect(code, stderr).toBe(1);
        const declared = JSON.parse(readFileSync(path.join(root, fixture("example-patterns-program"), "expected.json"), "utf8"));
        const report = JSON.parse(readFileSync(json, "utf8"));
        expect({ resources: report.summary.resources, components: report.summary.components }).toEqual(declared);
        expect(report.unknownInvokes).toEqual([]);
        const app = report.resources.find((r: { name: string }) => r.name === "app");
        expect(app.inputs.siteConfig.appSettings[0].value).toMatch(/AccountKey=\[mock:azure-native:storage:listStorageAccountKeys:key1\]$/);
    });

    it("exits 2 naming the apply's line and the resource that never registered", () => {
        const { code, stdout, stderr } = runPlan(["--program", fixture("failing-apply-program")]);
        expect(code).toBe(2);
        expect(stderr).toContain("the program failed at test/fixtures/failing-apply-program/index.ts:8: ");
        expect(stderr).toContain("cannot derive an account name from rg");
        expect(stderr).toContain("azure-native:storage:StorageAccount account (registered at test/fixtures/failing-apply-program/index.ts:10)");
        noStackDump(stderr);
        noVerdict(stdout);
    });

    it("answers an unknown invoke with a placeholder, never its inputs, and names it when the program then fails", () => {
        const { code, stdout, stderr } = runPlan(["--program", fixture("unknown-invoke-program"), "--quiet"]);
        expect(code).toBe(2);
        expect(stderr).toContain("invokes without an offline answer (the mock answered each with a marked placeholder): acme:index/getThing:getThing");
        expect(stderr).toContain("azure-native:resources:ResourceGroup derived (registered at test/fixtures/unknown-invoke-program/index.ts:8)");
        noStackDump(stderr);
        noVerdict(stdout);
    });

    it("names the file and line of an azure-native v2 import and says it is a major-version mismatch", () => {
        const { code, stderr } = runPlan(["--program", fixture("azure-native-v2-program"), "--quiet"]);
        expect(code).toBe(2);
        expect(stderr).toContain("at test/fixtures/azure-native-v2-program/index.ts:6: Cannot find module '@pulumi/azure-native/insights'");
        expect(stderr).toMatch(/hint: .*installed @pulumi\/azure-native 3\.\d+\.\d+: the program was probably written for another major version/);
        expect(stderr).not.toContain("Require stack");
        noStackDump(stderr);
    });

    it("exits 2 for a program that registers nothing", () => {
        const { code, stdout, stderr } = runPlan(["--program", fixture("empty-program"), "--quiet"]);
        expect(code).toBe(2);
        expect(stderr).toContain("registered no resources: a plan of nothing cannot be compliant");
        noVerdict(stdout);
    });

    it("is not blinded by its own --json written beside the program directory (<dir>.json)", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "mcp-plan-sibling-"));
        const program = path.join(dir, "prog");
        cpSync(path.join(root, fixture("registry-credentials-program")), program, { recursive: true });
        symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
        const sibling = path.join(dir, "prog.json");
        const first = runPlan(["--program", program, "--json", sibling, "--quiet"]);
        const second = runPlan(["--program", program, "--json", sibling, "--quiet"]);
        expect(first.code, first.stderr).toBe(1);
        expect(second.code, second.stderr).toBe(1);
        expect(JSON.parse(readFileSync(sibling, "utf8")).summary.resources).toBe(7);
    });

    it("names the file, line and column of a YAML syntax error in the stack file", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "mcp-plan-yaml-"));
        const broken = path.join(dir, "Pulumi.dev.yaml");
        writeFileSync(broken, "config:\n  mcp-platform:owner: [a, b\n  mcp-platform:x: y\n");
        const { code, stderr } = runPlan(["--config-file", broken, "--quiet"]);
        expect(code).toBe(2);
        expect(stderr).toMatch(/Pulumi\.dev\.yaml:3:\d+: invalid YAML: /);
        noStackDump(stderr);
    });

    it("fails before any verdict when an output cannot be written", () => {
        const { code, stdout, stderr } = runPlan(["--program", fixture("insecure-program"), "--json", path.join(scratch, "missing-dir", "plan.json"), "--quiet"]);
        expect(code).toBe(2);
        expect(stderr).toMatch(/cannot write .*missing-dir\/plan\.json/);
        noVerdict(stdout);
    });
});

describe("secrets never leave the plan in plain text", () => {
    it("masks a secret from the environment in the text, JSON and SARIF outputs", () => {
        const marker = "PLANTED-SECRET-7f3a9c";
        const json = path.join(scratch, "secret.json");
        const sarif = path.join(scratch, "secret.sarif");
        const { code, stdout, stderr } = runPlan(["--program", fixture("registry-credentials-program"), "--json", json, "--sarif", sarif], {
            FIXTURE_UPSTREAM_TOKEN: marker,
        });
        expect(code, stderr).toBe(1);
        for (const [name, text] of [
            ["stdout", stdout],
            ["stderr", stderr],
            ["JSON", readFileSync(json, "utf8")],
            ["SARIF", readFileSync(sarif, "utf8")],
        ]) {
            expect(text.includes(marker), `${name} contains the planted secret`).toBe(false);
        }
        const app = JSON.parse(readFileSync(json, "utf8")).resources.find((r: { name: string }) => r.name === "app");
        // The SDK lifts a nested secret to the top-level input, as `pulumi preview` shows it.
        expect(app.inputs.configuration).toBe("[secret]");
        expect(app.inputs.managedEnvironmentId).toMatch(/^\/subscriptions\//);
    });
});
