import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { evaluate, synthesize } from "../../tools/offline";
import { ProgramError } from "../../tools/offline/synthesize";
import { readStackFiles } from "../../tools/offline/stack-files";
import { clone, single } from "../helpers/resources";
import { stackResources } from "../helpers/stacks";

describe("synthesize", () => {
    it("really re-runs the program: dev, prod, then dev again, with nothing leaking between runs", async () => {
        const dev = await synthesize({ stack: "dev" });
        const prod = await synthesize({ stack: "prod" });
        const devAgain = await synthesize({ stack: "dev" });
        const rg = (r: typeof dev) => single(r.resources, "azure-native:resources:ResourceGroup");
        expect(rg(dev).inputs.tags.environment).toBe("dev");
        expect(rg(prod).inputs.tags.environment).toBe("prod");
        expect(rg(prod).urn).toMatch(/^urn:pulumi:prod::mcp-platform::/);
        expect(devAgain.resources.map((r) => r.urn)).toEqual(dev.resources.map((r) => r.urn));
        expect(devAgain.resources).toEqual(dev.resources);
    });

    it("applies config overrides on top of the stack file", async () => {
        const { resources } = await synthesize({ stack: "dev", configOverrides: { "mcp-platform:owner": "someone-else@contoso.com" } });
        expect(single(resources, "azure-native:resources:ResourceGroup").inputs.tags.owner).toBe("someone-else@contoso.com");
    });

    it("fails on invalid config before any resource is registered, naming the key", async () => {
        const attempt = synthesize({ stack: "dev", configOverrides: { "mcp-platform:tenantId": "not-a-guid" } });
        await expect(attempt).rejects.toThrow(/mcp-platform:tenantId: got "not-a-guid", expected a GUID/);
        await expect(attempt).rejects.toMatchObject({ registered: 0 });
        await expect(attempt).rejects.toBeInstanceOf(ProgramError);
    });

    it("gives the ids and outputs a mock cloud would: ARM ids in the right shape", async () => {
        const resources = await stackResources("dev");
        const rg = single(resources, "azure-native:resources:ResourceGroup");
        expect(rg.id).toMatch(/^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/rg-mcp-dev-[0-9a-f]{4}$/);
    });

    it("lets a test mutate a synthesised stack before evaluating it", async () => {
        const resources = await stackResources("dev");
        expect(await evaluate(resources, { stack: "dev" })).toEqual([]);
        const mutated = clone(resources);
        delete single(mutated, "azure-native:resources:ResourceGroup").inputs.tags["data-classification"];
        const violations = await evaluate(mutated, { stack: "dev" });
        expect(violations.map((v) => v.policy)).toContain("azure-resource-enforce-required-tags");
    });
});

describe("stack files", () => {
    it("reads namespaced keys, applies Pulumi.yaml defaults and replaces secure values with marked placeholders", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "mcp-stack-"));
        writeFileSync(path.join(dir, "Pulumi.yaml"), "name: demo\nruntime: nodejs\nconfig:\n  region:\n    type: string\n    default: westeurope\n  size:\n    type: integer\n");
        writeFileSync(
            path.join(dir, "Pulumi.x.yaml"),
            "config:\n  demo:size: 3\n  demo:token:\n    secure: AAABAJ8x\n  demo:nested:\n    inner:\n      secure: AAABAK9y\n  azure-native:location: westeurope\n",
        );
        const files = readStackFiles(dir, "x");
        expect(files.config).toEqual({
            "demo:size": "3",
            "demo:token": "[secret:demo:token]",
            "demo:nested": JSON.stringify({ inner: "[secret:demo:nested.inner]" }),
            "azure-native:location": "westeurope",
            "demo:region": "westeurope",
        });
        expect(files.secretKeys).toEqual(["demo:token", "demo:nested"]);
    });

    it("names a declared key without default that the stack does not set, as pulumi does", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "mcp-stack-"));
        writeFileSync(path.join(dir, "Pulumi.yaml"), "name: demo\nruntime: nodejs\nconfig:\n  size:\n    type: integer\n");
        writeFileSync(path.join(dir, "Pulumi.x.yaml"), "config: {}\n");
        expect(() => readStackFiles(dir, "x")).toThrow("Stack 'x' is missing configuration value 'size'");
    });
});
