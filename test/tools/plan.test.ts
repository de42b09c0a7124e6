import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { root, runPlan } from "../helpers/cli";

const scratch = mkdtempSync(path.join(tmpdir(), "mcp-plan-"));

describe("npm run plan (offline plan CLI)", () => {
    it("exits 0 for the dev stack and prints the tree and a compliant verdict", () => {
        const { code, stdout } = runPlan(["--stack", "dev"]);
        expect(code, stdout).toBe(0);
        expect(stdout).toContain("▸ mcp  [McpPlatform]");
        expect(stdout).toMatch(/✓ compliant: \d+ resources in \d+ components, \d+ policies, 0 mandatory/);
    });

    it("exits 2 and names the key when a copy of Pulumi.dev.yaml has an invalid CIDR", () => {
        const broken = path.join(scratch, "Pulumi.dev.yaml");
        writeFileSync(broken, readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8").replace("10.40.0.0/16", "10.40.0.300/16"));
        const { code, stderr } = runPlan(["--stack", "dev", "--config-file", broken]);
        expect(code).toBe(2);
        expect(stderr).toContain('mcp-platform:addressSpace[0]: got "10.40.0.300/16", expected an IPv4 CIDR');
        // …and where it is set (issue 11, defect 5: errors say where).
        const line = readFileSync(broken, "utf8").split("\n").findIndex((l) => /^\s+mcp-platform:addressSpace:/.test(l)) + 1;
        expect(stderr).toContain(`hint: mcp-platform:addressSpace is set at ${path.relative(root, broken)}:${line}`);
    });

    it("exits 2 for a stack file that does not exist", () => {
        const { code, stderr } = runPlan(["--stack", "nope"]);
        expect(code).toBe(2);
        expect(stderr).toMatch(/stack "nope": Pulumi\.nope\.yaml not found/);
    });

    it("exits 2 with usage for an unknown flag", () => {
        const { code, stderr } = runPlan(["--stak", "dev"]);
        expect(code).toBe(2);
        expect(stderr).toContain("Usage: npm run plan");
    });

    it("exits 1 and names the policy for another program with a violation, writing JSON and SARIF", () => {
        const json = path.join(scratch, "plan.json");
        const sarif = path.join(scratch, "plan.sarif");
        const { code, stdout } = runPlan(["--program", "test/fixtures/insecure-program", "--json", json, "--sarif", sarif]);
        expect(code, stdout).toBe(1);
        expect(stdout).toContain("[mandatory] azure-resource-enforce-required-tags: ResourceGroup mcp must carry the tags");
        // The insecure program builds the platform's services the quick way; the same pack catches each shortcut.
        for (const policy of [
            "azure-keyvault-vault-enable-purge-protection",
            "azure-containerregistry-registry-disable-admin-user",
            "azure-containerapps-app-disallow-literal-secrets",
            "azure-containerapps-app-enforce-digest-image",
            "azure-apimanagement-service-enable-internal-vnet",
            "azure-network-publicipaddress-disallow-outside-edge",
            "azuread-application-disallow-password-credentials",
            "azure-sentinel-workspace-enable-mcp-analytics",
        ]) {
            expect(stdout).toContain(`[mandatory] ${policy}:`);
        }
        expect(stdout).toMatch(/✗ non-compliant: \d+ resources in 0 components/);

        const report = JSON.parse(readFileSync(json, "utf8"));
        expect(report.stack).toBe("dev");
        expect(report.resources.map((r: { type: string }) => r.type)).toContain("azure-native:resources:ResourceGroup");
        expect(report.violations).toContainEqual(
            expect.objectContaining({ policy: "azure-resource-enforce-required-tags", enforcementLevel: "mandatory", controls: ["C6.4"] }),
        );
        expect(report.summary.verdict).toBe("non-compliant");

        const log = JSON.parse(readFileSync(sarif, "utf8"));
        expect(log.version).toBe("2.1.0");
        const result = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === "azure-resource-enforce-required-tags");
        expect(result.level).toBe("error");
        // Relative to the repository root (the git top level), at the line that registered the resource (issue 11, defect 6).
        expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe("test/fixtures/insecure-program/index.ts");
        const registeringLine = readFileSync(path.join(root, "test/fixtures/insecure-program/index.ts"), "utf8").split("\n").findIndex((l) => l.includes('new resources.ResourceGroup("mcp"')) + 1;
        expect(result.locations[0].physicalLocation.region.startLine).toBe(registeringLine);
        expect(log.runs[0].tool.driver.informationUri ?? "").not.toBe("https://github.com/");
        expect(log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toContain("azure-resource-enforce-required-tags");
    });

    it("applies the pack config: an enforcement level turned advisory, and an exemption listed with its reason", () => {
        const packConfig = path.join(scratch, "policy-config.json");
        const reason = "PoC vault, deleted after the pilot (CHG-42); no production data";
        writeFileSync(
            packConfig,
            JSON.stringify({
                "azure-resource-enforce-required-tags": "advisory",
                "azure-keyvault-vault-enable-purge-protection": { exemptions: [{ resource: "kv", reason }] },
            }),
        );
        const { code, stdout } = runPlan(["--program", "test/fixtures/insecure-program", "--policy-config", packConfig, "--quiet"]);
        expect(stdout).toContain("[advisory] azure-resource-enforce-required-tags");
        expect(stdout).not.toContain("[mandatory] azure-resource-enforce-required-tags");
        expect(stdout).toContain(`~ [exempted] azure-keyvault-vault-enable-purge-protection: kv — ${reason}`);
        expect(stdout).not.toContain("[mandatory] azure-keyvault-vault-enable-purge-protection");
        expect(stdout).toMatch(/, 1 exemption \(/);
        expect(code).toBe(1); // the fixture's other shortcuts are still mandatory violations
    });

    it("lists each optional control the stack declares off with its reason, in text, JSON and SARIF; --quiet prints no progress", () => {
        const json = path.join(scratch, "prod.json");
        const sarif = path.join(scratch, "prod.sarif");
        const { code, stdout, stderr } = runPlan(["--stack", "prod", "--quiet", "--json", json, "--sarif", sarif]);
        expect(code, stderr).toBe(0);
        // Progress is gone; the program's own warnings (pulumi.log.warn) still show.
        expect(stderr).not.toMatch(/Planning stack|synthesised|evaluating/);
        expect(stdout).not.toContain("Resources of");
        // prod turns on every optional control but two (stacks/profiles.ts); each is shown with the declared reason.
        expect(stdout).toMatch(/Optional controls off \(declared by the stack\):\n {2}○ dynamicSessions \(C10\.1\): no code-executing tools are configured/);
        expect(stdout).toMatch(/○ managedHsm \(C6\.1\): Managed HSM activation needs an offline security-domain ceremony/);
        expect(stdout).not.toContain("○ ddosProtection");
        const report = JSON.parse(readFileSync(json, "utf8"));
        expect(report.optionalControlsOff.map((o: { feature: string }) => o.feature)).toEqual(["dynamicSessions", "managedHsm"]);
        expect(report.optionalControlsOff[0]).toEqual({ feature: "dynamicSessions", controls: ["C10.1"], reason: expect.stringContaining("no code-executing tools") });
        const notes = JSON.parse(readFileSync(sarif, "utf8")).runs[0].invocations[0].toolExecutionNotifications;
        expect(notes.map((n: { descriptor: { id: string } }) => n.descriptor.id)).toEqual(["optional-control-off/dynamicSessions", "optional-control-off/managedHsm"]);
        expect(notes[1].message.text).toMatch(/^Optional control managedHsm \(C6\.1\) is off: Managed HSM activation/);
        expect(stdout).toMatch(/✓ compliant: \d+ resources in \d+ components, \d+ policies, 0 mandatory and 0 advisory violations, 0 exemptions \((\d+) registrations = resources \+ components, all completed; /);
        const [, resources, components, registrations] = /(\d+) resources in (\d+) components.*\((\d+) registrations/.exec(stdout)!;
        expect(Number(resources) + Number(components)).toBe(Number(registrations));
        expect(report.summary.registrations).toBe(Number(registrations));
    });
});
