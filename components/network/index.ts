import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import type * as azureTypes from "@pulumi/azure-native/types";
import { DiagnosticsArgs, PlacementArgs } from "../shared/inputs";
import { createDiagnosticSetting } from "../shared/diagnostics";
import { resourceName } from "../shared/naming";
import { SubnetTier } from "./layout";
import { NsgRule, NsgTier, securityRulesFor, TierCidrs } from "./nsgRules";
import { egressPorts, McpEgressFirewall, ServerEgress } from "../firewall";
import { createLinkedPrivateZone, managedHsmZoneName, PrivateDnsZoneKey, privateDnsZoneNames } from "./dns";
import { createVnetFlowLog, VnetFlowLogArgs } from "./flowLogs";


export interface McpNetworkArgs {
    /** Resource group, region, tags and naming of every child. */
    readonly placement: PlacementArgs;
    /** Where the NSGs', the VNet's and the flow-log storage's diagnostics go (C5.1). */
    readonly diagnostics: DiagnosticsArgs;
    /** VNet address prefixes (validated and non-overlapping, see stacks/config.ts). */
    readonly addressSpace: readonly string[];
    /** The carved CIDR of each tier (stacks/config.ts `subnets`); the sandbox subnet exists only when set. */
    readonly subnets: Readonly<Partial<Record<SubnetTier, string | undefined>>>;
    /** Attach a DDoS Network Protection plan to the VNet (C4.4). Defaults to false (the plan bills monthly). */
    readonly ddosProtection?: boolean;
    /** VNet flow logs to a locked-down storage account (C4.4). Defaults to no flow logs. */
    readonly flowLogs?: VnetFlowLogArgs;
    /** Also create and link the Managed HSM private DNS zone. Defaults to false. */
    readonly managedHsmZone?: boolean;
    /** `protect: true` on resources that hold audit data (the flow-log storage). Defaults to false. */
    readonly protectStatefulResources?: boolean;
    /**
     * API Management tier injected into the gateway subnet: PremiumV2 needs the subnet delegated to
     * Microsoft.Web/hostingEnvironments; the classic tiers need it undelegated. Defaults to a classic tier.
     */
    readonly gatewaySku?: GatewaySubnetSku;
    /**
     * The egress firewall (C10.3, A2; optional control `egressFirewall`): Azure Firewall in the
     * firewall tier's subnet, and a route table sending the runtime (and sandbox) subnets' 0.0.0.0/0
     * to it. Needs `subnets.firewall`. Defaults to none: the NSGs deny Internet outbound outright.
     */
    readonly egressFirewall?: EgressFirewallArgs;
}

export interface EgressFirewallArgs {
    /** Each MCP server's declared egress (`servers[].egress`); one application rule collection per server that has any. */
    readonly servers: readonly ServerEgress[];
    /** Availability zones of the firewall and its public IP. Defaults to none. */
    readonly zones?: readonly string[];
}

/** Azure accepts a firewall only in a subnet with exactly this name. */
const firewallSubnetName = "AzureFirewallSubnet";

/** Tiers whose 0.0.0.0/0 goes to the egress firewall when it exists: where MCP server and session code runs. */
const routedTiers: readonly SubnetTier[] = ["runtime", "sandbox"];

/** API Management tiers the gateway subnet can host (internal VNet injection). */
export type GatewaySubnetSku = "Developer" | "Premium" | "PremiumV2";

export type SubnetIds = {
    edge: pulumi.Output<string>;
    gateway: pulumi.Output<string>;
    runtime: pulumi.Output<string>;
    privateEndpoints: pulumi.Output<string>;
    sandbox?: pulumi.Output<string>;
    firewall?: pulumi.Output<string>;
};

/**
 * The platform's private network (C10.3, A2, C4.4): one VNet, one subnet per tier each with its
 * own deny-by-default NSG, the private DNS zones the private endpoints resolve through, and
 * optionally a DDoS Network Protection plan and VNet flow logs.
 */
export class McpNetwork extends pulumi.ComponentResource {
    public readonly vnetId: pulumi.Output<string>;
    public readonly vnetName: pulumi.Output<string>;
    public readonly subnetIds: SubnetIds;
    public readonly privateDnsZoneIds: Record<PrivateDnsZoneKey, pulumi.Output<string>> & { managedHsm?: pulumi.Output<string> };
    public readonly ddosPlanId?: pulumi.Output<string>;
    /** The egress firewall's private address (the runtime route's next hop), when the firewall exists. */
    public readonly firewallPrivateIp?: pulumi.Output<string>;

    constructor(name: string, args: McpNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mcp:network:McpNetwork", name, {}, opts);
        const { placement, diagnostics } = args;
        const cidrs = validateTierCidrs(args.subnets);
        if (args.egressFirewall && !cidrs.firewall) {
            throw new Error("McpNetwork: egressFirewall needs subnets.firewall, a carved /26 (stacks/config.ts carves it when features.egressFirewall is on)");
        }
        const tiers = subnetTiersPresent(cidrs);

        const ddosPlan = args.ddosProtection
            ? new network.DdosProtectionPlan(
                  `${name}-ddos`,
                  {
                      ddosProtectionPlanName: resourceName(placement.naming, "ddosPlan"),
                      resourceGroupName: placement.resourceGroupName,
                      location: placement.location,
                      tags: placement.tags,
                  },
                  { parent: this },
              )
            : undefined;

        const vnet = new network.VirtualNetwork(
            `${name}-vnet`,
            {
                virtualNetworkName: resourceName(placement.naming, "virtualNetwork"),
                resourceGroupName: placement.resourceGroupName,
                location: placement.location,
                tags: placement.tags,
                addressSpace: { addressPrefixes: [...args.addressSpace] },
                ...(ddosPlan ? { enableDdosProtection: true, ddosProtectionPlan: { id: ddosPlan.id } } : { enableDdosProtection: false }),
            },
            // Subnets are separate resources below; the provider keeps them when the VNet changes.
            { parent: this },
        );
        createDiagnosticSetting(this, `${name}-vnet`, vnet.id, diagnostics);

        const subnetIds: Partial<Record<SubnetTier, pulumi.Output<string>>> = {};
        // Azure serialises subnet operations on one VNet and answers concurrent ones with
        // AnotherOperationInProgress, so each subnet waits for the previous one.
        let previous: pulumi.Resource | undefined;
        const chain = () => ({ parent: this, dependsOn: previous ? [previous] : [] });

        // The firewall comes first: the runtime subnets' route needs its private address.
        let firewall: McpEgressFirewall | undefined;
        if (args.egressFirewall && cidrs.firewall) {
            const firewallSubnet = new network.Subnet(
                `${name}-snet-firewall`,
                {
                    // No NSG: Azure rejects one on AzureFirewallSubnet; the firewall itself denies by default.
                    subnetName: firewallSubnetName,
                    virtualNetworkName: vnet.name,
                    resourceGroupName: placement.resourceGroupName,
                    addressPrefix: cidrs.firewall,
                    defaultOutboundAccess: false,
                },
                chain(),
            );
            subnetIds.firewall = firewallSubnet.id;
            previous = firewallSubnet;
            // Container Apps share their environment's addresses: the source is the whole subnet (see components/firewall/rules.ts).
            const routed = [cidrs.runtime, ...(cidrs.sandbox ? [cidrs.sandbox] : [])];
            firewall = new McpEgressFirewall(
                `${name}-egress`,
                {
                    placement,
                    diagnostics,
                    subnetId: firewallSubnet.id,
                    sourceCidrs: routed,
                    serverSourceCidrs: [cidrs.runtime],
                    servers: args.egressFirewall.servers,
                    zones: args.egressFirewall.zones,
                    ddosProtection: args.ddosProtection ?? false,
                },
                { parent: this },
            );
        }
        // The runtime's NSG lets through what the firewall filters: 443 and each declared port. The
        // sandbox needs only the platform's dependencies (443); its sessions run with egress disabled.
        const viaFirewallPorts = (tier: NsgTier) =>
            !args.egressFirewall ? undefined : tier === "runtime" ? egressPorts(args.egressFirewall.servers) : tier === "sandbox" ? [443] : undefined;

        for (const tier of tiers) {
            const nsg = new network.NetworkSecurityGroup(
                `${name}-nsg-${tier}`,
                {
                    networkSecurityGroupName: resourceName(placement.naming, "networkSecurityGroup", tier),
                    resourceGroupName: placement.resourceGroupName,
                    location: placement.location,
                    tags: placement.tags,
                    securityRules: securityRulesFor(tier, cidrs, { internetViaFirewallPorts: viaFirewallPorts(tier) }).map(toSecurityRuleArgs),
                },
                { parent: this },
            );
            // NSGs have no platform metrics; their event and rule-counter logs go to the workspace.
            createDiagnosticSetting(this, `${name}-nsg-${tier}`, nsg.id, diagnostics, { metrics: false });
            const routeTable = firewall && routedTiers.includes(tier) ? { routeTable: { id: firewall.routeTableId } } : {};
            const subnet = new network.Subnet(
                `${name}-snet-${tier}`,
                {
                    subnetName: resourceName(placement.naming, "subnet", tier),
                    virtualNetworkName: vnet.name,
                    resourceGroupName: placement.resourceGroupName,
                    addressPrefix: tier === "sandbox" ? cidrs.sandbox : cidrs[tier],
                    networkSecurityGroup: { id: nsg.id },
                    ...routeTable,
                    ...subnetSettings(tier, args.gatewaySku),
                },
                chain(),
            );
            subnetIds[tier] = subnet.id;
            previous = subnet;
        }

        const zoneIds = {} as Record<PrivateDnsZoneKey, pulumi.Output<string>> & { managedHsm?: pulumi.Output<string> };
        for (const key of Object.keys(privateDnsZoneNames) as PrivateDnsZoneKey[]) {
            zoneIds[key] = createLinkedPrivateZone(this, `${name}-dns-${key}`, placement, privateDnsZoneNames[key], vnet.id).zone.id;
        }
        if (args.managedHsmZone) {
            zoneIds.managedHsm = createLinkedPrivateZone(this, `${name}-dns-managedHsm`, placement, managedHsmZoneName, vnet.id).zone.id;
        }

        if (args.flowLogs) {
            createVnetFlowLog(this, name, placement, diagnostics, vnet.id, args.flowLogs, args.protectStatefulResources ?? false);
        }

        this.vnetId = vnet.id;
        this.vnetName = vnet.name;
        this.subnetIds = subnetIds as SubnetIds;
        this.privateDnsZoneIds = zoneIds;
        this.ddosPlanId = ddosPlan?.id;
        this.firewallPrivateIp = firewall?.privateIp;
        this.registerOutputs({
            vnetId: this.vnetId,
            vnetName: this.vnetName,
            subnetIds: this.subnetIds,
            privateDnsZoneIds: this.privateDnsZoneIds,
            ddosPlanId: this.ddosPlanId,
        });
    }
}

/** The required tiers must have a CIDR; the sandbox and firewall tiers are optional. Throws before any child exists. */
export function validateTierCidrs(subnets: Readonly<Partial<Record<SubnetTier, string | undefined>>>): TierCidrs {
    const missing = (["edge", "gateway", "runtime", "privateEndpoints"] as const).filter((tier) => !subnets[tier]);
    if (missing.length > 0) {
        throw new Error(`McpNetwork: subnets.${missing.join(", subnets.")} missing, expected a carved CIDR for every tier (stacks/config.ts)`);
    }
    return subnets as TierCidrs;
}

/** The tiers that get an NSG and a subnet in the loop, in a stable order (the firewall's subnet is created apart). */
function subnetTiersPresent(cidrs: TierCidrs): NsgTier[] {
    return ["edge", "gateway", "runtime", "privateEndpoints", ...(cidrs.sandbox ? (["sandbox"] as const) : [])];
}

/**
 * Per-tier subnet settings beyond the prefix and NSG. Every subnet is private
 * (`defaultOutboundAccess: false`): nothing gets Azure's implicit outbound address
 * (learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access). Whatever must
 * leave does so explicitly: the edge and the firewall through their own public IPs, API Management
 * through its platform-managed address, the runtime through the egress firewall (C10.3, A2).
 */
export function subnetSettings(tier: NsgTier, gatewaySku?: GatewaySubnetSku): Partial<network.SubnetArgs> {
    return { ...tierSubnetSettings(tier, gatewaySku), defaultOutboundAccess: false };
}

function tierSubnetSettings(tier: NsgTier, gatewaySku?: GatewaySubnetSku): Partial<network.SubnetArgs> {
    switch (tier) {
        case "runtime":
            // A workload-profiles Container Apps environment needs its subnet delegated.
            return { delegations: [{ name: "container-apps", serviceName: "Microsoft.App/environments" }] };
        case "gateway":
            // Premium v2 VNet injection requires the subnet delegated to Microsoft.Web/hostingEnvironments
            // (learn.microsoft.com/azure/api-management/inject-vnet-v2; Microsoft.Web/serverFarms is for
            // outbound-only VNet integration). Classic Developer/Premium injection requires no delegation.
            return gatewaySku === "PremiumV2" ? { delegations: [{ name: "apim-v2-injection", serviceName: "Microsoft.Web/hostingEnvironments" }] } : {};
        case "privateEndpoints":
            // Without network policies, private endpoints bypass the subnet's NSG (A2).
            return { privateEndpointNetworkPolicies: network.VirtualNetworkPrivateEndpointNetworkPolicies.Enabled };
        default:
            return {};
    }
}

function toSecurityRuleArgs(rule: NsgRule): azureTypes.input.network.SecurityRuleArgs {
    return { ...rule };
}
