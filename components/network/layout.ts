import { SubnetRequest } from "./cidr";

/**
 * The tiers of the VNet and their sizes. Sizes follow the service minimums with room to scale:
 * Application Gateway v2 asks for a dedicated /24 to autoscale; API Management in a VNet needs at
 * least /27 (a /24 leaves room for Premium units); a workload-profiles Container Apps environment
 * needs at least /27 (a /23 holds the nodes of several profiles); private endpoints one /24.
 */
export const subnetTiers = {
    edge: 24,
    gateway: 24,
    runtime: 23,
    privateEndpoints: 24,
    sandbox: 24,
} as const;

export type SubnetTier = keyof typeof subnetTiers;

/** The subnets this stack needs: the sandbox tier only when dynamic sessions are on. */
export function subnetRequests(options: { sandbox: boolean }): SubnetRequest[] {
    return (Object.keys(subnetTiers) as SubnetTier[])
        .filter((tier) => tier !== "sandbox" || options.sandbox)
        .map((tier) => ({ name: tier, prefixLength: subnetTiers[tier] }));
}
