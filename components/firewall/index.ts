import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import { createDiagnosticSetting } from "../shared/diagnostics";
import { DiagnosticsArgs, PlacementArgs } from "../shared/inputs";
import { resourceName } from "../shared/naming";
import { platformGroupPriority, platformRuleCollections, serverRuleCollections, ServerEgress, serversGroupPriority } from "./rules";

export { egressPorts, type ServerEgress } from "./rules";

export interface McpEgressFirewallArgs {
    /** Resource group, region, tags and naming of every child. */
    readonly placement: PlacementArgs;
    /** The workspace the firewall's logs go to, in resource-specific tables (AZFWApplicationRule, AZFWNetworkRule, AZFWDnsQuery…) (C5.1). */
    readonly diagnostics: DiagnosticsArgs;
    /** The `AzureFirewallSubnet` of the platform VNet (Azure requires that exact name and at least a /26). */
    readonly subnetId: pulumi.Input<string>;
    /** Subnets whose Container Apps environments need the platform's dependencies: the runtime (and sandbox) CIDRs. */
    readonly sourceCidrs: readonly string[];
    /**
     * Where the MCP servers' calls come from: the runtime subnet only (the sandbox's sessions run with
     * egress disabled and get no server's hosts). Container Apps share these addresses. Defaults to `sourceCidrs`.
     */
    readonly serverSourceCidrs?: readonly string[];
    /** Each MCP server's declared egress (`servers[].egress`); a server with none gets no rule. */
    readonly servers: readonly ServerEgress[];
    /** Availability zones of the firewall and its public IP (prod). Defaults to none. */
    readonly zones?: readonly string[];
    /** Cover the public IP by the VNet's DDoS plan (when the ddosProtection feature is on). Defaults to false. */
    readonly ddosProtection?: boolean;
}

/**
 * The egress firewall (C10.3, A2; optional control `egressFirewall`): Azure Firewall Standard with a
 * firewall policy that denies known-malicious destinations (threat intelligence in Deny mode), acts
 * as DNS proxy, allows the Container Apps platform's own dependencies and each server's declared
 * hosts, and nothing else (Azure Firewall denies by default). Its logs go to the workspace in
 * resource-specific tables. A route table sends the runtime subnets' 0.0.0.0/0 to it.
 * Child names: `${name}-pip`, `${name}-policy`, `${name}-rules-platform`, `${name}-rules-servers`,
 * `${name}`, `${name}-rt` and the diagnostic settings.
 */
export class McpEgressFirewall extends pulumi.ComponentResource {
    public readonly firewallId: pulumi.Output<string>;
    public readonly privateIp: pulumi.Output<string>;
    public readonly routeTableId: pulumi.Output<string>;

    constructor(name: string, args: McpEgressFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mcp:firewall:McpEgressFirewall", name, {}, opts);
        const { placement, diagnostics } = args;
        const zones = args.zones && args.zones.length > 0 ? [...args.zones] : undefined;

        // The firewall's SNAT address toward the Internet. It accepts no inbound: the policy has no DNAT collection.
        const publicIp = new network.PublicIPAddress(
            `${name}-pip`,
            {
                publicIpAddressName: resourceName(placement.naming, "publicIp", "firewall"),
                resourceGroupName: placement.resourceGroupName,
                location: placement.location,
                tags: placement.tags,
                sku: { name: network.PublicIPAddressSkuName.Standard, tier: network.PublicIPAddressSkuTier.Regional },
                publicIPAllocationMethod: network.IPAllocationMethod.Static,
                zones,
                ...(args.ddosProtection ? { ddosSettings: { protectionMode: network.DdosSettingsProtectionMode.VirtualNetworkInherited } } : {}),
            },
            { parent: this },
        );
        createDiagnosticSetting(this, `${name}-pip`, publicIp.id, diagnostics);

        const policy = new network.FirewallPolicy(
            `${name}-policy`,
            {
                firewallPolicyName: resourceName(placement.naming, "firewallPolicy"),
                resourceGroupName: placement.resourceGroupName,
                location: placement.location,
                tags: placement.tags,
                // Standard: DNS proxy and threat-intelligence Deny need it (Basic only alerts and has no DNS proxy).
                sku: { tier: network.FirewallPolicySkuTier.Standard },
                threatIntelMode: network.AzureFirewallThreatIntelMode.Deny,
                // DNS proxy: FQDNs resolve the same on the firewall and its clients, and queries land in AZFWDnsQuery.
                dnsSettings: { enableProxy: true },
            },
            { parent: this },
        );

        // Azure updates one rule collection group of a policy at a time: the servers' group waits for the platform's.
        const platformRules = new network.FirewallPolicyRuleCollectionGroup(
            `${name}-rules-platform`,
            {
                ruleCollectionGroupName: "platform",
                firewallPolicyName: policy.name,
                resourceGroupName: placement.resourceGroupName,
                priority: platformGroupPriority,
                ruleCollections: platformRuleCollections(args.sourceCidrs),
            },
            { parent: this },
        );
        const serverCollections = serverRuleCollections(args.servers, args.serverSourceCidrs ?? args.sourceCidrs);
        const serverRules =
            serverCollections.length > 0
                ? new network.FirewallPolicyRuleCollectionGroup(
                      `${name}-rules-servers`,
                      {
                          ruleCollectionGroupName: "mcp-servers",
                          firewallPolicyName: policy.name,
                          resourceGroupName: placement.resourceGroupName,
                          priority: serversGroupPriority,
                          ruleCollections: serverCollections,
                      },
                      { parent: this, dependsOn: [platformRules] },
                  )
                : undefined;

        const firewall = new network.AzureFirewall(
            name,
            {
                azureFirewallName: resourceName(placement.naming, "azureFirewall"),
                resourceGroupName: placement.resourceGroupName,
                location: placement.location,
                tags: placement.tags,
                sku: { name: network.AzureFirewallSkuName.AZFW_VNet, tier: network.AzureFirewallSkuTier.Standard },
                firewallPolicy: { id: policy.id },
                ipConfigurations: [{ name: "egress", subnet: { id: args.subnetId }, publicIPAddress: { id: publicIp.id } }],
                zones,
            },
            // Rule changes while the firewall is being created fail with a conflict; create rules first.
            { parent: this, dependsOn: serverRules ? [platformRules, serverRules] : [platformRules] },
        );
        createDiagnosticSetting(this, name, firewall.id, diagnostics);

        const privateIp = firewall.ipConfigurations.apply((configs) => {
            const ip = configs?.[0]?.privateIPAddress;
            if (!ip) throw new Error(`McpEgressFirewall ${name}: Azure returned no private IP for the firewall`);
            return ip;
        });
        const routeTable = new network.RouteTable(
            `${name}-rt`,
            {
                routeTableName: resourceName(placement.naming, "routeTable", "egress"),
                resourceGroupName: placement.resourceGroupName,
                location: placement.location,
                tags: placement.tags,
                // A gateway-propagated default route must never bypass the firewall.
                disableBgpRoutePropagation: true,
                routes: [{ name: "internet-via-firewall", addressPrefix: "0.0.0.0/0", nextHopType: network.RouteNextHopType.VirtualAppliance, nextHopIpAddress: privateIp }],
            },
            { parent: this },
        );

        this.firewallId = firewall.id;
        this.privateIp = privateIp;
        this.routeTableId = routeTable.id;
        this.registerOutputs({ firewallId: this.firewallId, privateIp: this.privateIp, routeTableId: this.routeTableId });
    }
}
