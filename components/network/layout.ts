import { SubnetRequest } from "./cidr";

/**
 * The tiers of the VNet and their sizes. Sizes follow the service minimums with room to scale:
 * Application Gateway v2 asks for a dedicated /24 to autoscale; API Management in a VNet needs at
 * least /27 (a /24 leaves room for Premium units); a workload-profiles Container Apps environment
 * needs at least /27 (a /23 holds the nodes of several profiles); private endpoints one /24; Azure
 * Firewall exactly the /26 its subnet needs (learn.microsoft.com/azure/firewall/firewall-faq: "Why
 * does Azure Firewall need a /26 subnet size?"). Carving goes largest first, so the /26 comes last and
 * turning the firewall on never moves another tier's subnet.
 */
export const subnetTiers = {
    edge: 24,
    gateway: 24,
    runtime: 23,
    privateEndpoints: 24,
    sandbox: 24,
    firewall: 26,
} as const;

export type SubnetTier = keyof typeof subnetTiers;

/** Tiers that exist only when their optional control is on. */
export type OptionalTier = "sandbox" | "firewall";

/** The subnets this stack needs: the sandbox tier only with dynamic sessions, the firewall's only with the egress firewall. */
export function subnetRequests(options: { sandbox: boolean; firewall?: boolean }): SubnetRequest[] {
    return (Object.keys(subnetTiers) as SubnetTier[])
        .filter((tier) => (tier !== "sandbox" || options.sandbox) && (tier !== "firewall" || options.firewall === true))
        .map((tier) => ({ name: tier, prefixLength: subnetTiers[tier] }));
}
