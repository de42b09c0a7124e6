import { testPlacement } from "../helpers/placement";
import { describe, expect, it } from "vitest";
import { McpContentSafety, McpContentSafetyArgs } from "../../components/safety";
import { createNaming } from "../../components/shared/naming";
import { builtInRoles } from "../../components/shared/roles";
import { runUnderMocks } from "../helpers/mocks";
import type { PlannedResource } from "../../tools/offline/types";
import { ofType, single } from "../helpers/resources";

const naming = createNaming({ project: "mcp-platform", stack: "test", tenantId: "t", location: "swedencentral", workload: "mcp" });
const placement = { ...testPlacement({ tenantId: "t", subscriptionId: "00000000-0000-0000-0000-000000000001" }), naming };
const peSubnet = "/subscriptions/s/resourceGroups/rg-mcp-test/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-pe";
const zone = "/subscriptions/s/resourceGroups/rg-mcp-test/providers/Microsoft.Network/privateDnsZones/privatelink.cognitiveservices.azure.com";
const workspaceId = "/subscriptions/s/resourceGroups/rg-mcp-test/providers/Microsoft.OperationalInsights/workspaces/log";
const gatewayPrincipalId = "9d2c4f7e-0000-4000-8000-000000000abc";

function synth(overrides: Partial<McpContentSafetyArgs> = {}): Promise<{ resources: PlannedResource[]; endpoint: string; accountId: string }> {
    let safety: McpContentSafety | undefined;
    return runUnderMocks(() => {
        safety = new McpContentSafety("cs", {
            placement,
            diagnostics: { workspaceId },
            privateEndpoint: { subnetId: peSubnet, privateDnsZoneId: zone },
            roleAssignments: [
                { principalId: gatewayPrincipalId, roleDefinitionId: builtInRoles.cognitiveServicesUser, principalType: "ServicePrincipal", role: "cs-user" },
            ],
            ...overrides,
        });
    }).then(async (resources) => ({
        resources,
        endpoint: await new Promise<string>((resolve) => safety!.endpoint.apply(resolve)),
        accountId: await new Promise<string>((resolve) => safety!.accountId.apply(resolve)),
    }));
}

describe("McpContentSafety", () => {
    it("creates a ContentSafety account on S0 with a custom subdomain", async () => {
        const account = single((await synth()).resources, "azure-native:cognitiveservices:Account").inputs;
        expect(account.kind).toBe("ContentSafety");
        expect(account.sku).toEqual({ name: "S0" });
        expect(account.properties.customSubDomainName).toBe(account.accountName);
        expect(account.accountName).toMatch(/^cs-mcp-test-[0-9a-f]{4}$/);
        expect(account.tags).toEqual(placement.tags);
    });

    it("disables key auth and every public network path (C1.3, C10.3)", async () => {
        const { properties } = single((await synth()).resources, "azure-native:cognitiveservices:Account").inputs;
        expect(properties.disableLocalAuth).toBe(true);
        expect(properties.publicNetworkAccess).toBe("Disabled");
        expect(properties.networkAcls).toEqual({ defaultAction: "Deny", ipRules: [], virtualNetworkRules: [] });
        expect(properties.restrictOutboundNetworkAccess).toBe(true);
        expect(properties.allowedFqdnList).toEqual([]);
    });

    it("reaches the account through a private endpoint on the account sub-resource, registered in the private zone", async () => {
        const { resources, accountId } = await synth();
        const pep = single(resources, "azure-native:network:PrivateEndpoint").inputs;
        expect(pep.subnet.id).toBe(peSubnet);
        expect(pep.privateLinkServiceConnections).toEqual([expect.objectContaining({ privateLinkServiceId: accountId, groupIds: ["account"] })]);
        const dns = single(resources, "azure-native:network:PrivateDnsZoneGroup").inputs;
        expect(dns.privateDnsZoneConfigs).toEqual([{ name: "account", privateDnsZoneId: zone }]);
    });

    it("grants the gateway identity Cognitive Services User on this account alone", async () => {
        const { resources, accountId } = await synth();
        const [grant, ...others] = ofType(resources, "azure-native:authorization:RoleAssignment");
        expect(others).toEqual([]);
        expect(grant.inputs.scope).toBe(accountId);
        expect(grant.inputs.principalId).toBe(gatewayPrincipalId);
        expect(grant.inputs.principalType).toBe("ServicePrincipal");
        expect(grant.inputs.roleDefinitionId).toBe(
            `/subscriptions/${placement.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles.cognitiveServicesUser}`,
        );
    });

    it("grants nobody anything when no role assignments are given", async () => {
        const { resources } = await synth({ roleAssignments: undefined });
        expect(ofType(resources, "azure-native:authorization:RoleAssignment")).toEqual([]);
    });

    it("sends all logs and metrics of the account to the workspace (C5.1)", async () => {
        const { resources, accountId } = await synth();
        const diag = single(resources, "azure-native:monitor:DiagnosticSetting").inputs;
        expect(diag.resourceUri).toBe(accountId);
        expect(diag.workspaceId).toBe(workspaceId);
        expect(diag.logs).toEqual([{ categoryGroup: "allLogs", enabled: true }]);
    });

    it("outputs the custom-subdomain endpoint", async () => {
        const { endpoint, resources } = await synth();
        const name = single(resources, "azure-native:cognitiveservices:Account").inputs.accountName;
        expect(endpoint).toBe(`https://${name}.cognitiveservices.azure.com/`);
    });
});
