import { testPlacement } from "../helpers/placement";
import { describe, expect, it } from "vitest";
import { McpRegistry, McpRegistryArgs } from "../../components/registry";
import { decideNetworkBypass, validateRetentionDays } from "../../components/registry/settings";
import { createNaming } from "../../components/shared/naming";
import { builtInRoles } from "../../components/shared/roles";
import { runUnderMocks } from "../helpers/mocks";
import { ofType, single } from "../helpers/resources";

const naming = createNaming({ project: "mcp-platform", stack: "test", tenantId: "t", location: "swedencentral", workload: "mcp" });
const rg = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-mcp-test";
const keyId = `${rg}/providers/Microsoft.KeyVault/vaults/kv-mcp-test/keys/registry-cmk`;
const args = (extra: Partial<McpRegistryArgs> = {}): McpRegistryArgs => ({
    placement: { ...testPlacement({ tenantId: "t", subscriptionId: "00000000-0000-0000-0000-000000000001" }), naming },
    diagnostics: { workspaceId: `${rg}/providers/Microsoft.OperationalInsights/workspaces/log-mcp-test` },
    privateEndpoint: {
        subnetId: `${rg}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-pep`,
        privateDnsZoneId: `${rg}/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io`,
    },
    encryption: { keyVersionlessUri: "https://kv-mcp-test.vault.azure.net/keys/registry-cmk", keyId },
    ...extra,
});
const build = (extra?: Partial<McpRegistryArgs>) => runUnderMocks(() => new McpRegistry("acr", args(extra)));
const registryType = "azure-native:containerregistry:Registry";

describe("McpRegistry", () => {
    it("creates a Premium registry with admin user, anonymous pull, public access and export off", async () => {
        const registry = single(await build(), registryType);
        expect(registry.inputs.sku).toEqual({ name: "Premium" });
        expect(registry.inputs.adminUserEnabled).toBe(false);
        expect(registry.inputs.anonymousPullEnabled).toBe(false);
        expect(registry.inputs.publicNetworkAccess).toBe("Disabled");
        expect(registry.inputs.networkRuleBypassOptions).toBe("None");
        expect(registry.inputs.policies.exportPolicy).toEqual({ status: "disabled" });
        expect(registry.inputs.policies.retentionPolicy).toEqual({ status: "enabled", days: 30 });
        expect(registry.inputs.tags.workload).toBe("mcp");
    });

    it("encrypts with the versionless key through its own user-assigned identity", async () => {
        const resources = await build();
        const registry = single(resources, registryType);
        const identity = single(resources, "azure-native:managedidentity:UserAssignedIdentity");
        expect(registry.inputs.encryption).toEqual({
            status: "enabled",
            keyVaultProperties: { keyIdentifier: "https://kv-mcp-test.vault.azure.net/keys/registry-cmk", identity: identity.outputs!.clientId },
        });
        expect(registry.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: { [identity.id!]: {} } });
    });

    it("grants the identity Crypto Service Encryption User on the key before the registry exists", async () => {
        const resources = await build();
        const registry = single(resources, registryType);
        const identity = single(resources, "azure-native:managedidentity:UserAssignedIdentity");
        const grant = single(resources, "azure-native:authorization:RoleAssignment");
        expect(grant.inputs.scope).toBe(keyId);
        expect(grant.inputs.principalId).toBe(identity.outputs!.principalId);
        expect(grant.inputs.roleDefinitionId).toMatch(new RegExp(`${builtInRoles.keyVaultCryptoServiceEncryptionUser}$`));
        expect(registry.dependencies).toContain(grant.urn);
    });

    it("is reachable through a private endpoint for the registry sub-resource", async () => {
        const resources = await build();
        const registry = single(resources, registryType);
        const pe = single(resources, "azure-native:network:PrivateEndpoint");
        expect(pe.inputs.privateLinkServiceConnections[0]).toMatchObject({ privateLinkServiceId: registry.id, groupIds: ["registry"] });
        expect(pe.propertyDependencies.privateLinkServiceConnections).toContain(registry.urn);
        const zone = single(resources, "azure-native:network:PrivateDnsZoneGroup");
        expect(zone.inputs.privateDnsZoneConfigs[0].privateDnsZoneId).toMatch(/privatelink\.azurecr\.io$/);
    });

    it("sends its logs and metrics to the workspace in resource-specific tables", async () => {
        const resources = await build();
        const diag = single(resources, "azure-native:monitor:DiagnosticSetting");
        expect(diag.inputs.resourceUri).toBe(single(resources, registryType).id);
        expect(diag.inputs.logAnalyticsDestinationType).toBe("Dedicated");
        expect(diag.inputs.logs).toEqual([{ categoryGroup: "allLogs", enabled: true }]);
        expect(diag.inputs.metrics).toEqual([{ category: "AllMetrics", enabled: true }]);
    });

    it("turns on Defender for Containers only when asked, and then lets trusted services scan", async () => {
        expect(ofType(await build(), "azure-native:security:Pricing")).toEqual([]);
        const resources = await build({ defenderForContainers: true });
        const plan = single(resources, "azure-native:security:Pricing");
        expect(plan.inputs).toMatchObject({ pricingName: "Containers", pricingTier: "Standard", scopeId: "/subscriptions/00000000-0000-0000-0000-000000000001" });
        expect(single(resources, registryType).inputs.networkRuleBypassOptions).toBe("AzureServices");
    });

    it("grants the requested roles on the registry", async () => {
        const principalId = "11111111-1111-1111-1111-111111111111";
        const resources = await build({
            roleAssignments: [{ principalId, roleDefinitionId: builtInRoles.acrPull, principalType: "ServicePrincipal", role: "acr-pull" }],
        });
        const pull = single(resources, "azure-native:authorization:RoleAssignment", "-ra-acr-pull");
        expect(pull.inputs.scope).toBe(single(resources, registryType).id);
        expect(pull.inputs.principalId).toBe(principalId);
    });
});

describe("registry helpers", () => {
    it("lets trusted services bypass only for Defender scanning", () => {
        expect(decideNetworkBypass(false)).toBe("None");
        expect(decideNetworkBypass(true)).toBe("AzureServices");
    });

    it("rejects retention days outside 1–365", () => {
        expect(() => validateRetentionDays(0)).toThrow("untaggedRetentionDays: got 0, expected a whole number of days from 1 to 365");
        expect(() => validateRetentionDays(366)).toThrow();
        expect(() => validateRetentionDays(7)).not.toThrow();
    });
});
