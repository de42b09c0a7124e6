import { describe, expect, it } from "vitest";
import { evaluate, synthesize } from "../../tools/offline";
import { ofType, single } from "../helpers/resources";

const runtimePolicies = /^azure-(containerapps|authorization)-/;

describe("the dev stack with the code sandbox on (dynamicSessions)", () => {
    const run = synthesize({
        stack: "dev",
        configOverrides: {
            "mcp-platform:features": JSON.stringify({ dynamicSessions: true }),
            "mcp-platform:runtime": JSON.stringify({ sandbox: { image: `tools/code-sandbox@sha256:${"e".repeat(64)}` } }),
        },
    }).then((s) => s.resources);

    it("puts a dynamic sessions pool in its own environment on the sandbox subnet, compliant with the runtime policies", async () => {
        const resources = await run;
        const pool = single(resources, "azure-native:app:ContainerAppsSessionPool");
        const sandboxEnv = single(resources, "azure-native:app:ManagedEnvironment", "sandbox-cae");
        expect(pool.inputs.environmentId).toBe(sandboxEnv.id);
        expect(sandboxEnv.inputs.vnetConfiguration.infrastructureSubnetId).toMatch(/sandbox/);
        expect(ofType(resources, "azure-native:app:ManagedEnvironment")).toHaveLength(2);
        const violations = (await evaluate(resources, { stack: "dev" })).filter((v) => runtimePolicies.test(v.policy));
        expect(violations).toEqual([]);
    });
});
