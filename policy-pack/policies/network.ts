import type { PolicyResource } from "@pulumi/policy";
import type { SubnetArgs, VirtualNetworkArgs } from "@pulumi/azure-native/network";
import type * as input from "@pulumi/azure-native/types/input";
import type { Inputs } from "../lib/inputs";
import { resourcePolicy, stackPolicy } from "../lib/policy";
import {
    allowsInternetInbound,
    edgeNsgs,
    isAllow,
    isDenyAllInbound,
    isHttpsListener,
    isInbound,
    isOpenPrefix,
    portsOf,
    RuleLike,
    rulesOfNsg,
} from "../lib/nsg";
import { optionalControlEnabled } from "../contract/declaration";
import { dependsVia } from "../lib/references";
import { allPortRanges, gatewaySubnets, isInternetDestination, routesToFirewall, runtimeSubnets } from "./firewall";
import { resourceTypes } from "../contract/resourceTypes";

/**
 * Subnets Azure reserves for its own gateways and firewalls, where an NSG is rejected or
 * unsupported (the built-in Azure Policy "Subnets should be associated with a Network Security
 * Group" exempts the same names).
 */
const subnetsWithoutNsgSupport = ["GatewaySubnet", "AzureFirewallSubnet", "AzureFirewallManagementSubnet", "RouteServerSubnet"];

/** A Subnet resource (named by subnetName) or a VNet's inline subnet (named by name); the checks read either. */
type SubnetProps = Inputs<SubnetArgs> & Inputs<input.network.SubnetArgs>;
/** A Subnet resource or a VirtualNetwork with inline subnets: the policies below apply to both types. */
type SubnetsProps = SubnetProps & Inputs<Pick<VirtualNetworkArgs, "subnets">>;

function hasNsg(subnet: SubnetProps | undefined): boolean {
    // `in`, not a read: during a real preview the NSG's id is unknown, but the reference is there.
    const nsg = subnet?.networkSecurityGroup;
    return typeof nsg === "object" && nsg !== null && "id" in nsg;
}

export const azureNetworkSubnetMissingNsg = resourcePolicy<SubnetsProps>({
    name: "azure-network-subnet-missing-nsg",
    description: "Every subnet (separate or inline in a VNet) is associated with a network security group, except Azure's reserved gateway and firewall subnets.",
    controls: ["C10.3", "A2"],
    component: "network",
    remediationSteps:
        "Associate the subnet with its tier's NSG (components/network creates one per subnet, deny-by-default inbound). " +
        "Without one, Azure's default rules admit the whole VNet and the load balancer.",
    appliesTo: [resourceTypes.network.Subnet, resourceTypes.network.VirtualNetwork],
    validate: (props, args, must) => {
        const exempt = (s: SubnetProps) => subnetsWithoutNsgSupport.includes(String(s.subnetName ?? s.name ?? ""));
        if (args.type === resourceTypes.network.Subnet) {
            if (!exempt(props) && !hasNsg(props)) must("be associated with a network security group");
            return;
        }
        for (const subnet of props.subnets ?? []) {
            if (!exempt(subnet) && !hasNsg(subnet)) must(`associate its inline subnet ${subnet.name ?? "(unnamed)"} with a network security group`);
        }
    },
});

export const azureNetworkNsgDisallowInternetInbound = stackPolicy({
    name: "azure-network-nsg-disallow-internet-inbound",
    description:
        "No NSG rule allows inbound traffic from Internet, *, Any or 0.0.0.0/0, except a TCP 443 listener rule on the NSG of " +
        "a subnet that hosts an Application Gateway (the platform's single public entry).",
    controls: ["C10.3", "A2", "A1"],
    component: "network",
    remediationSteps:
        "Restrict the rule's source to the calling tier's subnet or a service tag (GatewayManager, AzureLoadBalancer, " +
        "ApiManagement). Public traffic enters only through the Application Gateway's HTTPS listener on the edge subnet.",
    validate: (resources, _args, must) => {
        const edge = edgeNsgs(resources);
        const nsgs = resources.filter((r) => r.type === resourceTypes.network.NetworkSecurityGroup);
        const attached = new Set<PolicyResource>();
        for (const nsg of nsgs) {
            for (const { rule, resource } of rulesOfNsg(nsg, resources)) {
                attached.add(resource);
                if (!allowsInternetInbound(rule)) continue;
                if (edge.has(nsg) && isHttpsListener(rule)) continue;
                must(resource, `not allow inbound traffic from the internet (rule ${rule.name ?? "(unnamed)"}${edge.has(nsg) ? "; the edge admits TCP 443 only" : ""})`);
            }
        }
        // A SecurityRule attached to no NSG the stack knows is judged on its own, without the edge exception.
        for (const rule of resources.filter((r) => r.type === resourceTypes.network.SecurityRule)) {
            if (!attached.has(rule) && allowsInternetInbound(rule.props)) {
                must(rule, `not allow inbound traffic from the internet (rule ${rule.props.name ?? rule.name})`);
            }
        }
    },
});

export const azureNetworkNsgEnforceDenyAllInbound = stackPolicy({
    name: "azure-network-nsg-enforce-deny-all-inbound",
    description:
        "Every NSG ends with an explicit inbound deny of all sources, destinations, protocols and ports, so Azure's default " +
        "AllowVnetInBound and AllowAzureLoadBalancerInBound rules never admit traffic a tier did not ask for.",
    controls: ["C10.3", "A2"],
    component: "network",
    severity: "medium",
    remediationSteps:
        "Add a rule DenyAllInbound (priority 4096, Inbound, Deny, protocol *, source *, destination *, ports *) and allow " +
        "each flow the tier needs above it.",
    validate: (resources, _args, must) => {
        for (const nsg of resources.filter((r) => r.type === resourceTypes.network.NetworkSecurityGroup)) {
            if (!rulesOfNsg(nsg, resources).some(({ rule }) => isDenyAllInbound(rule))) {
                must(nsg, "deny all other inbound traffic with an explicit catch-all rule (DenyAllInbound at priority 4096)");
            }
        }
    },
});

export const azureNetworkSubnetEnablePrivateEndpointPolicies = stackPolicy({
    name: "azure-network-subnet-enable-private-endpoint-policies",
    description: "Subnets that hold private endpoints enable privateEndpointNetworkPolicies, so the subnet's NSG applies to the endpoints.",
    controls: ["A2", "C10.3"],
    component: "network",
    severity: "medium",
    remediationSteps:
        "Set privateEndpointNetworkPolicies to Enabled (or NetworkSecurityGroupEnabled) on the subnet; otherwise private " +
        "endpoints ignore the NSG and every host in the VNet reaches them.",
    validate: (resources, _args, must) => {
        const endpoints = resources.filter((r) => r.type === resourceTypes.network.PrivateEndpoint);
        const subnets = resources.filter((s) => s.type === resourceTypes.network.Subnet && endpoints.some((e) => dependsVia(e, "subnet", s)));
        for (const subnet of subnets) {
            const setting = subnet.props.privateEndpointNetworkPolicies;
            if (setting !== "Enabled" && setting !== "NetworkSecurityGroupEnabled") {
                must(subnet, `enable privateEndpointNetworkPolicies for the private endpoints it holds (got ${JSON.stringify(setting ?? null)})`);
            }
        }
    },
});

// Optional control (a DDoS plan bills per month): enforced only when the platform declares it on.
export const azureNetworkVnetEnableDdosProtection = stackPolicy({
    name: "azure-network-vnet-enable-ddos-protection",
    description: "When the platform turns ddosProtection on, every VNet has DDoS Network Protection enabled with a plan attached.",
    controls: ["C4.4"],
    component: "network",
    remediationSteps:
        "Keep features.ddosProtection on so components/network attaches its DDoS Network Protection plan " +
        "(enableDdosProtection: true, ddosProtectionPlan.id), or turn the feature off with a reason in featureReasons.",
    validate: (resources, _args, must) => {
        if (!optionalControlEnabled(resources, "ddosProtection")) return;
        for (const vnet of resources.filter((r) => r.type === resourceTypes.network.VirtualNetwork)) {
            const plan = vnet.props.ddosProtectionPlan;
            if (vnet.props.enableDdosProtection !== true || typeof plan !== "object" || plan === null || !("id" in plan)) {
                must(vnet, "enable DDoS Network Protection with a plan (enableDdosProtection: true and ddosProtectionPlan.id), since optionalControls.ddosProtection is enabled");
            }
        }
    },
});

// Optional control (storage and Traffic Analytics cost): enforced only when the platform declares it on.
export const azureNetworkVnetEnableFlowLogs = stackPolicy({
    name: "azure-network-vnet-enable-flow-logs",
    description: "When the platform turns vnetFlowLogs on, every VNet is the target of an enabled Network Watcher flow log.",
    controls: ["C4.4"],
    component: "network",
    severity: "medium",
    remediationSteps:
        "Keep features.vnetFlowLogs on so components/network creates the flow log (enabled: true, targetResourceId = the VNet), " +
        "or turn the feature off with a reason in featureReasons.",
    validate: (resources, _args, must) => {
        if (!optionalControlEnabled(resources, "vnetFlowLogs")) return;
        const flowLogs = resources.filter((r) => r.type === resourceTypes.network.FlowLog && r.props.enabled === true);
        for (const vnet of resources.filter((r) => r.type === resourceTypes.network.VirtualNetwork)) {
            if (!flowLogs.some((f: PolicyResource) => dependsVia(f, "targetResourceId", vnet))) {
                must(vnet, "be the target of an enabled flow log, since optionalControls.vnetFlowLogs is enabled");
            }
        }
    },
});

export const azureNetworkSubnetDisableDefaultOutboundAccess = resourcePolicy<SubnetsProps>({
    name: "azure-network-subnet-disable-default-outbound-access",
    description:
        "Every subnet (separate or inline in a VNet) is private: defaultOutboundAccess false, so nothing in it gets Azure's " +
        "implicit outbound address. An absent setting counts as Azure's older default, true.",
    controls: ["C10.3", "A2"],
    component: "network",
    severity: "medium",
    remediationSteps:
        "Set defaultOutboundAccess: false on the subnet (components/network does on every tier). Whatever must leave does so " +
        "explicitly: the edge and the egress firewall through their own public IPs, the runtime through the firewall " +
        "(learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access).",
    appliesTo: [resourceTypes.network.Subnet, resourceTypes.network.VirtualNetwork],
    validate: (props, args, must) => {
        const state = (s: SubnetProps) => (s.defaultOutboundAccess === undefined ? "nothing, i.e. true" : String(s.defaultOutboundAccess));
        if (args.type === resourceTypes.network.Subnet) {
            if (props.defaultOutboundAccess !== false) must(`disable default outbound access (defaultOutboundAccess false, got ${state(props)})`);
            return;
        }
        for (const subnet of props.subnets ?? []) {
            if (subnet.defaultOutboundAccess !== false) {
                must(`disable default outbound access on its inline subnet ${subnet.name ?? "(unnamed)"} (defaultOutboundAccess false, got ${state(subnet)})`);
            }
        }
    },
});

// ---------------------------------------------------------------------------------------------
// Outbound (C10.3, A2; MCP05, MCP06, MCP10): the MCP runtime and gateway tiers deny the Internet.

function destinationsOf(rule: RuleLike): string[] {
    const prefixes = [...(rule.destinationAddressPrefix ? [rule.destinationAddressPrefix] : []), ...(rule.destinationAddressPrefixes ?? [])];
    return prefixes.length === 0 ? ["*"] : prefixes;
}

/** A catch-all outbound deny of the Internet: every protocol and port, destination Internet (or `*`). */
function isDenyInternetOutbound(rule: RuleLike): boolean {
    return (
        !isInbound(rule) &&
        rule.access?.toLowerCase() === "deny" &&
        (rule.protocol ?? "") === "*" &&
        destinationsOf(rule).some((d) => isOpenPrefix(d)) &&
        portsOf(rule).every((p) => allPortRanges.has(p.trim()))
    );
}

/** An outbound allow to an Internet destination. */
function allowsInternetOutbound(rule: RuleLike): boolean {
    return !isInbound(rule) && isAllow(rule) && destinationsOf(rule).some(isInternetDestination);
}

/**
 * Learn's one required Internet row for API Management in a VNet: TCP 80 for certificate validation
 * (learn.microsoft.com/azure/api-management/virtual-network-reference#required-ports, in bold).
 */
function isApimCertificateValidation(rule: RuleLike): boolean {
    const ports = portsOf(rule);
    return (rule.protocol ?? "*").toLowerCase() === "tcp" && ports.length === 1 && ports[0].trim() === "80";
}

/** NSGs associated with the given subnets. */
function nsgsOf(subnets: readonly PolicyResource[], resources: readonly PolicyResource[]): PolicyResource[] {
    return resources.filter((n) => n.type === resourceTypes.network.NetworkSecurityGroup && subnets.some((s) => dependsVia(s, "networkSecurityGroup", n)));
}

// ---------------------------------------------------------------------------------------------
// NSG: deny Internet outbound on every MCP runtime and gateway subnet

export const azureNetworkNsgEnforceDenyInternetOutbound = stackPolicy({
    name: "azure-network-nsg-enforce-deny-internet-outbound",
    description:
        "The NSG of every MCP runtime subnet (a Container Apps environment's) and gateway subnet (API Management's) ends its " +
        "outbound rules with a deny of Internet (protocol *, ports *), and allows no Internet destination (Internet, *, " +
        "0.0.0.0/0, AzureCloud) above it: except TCP 80 on the gateway (certificate validation, required by Learn) and, on a " +
        "runtime subnet whose 0.0.0.0/0 goes to the stack's Azure Firewall, the ports the firewall filters. A subnet without an NSG, " +
        "or an environment or gateway outside a subnet of the stack, fails (it cannot be checked).",
    controls: ["C10.3", "A2"],
    component: "network",
    severity: "critical",
    remediationSteps:
        "Keep components/network's outbound rules: explicit service-tag allows, then DenyInternetOutbound at priority 4096. " +
        "A server that must call a host declares it in servers[].egress (the egress firewall allows exactly those hosts); " +
        "never open Internet outbound on the NSG, or any tool can send data anywhere.",
    validate: (resources, _args, must) => {
        // An environment or gateway whose subnet is not a Subnet of this stack cannot be judged: fail closed.
        const users: [string, string, "runtime" | "gateway"][] = [
            [resourceTypes.app.ManagedEnvironment, "vnetConfiguration", "runtime"],
            [resourceTypes.apimanagement.ApiManagementService, "virtualNetworkConfiguration", "gateway"],
        ];
        for (const [type, property, tier] of users) {
            for (const user of resources.filter((r) => r.type === type)) {
                if (!resources.some((s) => s.type === resourceTypes.network.Subnet && dependsVia(user, property, s))) {
                    must(user, `sit in a subnet of this stack (${property}), so the MCP ${tier} tier's outbound rules can be checked; none was found`);
                }
            }
        }
        const tiers: { subnet: PolicyResource; tier: "runtime" | "gateway" }[] = [
            ...runtimeSubnets(resources).map((subnet) => ({ subnet, tier: "runtime" as const })),
            ...gatewaySubnets(resources).map((subnet) => ({ subnet, tier: "gateway" as const })),
        ];
        for (const { subnet, tier } of tiers) {
            const nsgs = nsgsOf([subnet], resources);
            if (nsgs.length === 0) {
                must(subnet, `have an NSG that denies Internet outbound (the MCP ${tier} subnet has none, so Azure's AllowInternetOutBound applies)`);
                continue;
            }
            for (const nsg of nsgs) {
                const outbound = rulesOfNsg(nsg, resources).filter(({ rule }) => !isInbound(rule));
                const denies = outbound.filter(({ rule }) => isDenyInternetOutbound(rule));
                if (denies.length === 0) {
                    must(nsg, `end its outbound rules with a deny of Internet (protocol *, ports *) on the MCP ${tier} subnet; without it Azure's AllowInternetOutBound applies`);
                    continue;
                }
                const denyPriority = Math.min(...denies.map(({ rule }) => rule.priority ?? 4096));
                const viaFirewall = tier === "runtime" && routesToFirewall(subnet, resources);
                for (const { rule, resource } of outbound) {
                    if (!allowsInternetOutbound(rule)) continue;
                    // A missing priority cannot be placed: read it as above the deny.
                    if (typeof rule.priority === "number" && rule.priority > denyPriority) continue;
                    if (tier === "gateway" && isApimCertificateValidation(rule)) continue;
                    if (viaFirewall) continue;
                    must(
                        resource,
                        `not allow Internet outbound above the deny on the MCP ${tier} subnet (rule ${rule.name ?? "(unnamed)"} to ` +
                            `${destinationsOf(rule).join(", ")}${tier === "runtime" ? "; only a subnet routed through the egress firewall may" : "; the gateway may reach TCP 80 only"})`,
                    );
                }
            }
        }
    },
});

// ---------------------------------------------------------------------------------------------
// Route: the runtime subnets' 0.0.0.0/0 to the firewall (optional control egressFirewall)

export const azureNetworkSubnetEnforceEgressRouteToFirewall = stackPolicy({
    name: "azure-network-subnet-enforce-egress-route-to-firewall",
    description:
        "When the platform turns egressFirewall on, every MCP runtime subnet (a Container Apps environment's) has a route " +
        "table whose 0.0.0.0/0 route goes to a VirtualAppliance at the private address of an Azure Firewall of the stack.",
    controls: ["C10.3", "A2"],
    component: "network",
    severity: "critical",
    remediationSteps:
        "Keep features.egressFirewall on so components/network associates the firewall's route table (0.0.0.0/0 → " +
        "VirtualAppliance at the firewall's private IP) with the runtime subnets, or turn the feature off with a reason.",
    validate: (resources, _args, must) => {
        if (!optionalControlEnabled(resources, "egressFirewall")) return;
        for (const subnet of runtimeSubnets(resources)) {
            if (!routesToFirewall(subnet, resources)) {
                must(subnet, "route 0.0.0.0/0 to the stack's Azure Firewall (a route table with a VirtualAppliance route at its private IP), since optionalControls.egressFirewall is enabled");
            }
        }
    },
});

