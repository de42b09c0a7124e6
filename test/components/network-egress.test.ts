import { beforeAll, describe, expect, it } from "vitest";
import { McpNetwork, McpNetworkArgs, subnetSettings } from "../../components/network";
import { denyAllPriority, denyInternetOutbound, securityRulesFor, TierCidrs } from "../../components/network/nsgRules";
import { egressPorts, platformServiceTags, serverRuleCollections } from "../../components/firewall/rules";
import { runUnderMocks } from "../helpers/mocks";
import type { PlannedResource } from "../../tools/offline/types";
import * as firewall from "../../policy-pack/policies/firewall";
import * as network from "../../policy-pack/policies/network";
import { McpPolicy } from "../../policy-pack/lib/policy";
import { testPlacement } from "../helpers/placement";
import { violationsOf } from "../helpers/policy";
import { ofType, planned, single } from "../helpers/resources";

const workspaceId = "/subscriptions/1111/resourceGroups/rg-mcp-test/providers/Microsoft.OperationalInsights/workspaces/log-mcp-test";
const cidrs: TierCidrs = { runtime: "10.40.0.0/23", edge: "10.40.2.0/24", gateway: "10.40.3.0/24", privateEndpoints: "10.40.4.0/24", firewall: "10.40.5.0/26" };
const servers = [
    { name: "docs", egress: [{ host: "api.contoso.com", port: 443 }, { host: "files.contoso.com", port: 443 }, { host: "search.contoso.com", port: 8443 }] },
    { name: "quiet", egress: [] },
    { name: "wiki", egress: [{ host: "wiki.fabrikam.com", port: 443 }] },
];
const T = {
    nsg: "azure-native:network:NetworkSecurityGroup",
    subnet: "azure-native:network:Subnet",
    firewall: "azure-native:network:AzureFirewall",
    policy: "azure-native:network:FirewallPolicy",
    rcg: "azure-native:network:FirewallPolicyRuleCollectionGroup",
    routeTable: "azure-native:network:RouteTable",
    diag: "azure-native:monitor:DiagnosticSetting",
};

function build(overrides: Partial<McpNetworkArgs> = {}): Promise<PlannedResource[]> {
    return runUnderMocks(() => {
        new McpNetwork("net", {
            placement: testPlacement(),
            diagnostics: { workspaceId },
            addressSpace: ["10.40.0.0/16"],
            subnets: cidrs,
            egressFirewall: { servers },
            ...overrides,
        });
    });
}

const rulesOf = (resources: PlannedResource[], tier: string) => single(resources, T.nsg, `nsg-${tier}`).inputs.securityRules as any[];
const outboundOf = (resources: PlannedResource[], tier: string) => rulesOf(resources, tier).filter((r) => r.direction === "Outbound");

describe("McpNetwork outbound (C10.3, A2)", () => {
    let withoutFirewall: PlannedResource[];
    beforeAll(async () => {
        withoutFirewall = await build({ subnets: { ...cidrs, firewall: undefined }, egressFirewall: undefined });
    });

    it("ends the gateway, runtime and private-endpoint NSGs with DenyInternetOutbound at 4096", () => {
        for (const tier of ["gateway", "runtime", "privateEndpoints"]) {
            const outbound = outboundOf(withoutFirewall, tier);
            expect(outbound.at(-1)).toEqual({ ...denyInternetOutbound });
            expect(Math.max(...outbound.map((r) => r.priority))).toBe(denyAllPriority);
        }
    });

    it("leaves the edge on Azure's default outbound, as Learn requires for Application Gateway v2", () => {
        expect(outboundOf(withoutFirewall, "edge")).toEqual([]);
    });

    it("allows no Internet destination from the runtime without the firewall (service tags only)", () => {
        const allows = outboundOf(withoutFirewall, "runtime").filter((r) => r.access === "Allow");
        expect(allows.map((r) => r.destinationAddressPrefix)).toEqual(["AzureMonitor", "MicrosoftContainerRegistry", "AzureFrontDoor.FirstParty", "AzureActiveDirectory"]);
        expect(allows.every((r) => r.destinationPortRange === "443" && r.protocol === "Tcp")).toBe(true);
    });

    it("makes every subnet private (defaultOutboundAccess false)", () => {
        for (const subnet of ofType(withoutFirewall, T.subnet)) expect(subnet.inputs.defaultOutboundAccess, subnet.name).toBe(false);
        for (const tier of ["edge", "gateway", "runtime", "privateEndpoints", "sandbox"] as const) expect(subnetSettings(tier).defaultOutboundAccess).toBe(false);
    });

    it("creates no firewall, route table or firewall subnet without the egress firewall", () => {
        for (const type of [T.firewall, T.policy, T.rcg, T.routeTable]) expect(ofType(withoutFirewall, type)).toEqual([]);
        expect(ofType(withoutFirewall, T.subnet).map((s) => s.inputs.subnetName)).not.toContain("AzureFirewallSubnet");
    });

    it("refuses the egress firewall without a firewall subnet", async () => {
        await expect(build({ subnets: { ...cidrs, firewall: undefined } })).rejects.toThrow("egressFirewall needs subnets.firewall");
    });
});

describe("McpNetwork with the egress firewall (C10.3, A2)", () => {
    let resources: PlannedResource[];
    beforeAll(async () => {
        resources = await build();
    });

    it("puts the firewall in AzureFirewallSubnet, without an NSG (Azure rejects one there)", () => {
        const subnet = single(resources, T.subnet, "snet-firewall");
        expect(subnet.inputs).toMatchObject({ subnetName: "AzureFirewallSubnet", addressPrefix: cidrs.firewall, defaultOutboundAccess: false });
        expect(subnet.inputs.networkSecurityGroup).toBeUndefined();
        expect(ofType(resources, T.nsg).map((n) => n.name)).not.toContain("net-nsg-firewall");
        const firewall = single(resources, T.firewall);
        expect(firewall.inputs.ipConfigurations[0].subnet).toEqual({ id: subnet.id });
        expect(firewall.inputs.sku).toEqual({ name: "AZFW_VNet", tier: "Standard" });
    });

    it("routes the runtime subnet's 0.0.0.0/0 to the firewall's private address", () => {
        const table = single(resources, T.routeTable);
        const firewall = single(resources, T.firewall);
        expect(table.inputs.routes).toEqual([
            { name: "internet-via-firewall", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.40.5.4" },
        ]);
        expect(table.propertyDependencies.routes).toContain(firewall.urn);
        expect(table.inputs.disableBgpRoutePropagation).toBe(true);
        expect(single(resources, T.subnet, "snet-runtime").inputs.routeTable).toEqual({ id: table.id });
        for (const tier of ["edge", "gateway", "privateEndpoints"]) expect(single(resources, T.subnet, `snet-${tier}`).inputs.routeTable, tier).toBeUndefined();
    });

    it("creates the firewall subnet and firewall before the runtime subnet (the route needs the address)", () => {
        const runtime = single(resources, T.subnet, "snet-runtime");
        const table = single(resources, T.routeTable);
        expect(runtime.dependencies).toContain(table.urn);
        expect(single(resources, T.subnet, "snet-edge").dependencies).toContain(single(resources, T.subnet, "snet-firewall").urn);
    });

    it("lets the runtime reach the Internet only on the ports the firewall filters, above the deny", () => {
        const outbound = outboundOf(resources, "runtime");
        const via = outbound.filter((r) => r.destinationAddressPrefix === "Internet" && r.access === "Allow");
        expect(via).toEqual([expect.objectContaining({ name: "AllowInternetViaFirewallOutbound", protocol: "Tcp", destinationPortRanges: ["443", "8443"] })]);
        expect(outbound.at(-1)).toEqual({ ...denyInternetOutbound });
        // The gateway is not routed through the firewall: its outbound does not change.
        expect(outboundOf(resources, "gateway").some((r) => r.name === "AllowInternetViaFirewallOutbound")).toBe(false);
    });

    it("runs a Standard policy with threat intelligence in Deny mode and the DNS proxy", () => {
        const policy = single(resources, T.policy);
        expect(policy.inputs).toMatchObject({ sku: { tier: "Standard" }, threatIntelMode: "Deny", dnsSettings: { enableProxy: true } });
        expect(single(resources, T.firewall).inputs.firewallPolicy).toEqual({ id: policy.id });
    });

    it("gives each server that declares egress one application rule collection named after it, the servers' lists apart", () => {
        const group = single(resources, T.rcg, "rules-servers");
        const collections = group.inputs.ruleCollections as any[];
        expect(collections.map((c) => c.name)).toEqual(["server-docs", "server-wiki"]);
        const docs = collections[0];
        expect(docs.action).toEqual({ type: "Allow" });
        expect(docs.rules.map((r: any) => [r.name, r.targetFqdns, r.protocols])).toEqual([
            ["docs-egress-443", ["api.contoso.com", "files.contoso.com"], [{ protocolType: "Https", port: 443 }]],
            ["docs-egress-8443", ["search.contoso.com"], [{ protocolType: "Https", port: 8443 }]],
        ]);
        expect(docs.rules[0].description).toBe("Declared by MCP server docs (servers[].egress), allowed for its whole environment: api.contoso.com, files.contoso.com on 443");
        // Container Apps share the environment's addresses: every rule's source is the whole runtime subnet.
        for (const rule of collections.flatMap((c) => c.rules)) {
            expect(rule.sourceAddresses).toEqual([cidrs.runtime]);
            expect(rule.description).toMatch(/^Declared by MCP server (docs|wiki) \(servers\[\]\.egress\), allowed for its whole environment: /);
        }
        expect(group.dependencies).toContain(single(resources, T.rcg, "rules-platform").urn);
    });

    it("allows the Container Apps platform's dependencies by service tag on 443 only", () => {
        const platform = single(resources, T.rcg, "rules-platform").inputs.ruleCollections as any[];
        const network = platform.find((c) => c.name === "platform-container-apps-tags");
        expect(network.rules.map((r: any) => r.destinationAddresses[0])).toEqual([...platformServiceTags]);
        expect(network.rules.every((r: any) => r.destinationPorts.join() === "443")).toBe(true);
    });

    it("sends the firewall's and its public IP's logs to the workspace in resource-specific tables", () => {
        for (const target of [single(resources, T.firewall), single(resources, "azure-native:network:PublicIPAddress")]) {
            const setting = ofType(resources, T.diag).find((s) => s.inputs.resourceUri === target.id);
            expect(setting?.inputs, target.name).toMatchObject({ workspaceId, logAnalyticsDestinationType: "Dedicated", logs: [{ categoryGroup: "allLogs", enabled: true }] });
        }
    });

    it("passes every network and egress policy with a Container Apps environment and API Management on their subnets", async () => {
        const workspace = planned("azure-native:operationalinsights:Workspace", "log", {}, { urn: "urn:pulumi:test::mcp-platform::azure-native:operationalinsights:Workspace::log" });
        // The settings' workspaceId is a plain string here; point their dependency at a workspace of the "stack".
        const settings = ofType(resources, T.diag).map((s) => ({ ...s, propertyDependencies: { ...s.propertyDependencies, workspaceId: [workspace.urn] } }));
        const rest = resources.filter((r) => r.type !== T.diag);
        const on = (type: string, property: string, tier: string) => planned(type, `${tier}-user`, {}, { propertyDependencies: { [property]: [single(resources, T.subnet, `snet-${tier}`).urn] } });
        const fixtures = [
            workspace,
            on("azure-native:network:ApplicationGateway", "gatewayIPConfigurations", "edge"),
            on("azure-native:apimanagement:ApiManagementService", "virtualNetworkConfiguration", "gateway"),
            on("azure-native:app:ManagedEnvironment", "vnetConfiguration", "runtime"),
            planned("mcp:platform:McpPlatform", "mcp", { profile: "prod", optionalControls: { egressFirewall: { enabled: true } } }, { custom: false }),
        ];
        for (const policy of [...Object.values(network), ...Object.values(firewall)] as McpPolicy[]) {
            if (typeof policy !== "object" || policy === null || !("name" in policy)) continue;
            expect(await violationsOf(policy, [...rest, ...settings, ...fixtures]), policy.name).toEqual([]);
        }
    });
});

describe("McpNetwork with the egress firewall and the sandbox tier", () => {
    it("routes the sandbox through the firewall for the platform's dependencies only, never for a server's hosts", async () => {
        const resources = await build({ subnets: { ...cidrs, sandbox: "10.40.6.0/24" } });
        const table = single(resources, T.routeTable);
        expect(single(resources, T.subnet, "snet-sandbox").inputs.routeTable).toEqual({ id: table.id });
        const platform = single(resources, T.rcg, "rules-platform").inputs.ruleCollections as any[];
        for (const rule of platform.flatMap((c) => c.rules)) expect(rule.sourceAddresses).toEqual([cidrs.runtime, "10.40.6.0/24"]);
        const servers = single(resources, T.rcg, "rules-servers").inputs.ruleCollections as any[];
        for (const rule of servers.flatMap((c) => c.rules)) expect(rule.sourceAddresses).toEqual([cidrs.runtime]);
        const via = outboundOf(resources, "sandbox").filter((r) => r.name === "AllowInternetViaFirewallOutbound");
        expect(via.map((r) => r.destinationPortRanges)).toEqual([["443"]]);
        expect(outboundOf(resources, "sandbox").at(-1)).toEqual({ ...denyInternetOutbound });
    });
});

describe("firewall rules as data", () => {
    it("opens 443 plus each declared port, once, sorted", () => {
        expect(egressPorts([])).toEqual([443]);
        expect(egressPorts(servers)).toEqual([443, 8443]);
    });

    it("skips servers without egress and gives collections unique priorities in config order", () => {
        const collections = serverRuleCollections(servers, [cidrs.runtime]);
        expect(collections.map((c) => [c.name, c.priority])).toEqual([
            ["server-docs", 100],
            ["server-wiki", 110],
        ]);
    });

    it("uses Http for port 80 and Https elsewhere, and keeps descriptions within 140 characters", () => {
        const many = Array.from({ length: 12 }, (_, i) => ({ host: `host${i}.contoso.com`, port: 80 }));
        const [collection] = serverRuleCollections([{ name: "long", egress: many }], [cidrs.runtime]);
        const [rule] = collection.rules as any[];
        expect(rule.protocols).toEqual([{ protocolType: "Http", port: 80 }]);
        expect(rule.description.length).toBeLessThanOrEqual(140);
    });

    it("keeps priorities unique on the runtime NSG with the via-firewall rule", () => {
        const rules = securityRulesFor("runtime", cidrs, { internetViaFirewallPorts: [443] });
        const outbound = rules.filter((r) => r.direction === "Outbound").map((r) => r.priority);
        expect(new Set(outbound).size).toBe(outbound.length);
    });
});
