import { describe, expect, it } from "vitest";
import { evaluate } from "../../tools/offline";
import { editXml } from "../mutations/mutate";
import { clone } from "../helpers/resources";
import { stackResources } from "../helpers/stacks";

/**
 * The pack compares values with what the platform declares (components/platform `platformDeclaration`:
 * tenant, request size, session lifetimes, gateway subnet, per-server rate limits), not only with its
 * config caps: a value above the stack's own but below the cap still fails.
 */
const apiPolicy = "azure-native:apimanagement:ApiPolicy";
const isDocsApi = (r: { name: string }) => r.name.includes("docs");

describe("value checks against the platform declaration", () => {
    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: declares its tenant, request size, session lifetimes, gateway subnet and per-server limits`, async () => {
            const platform = (await stackResources(stack)).find((r) => r.type === "mcp:platform:McpPlatform")!;
            expect(platform.inputs).toMatchObject({
                tenantId: expect.stringMatching(/^[0-9a-f-]{36}$/),
                maxRequestBytes: 1_048_576,
                sessionIdleSeconds: 1800,
                sessionLifetimeSeconds: 28_800,
                gatewaySubnetPrefix: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+\/\d+$/),
                servers: [{ name: "docs", rateLimits: expect.objectContaining({ perUserPerMinute: 60 }) }],
            });
        });

        it(`${stack}: a per-user rate limit doubled from the declared 60 (still under the pack's cap of 600) is rejected`, async () => {
            const mutated = editXml(apiPolicy, /(id="mcp-limit-user" calls=")60"/, '$1120"', isDocsApi)(clone(await stackResources(stack)));
            const violations = await evaluate(mutated, { stack });
            expect(violations.some((v) => v.enforcementLevel === "mandatory" && v.controls.includes("C4.1")), violations.map((v) => v.message).join("\n")).toBe(true);
        });
    }
});
