import { describe, expect, it } from "vitest";
import { ofType } from "../helpers/resources";
import { stackResources } from "../helpers/stacks";

// API Management rejects a policy fragment over 32 KB and a policy document over 256 KB at deploy
// time (learn.microsoft.com/azure/api-management/policy-fragments; API Management limits). The
// offline plan cannot call Azure, so the limits are checked here on the synthesised documents.
const kb = 1024;

describe("API Management policy size limits", () => {
    it.each(["dev", "prod"] as const)("keeps every %s fragment under 32 KB and every API policy under 256 KB", async (stack) => {
        const resources = await stackResources(stack);
        const fragments = ofType(resources, "azure-native:apimanagement:PolicyFragment");
        expect(fragments.length).toBeGreaterThan(0);
        for (const f of fragments) expect(Buffer.byteLength(f.inputs.value, "utf8"), f.name).toBeLessThan(32 * kb);
        for (const p of ofType(resources, "azure-native:apimanagement:ApiPolicy")) {
            expect(Buffer.byteLength(p.inputs.value, "utf8"), p.name).toBeLessThan(256 * kb);
        }
    });
});
