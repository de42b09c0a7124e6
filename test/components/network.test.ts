import { beforeAll, describe, expect, it } from "vitest";
import { McpNetwork, McpNetworkArgs, subnetSettings, validateTierCidrs } from "../../components/network";
import { createLinkedPrivateZone, privateDnsZoneNames } from "../../components/network/dns";
import { denyAllInbound, denyAllPriority, securityRulesFor, TierCidrs } from "../../components/network/nsgRules";
import { runUnderMocks } from "../helpers/mocks";
import type { PlannedResource } from "../../tools/offline/types";
import * as network from "../../policy-pack/policies/network";
import { McpPolicy } from "../../policy-pack/lib/policy";
import { testPlacement, testTags } from "../helpers/placement";
import { violationsOf } from "../helpers/policy";
import { ofType, planned, single } from "../helpers/resources";
import * as pulumi from "@pulumi/pulumi";

const tags = testTags;
const placement = testPlacement;
const workspaceId = "/subscriptions/1111/resourceGroups/rg-mcp-test/providers/Microsoft.OperationalInsights/workspaces/log-mcp-test";
const cidrs: TierCidrs = { runtime: "10.40.0.0/23", edge: "10.40.2.0/24", gateway: "10.40.3.0/24", privateEndpoints: "10.40.4.0/24" };
const tiers = ["edge", "gateway", "runtime", "privateEndpoints"] as const;

function build(overrides: Partial<McpNetworkArgs> = {}): Promise<PlannedResource[]> {
    return runUnderMocks(() => {
        new McpNetwork("net", {
            placement: placement(),
            diagnostics: { workspaceId },
            addressSpace: ["10.40.0.0/16"],
            subnets: { ...cidrs, sandbox: undefined },
            ...overrides,
        });
    });
}

const rulesOf = (resources: PlannedResource[], tier: string) => single(resources, "azure-native:network:NetworkSecurityGroup", `nsg-${tier}`).inputs.securityRules as any[];
const rule = (rules: any[], name: string) => rules.find((r) => r.name === name);

describe("McpNetwork (C10.3, A2, C4.4)", () => {
    let resources: PlannedResource[];
    beforeAll(async () => {
        resources = await build();
    });

    it("creates the VNet from the configured address space, without a DDoS plan by default", () => {
        const vnet = single(resources, "azure-native:network:VirtualNetwork");
        expect(vnet.inputs.addressSpace).toEqual({ addressPrefixes: ["10.40.0.0/16"] });
        expect(vnet.inputs.enableDdosProtection).toBe(false);
        expect(vnet.inputs.tags).toEqual(tags);
        expect(ofType(resources, "azure-native:network:DdosProtectionPlan")).toEqual([]);
    });

    it("creates one subnet per tier with its carved CIDR and its own NSG", () => {
        const subnets = ofType(resources, "azure-native:network:Subnet");
        expect(subnets.map((s) => s.name).sort()).toEqual(tiers.map((t) => `net-snet-${t}`).sort());
        for (const tier of tiers) {
            const subnet = single(resources, "azure-native:network:Subnet", `snet-${tier}`);
            const nsg = single(resources, "azure-native:network:NetworkSecurityGroup", `nsg-${tier}`);
            expect(subnet.inputs.addressPrefix).toBe(cidrs[tier]);
            expect(subnet.inputs.networkSecurityGroup).toEqual({ id: nsg.id });
        }
    });

    it("creates subnets one after another (Azure rejects concurrent subnet writes on one VNet)", () => {
        const gateway = single(resources, "azure-native:network:Subnet", "snet-gateway");
        const edge = single(resources, "azure-native:network:Subnet", "snet-edge");
        expect(gateway.dependencies).toContain(edge.urn);
    });

    it("delegates the runtime subnet to Microsoft.App/environments", () => {
        const runtime = single(resources, "azure-native:network:Subnet", "snet-runtime");
        expect(runtime.inputs.delegations).toEqual([{ name: "container-apps", serviceName: "Microsoft.App/environments" }]);
    });

    it("leaves the gateway subnet undelegated for the classic API Management tiers", async () => {
        for (const gatewaySku of [undefined, "Developer", "Premium"] as const) {
            const gateway = single(await build({ gatewaySku }), "azure-native:network:Subnet", "snet-gateway");
            expect(gateway.inputs.delegations).toBeUndefined();
        }
    });

    it("delegates the gateway subnet to Microsoft.Web/hostingEnvironments for a PremiumV2 gateway (v2 VNet injection)", async () => {
        const premiumV2 = await build({ gatewaySku: "PremiumV2" });
        const gateway = single(premiumV2, "azure-native:network:Subnet", "snet-gateway");
        expect(gateway.inputs.delegations).toEqual([{ name: "apim-v2-injection", serviceName: "Microsoft.Web/hostingEnvironments" }]);
        const runtime = single(premiumV2, "azure-native:network:Subnet", "snet-runtime");
        expect(runtime.inputs.delegations).toEqual([{ name: "container-apps", serviceName: "Microsoft.App/environments" }]);
    });

    it("enables private endpoint network policies on the private-endpoints subnet so its NSG applies", () => {
        const pe = single(resources, "azure-native:network:Subnet", "snet-privateEndpoints");
        expect(pe.inputs.privateEndpointNetworkPolicies).toBe("Enabled");
        expect(pe.inputs.defaultOutboundAccess).toBe(false);
    });

    it("ends every NSG with an explicit DenyAllInbound at the lowest priority", () => {
        for (const tier of tiers) {
            const rules = rulesOf(resources, tier);
            expect(rule(rules, "DenyAllInbound")).toMatchObject({
                priority: 4096,
                direction: "Inbound",
                access: "Deny",
                protocol: "*",
                sourceAddressPrefix: "*",
                destinationAddressPrefix: "*",
            });
            const inbound = rules.filter((r) => r.direction === "Inbound");
            expect(Math.max(...inbound.map((r) => r.priority))).toBe(4096);
        }
    });

    it("opens the edge to GatewayManager 65200-65535, the load balancer, and HTTPS 443 from the internet only", () => {
        const rules = rulesOf(resources, "edge");
        expect(rule(rules, "AllowGatewayManagerInbound")).toMatchObject({ sourceAddressPrefix: "GatewayManager", destinationPortRange: "65200-65535", protocol: "Tcp" });
        expect(rule(rules, "AllowAzureLoadBalancerInbound")).toMatchObject({ sourceAddressPrefix: "AzureLoadBalancer", access: "Allow" });
        const internet = rules.filter((r) => r.sourceAddressPrefix === "Internet");
        expect(internet).toEqual([expect.objectContaining({ name: "AllowHttpsListenerInbound", protocol: "Tcp", destinationPortRange: "443", access: "Allow" })]);
    });

    it("opens the internal API Management subnet exactly as internal mode needs", () => {
        const rules = rulesOf(resources, "gateway");
        expect(rule(rules, "AllowApiManagementInbound")).toMatchObject({ sourceAddressPrefix: "ApiManagement", destinationPortRange: "3443", protocol: "Tcp" });
        expect(rule(rules, "AllowAzureLoadBalancerInbound")).toMatchObject({ sourceAddressPrefix: "AzureLoadBalancer", destinationPortRange: "6390" });
        expect(rule(rules, "AllowEdgeHttpsInbound")).toMatchObject({ sourceAddressPrefix: cidrs.edge, destinationPortRange: "443" });
        // The required (bold) outbound rows of Learn's virtual-network-reference, Entra ID for validate-azure-ad-token, then the deny.
        const outbound = rules.filter((r) => r.direction === "Outbound");
        expect(outbound.map((r) => [r.access, r.destinationAddressPrefix, r.destinationPortRange ?? r.destinationPortRanges])).toEqual([
            ["Allow", "Internet", "80"],
            ["Allow", "Storage", "443"],
            ["Allow", "Sql", "1433"],
            ["Allow", "AzureKeyVault", "443"],
            ["Allow", "AzureMonitor", ["1886", "443"]],
            ["Allow", "AzureActiveDirectory", "443"],
            ["Deny", "Internet", "*"],
        ]);
    });

    it("lets only the gateway subnet reach the runtime (plus its own nodes and the load balancer's probes)", () => {
        const allows = rulesOf(resources, "runtime").filter((r) => r.direction === "Inbound" && r.access === "Allow");
        expect(allows.map((r) => r.sourceAddressPrefix).sort()).toEqual(["AzureLoadBalancer", cidrs.gateway, cidrs.runtime].sort());
        expect(rule(allows, "AllowGatewayHttpsInbound")).toMatchObject({ sourceAddressPrefix: cidrs.gateway, destinationPortRange: "443" });
    });

    it("lets only the gateway, runtime and edge subnets reach the private endpoints, on 443", () => {
        const allows = rulesOf(resources, "privateEndpoints").filter((r) => r.direction === "Inbound" && r.access === "Allow");
        expect(allows.map((r) => r.sourceAddressPrefix).sort()).toEqual([cidrs.edge, cidrs.gateway, cidrs.runtime].sort());
        expect(allows.every((r) => r.destinationPortRange === "443" && r.protocol === "Tcp")).toBe(true);
    });

    it("allows the internet nowhere but the edge listener", () => {
        for (const tier of ["gateway", "runtime", "privateEndpoints"]) {
            expect(rulesOf(resources, tier).filter((r) => ["Internet", "*", "0.0.0.0/0"].includes(r.sourceAddressPrefix) && r.access === "Allow")).toEqual([]);
        }
    });

    it("sends every NSG's and the VNet's diagnostics to the workspace", () => {
        const settings = ofType(resources, "azure-native:monitor:DiagnosticSetting");
        const targets = [
            ...tiers.map((t) => single(resources, "azure-native:network:NetworkSecurityGroup", `nsg-${t}`).id),
            single(resources, "azure-native:network:VirtualNetwork").id,
        ];
        for (const target of targets) {
            expect(settings.find((s) => s.inputs.resourceUri === target)?.inputs.workspaceId).toBe(workspaceId);
        }
    });

    it("links the four private DNS zones to the VNet without auto-registration", () => {
        const vnet = single(resources, "azure-native:network:VirtualNetwork");
        const zones = ofType(resources, "azure-native:privatedns:PrivateZone");
        expect(zones.map((z) => z.inputs.privateZoneName).sort()).toEqual(Object.values(privateDnsZoneNames).sort());
        const links = ofType(resources, "azure-native:privatedns:VirtualNetworkLink");
        expect(links).toHaveLength(4);
        for (const link of links) {
            expect(link.inputs.virtualNetwork).toEqual({ id: vnet.id });
            expect(link.inputs.registrationEnabled).toBe(false);
        }
    });

    it("creates no flow logs when they are not asked for", () => {
        expect(ofType(resources, "azure-native:network:FlowLog")).toEqual([]);
        expect(ofType(resources, "azure-native:storage:StorageAccount")).toEqual([]);
    });

    it("passes the network policies when an Application Gateway sits on the edge subnet", async () => {
        const edgeSubnet = single(resources, "azure-native:network:Subnet", "snet-edge");
        const appGateway = planned("azure-native:network:ApplicationGateway", "agw", {}, { propertyDependencies: { gatewayIPConfigurations: [edgeSubnet.urn] } });
        for (const policy of Object.values(network) as McpPolicy[]) {
            if (typeof policy !== "object" || !("name" in policy)) continue;
            expect(await violationsOf(policy, [...resources, appGateway])).toEqual([]);
        }
    });
});

describe("McpNetwork options", () => {
    it("attaches a DDoS Network Protection plan to the VNet when asked (C4.4)", async () => {
        const resources = await build({ ddosProtection: true });
        const plan = single(resources, "azure-native:network:DdosProtectionPlan");
        const vnet = single(resources, "azure-native:network:VirtualNetwork");
        expect(vnet.inputs.enableDdosProtection).toBe(true);
        expect(vnet.inputs.ddosProtectionPlan).toEqual({ id: plan.id });
        expect(plan.inputs.tags).toEqual(tags);
    });

    it("creates the sandbox subnet and its NSG only when a sandbox CIDR is given", async () => {
        const resources = await build({ subnets: { ...cidrs, sandbox: "10.40.5.0/24" } });
        expect(single(resources, "azure-native:network:Subnet", "snet-sandbox").inputs.addressPrefix).toBe("10.40.5.0/24");
        const allows = rulesOf(resources, "sandbox").filter((r) => r.direction === "Inbound" && r.access === "Allow");
        expect(allows.map((r) => r.sourceAddressPrefix)).toContain(cidrs.runtime);
        expect(allows.map((r) => r.sourceAddressPrefix)).not.toContain(cidrs.edge);
    });

    it("writes VNet flow logs to a locked-down, protected storage account through an identity (C4.4)", async () => {
        const resources = await build({ flowLogs: { retentionDays: 365 }, protectStatefulResources: true });
        const account = single(resources, "azure-native:storage:StorageAccount");
        expect(account.inputs).toMatchObject({
            allowBlobPublicAccess: false,
            allowSharedKeyAccess: false,
            minimumTlsVersion: "TLS1_2",
            enableHttpsTrafficOnly: true,
            networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [], virtualNetworkRules: [] },
        });
        expect(account.opts.protect).toBe(true);
        const identity = single(resources, "azure-native:managedidentity:UserAssignedIdentity");
        const flowLog = single(resources, "azure-native:network:FlowLog");
        expect(flowLog.inputs).toMatchObject({
            enabled: true,
            targetResourceId: single(resources, "azure-native:network:VirtualNetwork").id,
            storageId: account.id,
            networkWatcherName: "NetworkWatcher_swedencentral",
            resourceGroupName: "NetworkWatcherRG",
            format: { type: "JSON", version: 2 },
            retentionPolicy: { enabled: true, days: 365 },
            identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
        });
        const role = single(resources, "azure-native:authorization:RoleAssignment");
        expect(role.inputs.scope).toBe(account.id);
        expect(role.inputs.roleDefinitionId).toMatch(/ba92f5b4-2d11-453d-a403-e96b0029c9fe$/);
        expect(flowLog.dependencies).toContain(role.urn);
    });

    it("adds the Managed HSM private DNS zone only when asked", async () => {
        const resources = await build({ managedHsmZone: true });
        expect(ofType(resources, "azure-native:privatedns:PrivateZone").map((z) => z.inputs.privateZoneName)).toContain("privatelink.managedhsm.azure.net");
    });

    it("refuses to start without a CIDR for a required tier, naming it", () => {
        expect(() => validateTierCidrs({ ...cidrs, gateway: undefined, sandbox: undefined })).toThrow("subnets.gateway missing");
    });
});

describe("createLinkedPrivateZone", () => {
    it("creates a zone known only at deploy time and links it to the VNet", async () => {
        const resources = await runUnderMocks(() => {
            const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
            createLinkedPrivateZone(parent, "env", placement(), pulumi.output("calmriver-1a2b3c4d.swedencentral.azurecontainerapps.io"), "/subscriptions/x/vnet");
        });
        expect(single(resources, "azure-native:privatedns:PrivateZone", "env-zone").inputs).toMatchObject({
            privateZoneName: "calmriver-1a2b3c4d.swedencentral.azurecontainerapps.io",
            location: "global",
            tags,
        });
        expect(single(resources, "azure-native:privatedns:VirtualNetworkLink", "env-link").inputs).toMatchObject({
            virtualNetwork: { id: "/subscriptions/x/vnet" },
            registrationEnabled: false,
        });
    });
});

describe("securityRulesFor", () => {
    it.each(["edge", "gateway", "runtime", "privateEndpoints"] as const)("puts the deny-all last on the %s tier and keeps priorities unique per direction", (tier) => {
        const rules = securityRulesFor(tier, cidrs);
        expect(rules.filter((r) => r.direction === "Inbound").at(-1)).toBe(denyAllInbound);
        for (const direction of ["Inbound", "Outbound"]) {
            const priorities = rules.filter((r) => r.direction === direction).map((r) => r.priority);
            expect(new Set(priorities).size).toBe(priorities.length);
            expect(priorities.every((p) => p >= 100 && p <= denyAllPriority)).toBe(true);
        }
    });

    it("refuses the sandbox tier without a sandbox CIDR", () => {
        expect(() => securityRulesFor("sandbox", cidrs)).toThrow("tier sandbox has no CIDR");
    });

    it("delegates only the runtime subnet", () => {
        expect(subnetSettings("runtime").delegations).toHaveLength(1);
        expect(subnetSettings("edge").delegations).toBeUndefined();
        expect(subnetSettings("gateway").delegations).toBeUndefined();
    });
});
