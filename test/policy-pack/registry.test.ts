import { describe, expect, it } from "vitest";
import {
    azureContainerregistryRegistryEnforcePremiumSku,
    azureContainerregistryRegistryDisableAdminUser,
    azureContainerregistryRegistryDisableAnonymousPull,
    azureContainerregistryRegistryDisableExport,
    azureContainerregistryRegistryDisablePublicNetworkAccess,
    azureContainerregistryRegistryEnableCmkEncryption,
    azureContainerregistryRegistryMissingPrivateEndpoint,
    azureDefenderContainersEnablePlan,
} from "../../policy-pack/policies/registry";
import type { McpPolicy } from "../../policy-pack/lib/policy";
import { violationsOf } from "../helpers/policy";
import { planned } from "../helpers/resources";

const identityId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-cmk";
const compliant = () => ({
    sku: { name: "Premium" },
    adminUserEnabled: false,
    anonymousPullEnabled: false,
    publicNetworkAccess: "Disabled",
    policies: { exportPolicy: { status: "disabled" } },
    identity: { type: "UserAssigned", userAssignedIdentities: { [identityId]: {} } },
    encryption: {
        status: "enabled",
        keyVaultProperties: { keyIdentifier: "https://kv-mcp.vault.azure.net/keys/registry-cmk", identity: "client-id" },
    },
});
const registry = (change: (props: ReturnType<typeof compliant>) => void = () => {}) => {
    const props = compliant();
    change(props);
    return planned("azure-native:containerregistry:Registry", "cr", props);
};
const messages = async (policy: McpPolicy, change: Parameters<typeof registry>[0]) =>
    (await violationsOf(policy, [registry(change)])).map((v) => v.message);

describe.each(([
    [azureContainerregistryRegistryEnforcePremiumSku, (p: any) => (p.sku = { name: "Standard" }), (p: any) => delete p.sku],
    [azureContainerregistryRegistryDisableAdminUser, (p: any) => (p.adminUserEnabled = true), (p: any) => delete p.adminUserEnabled],
    [azureContainerregistryRegistryDisableAnonymousPull, (p: any) => (p.anonymousPullEnabled = true), (p: any) => delete p.anonymousPullEnabled],
    [azureContainerregistryRegistryDisablePublicNetworkAccess, (p: any) => (p.publicNetworkAccess = "Enabled"), (p: any) => delete p.publicNetworkAccess],
    [azureContainerregistryRegistryDisableExport, (p: any) => (p.policies.exportPolicy.status = "enabled"), (p: any) => delete p.policies],
    [azureContainerregistryRegistryEnableCmkEncryption, (p: any) => (p.encryption.status = "disabled"), (p: any) => delete p.encryption],
] as const).map(([policy, violate, unset]) => [policy.name, policy, violate, unset] as const))("%s", (_name, policy, violate, unset) => {
    it("accepts the hardened registry", async () => {
        expect(await violationsOf(policy, [registry()])).toEqual([]);
    });
    it("rejects a registry with the setting turned the insecure way", async () => {
        expect(await messages(policy, violate)).toHaveLength(1);
    });
    it("rejects a registry with the setting absent (fails closed)", async () => {
        expect(await messages(policy, unset)).toHaveLength(1);
    });
});

describe("azure-containerregistry-registry-* messages", () => {
    it("says what the admin user must be", async () => {
        expect(await messages(azureContainerregistryRegistryDisableAdminUser, (p: any) => (p.adminUserEnabled = true))).toEqual([
            "Registry cr must disable the admin user (adminUserEnabled false, got true) (C12.3, C6.3).",
        ]);
    });
    it("rejects a versioned key URI", async () => {
        const violations = await messages(azureContainerregistryRegistryEnableCmkEncryption, (p) => {
            p.encryption.keyVaultProperties.keyIdentifier = "https://kv-mcp.vault.azure.net/keys/registry-cmk/0123456789abcdef0123456789abcdef";
        });
        expect(violations).toEqual([
            "Registry cr must name its key by a versionless Key Vault key URI (got https://kv-mcp.vault.azure.net/keys/registry-cmk/0123456789abcdef0123456789abcdef), so rotated versions are used (C3.2, C6.4, C12.3).",
        ]);
    });
    it("rejects CMK through a system-assigned identity", async () => {
        const violations = await messages(azureContainerregistryRegistryEnableCmkEncryption, (p: any) => (p.identity = { type: "SystemAssigned" }));
        expect(violations).toEqual([
            "Registry cr must carry a user-assigned identity for its encryption key (identity.type UserAssigned) (C3.2, C6.4, C12.3).",
        ]);
    });
    it("does not apply to other resource types", async () => {
        expect(await violationsOf(azureContainerregistryRegistryEnforcePremiumSku, [planned("azure-native:keyvault:Vault", "kv", {})])).toEqual([]);
    });
});

describe("azure-containerregistry-registry-missing-private-endpoint (C10.3, A2)", () => {
    const policy = azureContainerregistryRegistryMissingPrivateEndpoint;
    const cr = registry();
    const endpoint = (groupIds: string[] | undefined, target = cr.urn) =>
        planned("azure-native:network:PrivateEndpoint", "pep", { privateLinkServiceConnections: [{ name: "pep", groupIds }] }, {
            propertyDependencies: { privateLinkServiceConnections: [target] },
        });

    it("accepts a registry with a private endpoint for its registry sub-resource", async () => {
        expect(await violationsOf(policy, [cr, endpoint(["registry"])])).toEqual([]);
    });
    it("rejects a registry without a private endpoint", async () => {
        expect((await violationsOf(policy, [cr])).map((v) => v.message)).toEqual([
            "Registry cr must be reachable through a private endpoint (groupIds [registry]) that targets it (C10.3, A2, C12.3).",
        ]);
    });
    it("rejects an endpoint that targets another resource", async () => {
        expect(await violationsOf(policy, [cr, endpoint(["registry"], "urn:other")])).toHaveLength(1);
    });
    it("rejects an endpoint without group ids (unset)", async () => {
        expect(await violationsOf(policy, [cr, endpoint(undefined)])).toHaveLength(1);
    });
});

describe("azure-defender-containers-enable-plan (C11.2, C12.4)", () => {
    const policy = azureDefenderContainersEnablePlan;
    const platform = (enabled: boolean | undefined) =>
        planned("mcp:platform:McpPlatform", "mcp", { optionalControls: { defenderForContainers: enabled === undefined ? {} : { enabled } } }, { custom: false });
    const plan = (tier = "Standard") => planned("azure-native:security:Pricing", "defender", { pricingName: "Containers", pricingTier: tier, scopeId: "/subscriptions/s" });

    it("accepts the Standard plan when the platform declares the control on", async () => {
        expect(await violationsOf(policy, [platform(true), plan()])).toEqual([]);
    });
    it("rejects a platform that declares the control on without the plan", async () => {
        expect((await violationsOf(policy, [platform(true)])).map((v) => v.message)).toEqual([
            "McpPlatform mcp must turn on Microsoft Defender for Containers (security Pricing Containers, tier Standard), as it declares (C11.2, C12.4).",
        ]);
    });
    it("rejects the Free tier when the control is on", async () => {
        expect(await violationsOf(policy, [platform(true), plan("Free")])).toHaveLength(1);
    });
    it("does not enforce the control when the platform declares it off, leaves it unset, or is absent", async () => {
        expect(await violationsOf(policy, [platform(false)])).toEqual([]);
        expect(await violationsOf(policy, [platform(undefined)])).toEqual([]);
        expect(await violationsOf(policy, [])).toEqual([]);
    });
});

describe("registry values: each weaker value is rejected", () => {
    it.each<[string, McpPolicy, (p: any) => void, string]>([
        ["a Basic SKU", azureContainerregistryRegistryEnforcePremiumSku, (p) => (p.sku = { name: "Basic" }), "Premium"],
        ["a network rule set that allows by default", azureContainerregistryRegistryDisablePublicNetworkAccess, (p) => (p.networkRuleSet = { defaultAction: "Allow" }), "deny by default in its network rule set"],
        ["a network rule set with an IP rule", azureContainerregistryRegistryDisablePublicNetworkAccess, (p) => (p.networkRuleSet = { defaultAction: "Deny", ipRules: [{ action: "Allow", iPAddressOrRange: "203.0.113.0/24" }] }), "with no ipRules"],
        ["a key pinned to one version", azureContainerregistryRegistryEnableCmkEncryption, (p) => (p.encryption.keyVaultProperties.keyIdentifier += "/0123456789abcdef0123456789abcdef"), "versionless"],
    ])("rejects %s", async (_what, policy, change, expected) => {
        expect(await messages(policy, change)).toEqual([expect.stringContaining(expected)]);
    });
    it("accepts a network rule set that denies by default", async () => {
        expect(await messages(azureContainerregistryRegistryDisablePublicNetworkAccess, (p: any) => (p.networkRuleSet = { defaultAction: "Deny" }))).toEqual([]);
    });
});
