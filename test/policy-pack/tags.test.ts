import { describe, expect, it } from "vitest";
import { azureResourceEnforceRequiredTags } from "../../policy-pack/policies/tags";
import { violationsOf } from "../helpers/policy";
import { planned } from "../helpers/resources";

const compliantTags = { workload: "mcp", environment: "dev", "data-classification": "confidential", owner: "team@contoso.com" };
const vault = (tags?: Record<string, string>) => planned("azure-native:keyvault:Vault", "kv", { tags });

describe("azure-resource-enforce-required-tags (C6.4)", () => {
    it("accepts a resource with the four platform tags", async () => {
        expect(await violationsOf(azureResourceEnforceRequiredTags, [vault(compliantTags)])).toEqual([]);
    });

    it("rejects a resource without data-classification and names the missing key", async () => {
        const { ["data-classification"]: _, ...tags } = compliantTags;
        const [violation, ...rest] = await violationsOf(azureResourceEnforceRequiredTags, [vault(tags)]);
        expect(rest).toEqual([]);
        expect(violation.message).toBe("Vault kv must carry the tags data-classification (C6.4).");
        expect(violation.enforcementLevel).toBe("mandatory");
        expect(violation.controls).toEqual(["C6.4"]);
    });

    it("rejects a resource with no tags at all (the unset case fails closed)", async () => {
        const violations = await violationsOf(azureResourceEnforceRequiredTags, [vault(undefined)]);
        expect(violations.map((v) => v.message)).toEqual([
            "Vault kv must carry the tags workload, environment, data-classification, owner (C6.4).",
        ]);
    });

    it("rejects a classification outside the scale", async () => {
        const violations = await violationsOf(azureResourceEnforceRequiredTags, [vault({ ...compliantTags, "data-classification": "secret" })]);
        expect(violations[0].message).toContain('use a data-classification of public, internal, confidential, restricted (got "secret")');
    });

    it("does not apply to sub-resources that take no tags", async () => {
        const subnet = planned("azure-native:network:Subnet", "snet", {});
        expect(await violationsOf(azureResourceEnforceRequiredTags, [subnet])).toEqual([]);
    });

    it("is advisory when the pack config says so", async () => {
        const violations = await violationsOf(azureResourceEnforceRequiredTags, [vault({})], {
            "azure-resource-enforce-required-tags": "advisory",
        });
        expect(violations[0].enforcementLevel).toBe("advisory");
    });

    it("skips an exempted resource only when the exemption gives a reason", async () => {
        const reason = "legacy vault imported from the old landing zone; tagged by its owner team";
        const exempted = await violationsOf(azureResourceEnforceRequiredTags, [vault({})], {
            "azure-resource-enforce-required-tags": { exemptions: [{ resource: "kv", reason }] },
        });
        expect(exempted).toEqual([]);
        // Issue 11: an exemption without a real reason is a config error naming the policy, never silently ignored.
        await expect(
            violationsOf(azureResourceEnforceRequiredTags, [vault({})], {
                "azure-resource-enforce-required-tags": { exemptions: [{ resource: "kv", reason: "" }] },
            }),
        ).rejects.toThrow(/azure-resource-enforce-required-tags: exemptions\.0\.reason/);
    });
});
