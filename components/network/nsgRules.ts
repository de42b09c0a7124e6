import type { SubnetTier } from "./layout";

/**
 * The security rules of each tier's NSG, as plain data (C10.3, A2). Every NSG ends with an
 * explicit DenyAllInbound at the lowest priority (4096), so Azure's default rules AllowVnetInBound
 * (65000) and AllowAzureLoadBalancerInBound (65001) never apply: each tier allows exactly what it
 * needs, by name, above the deny. Outbound stays on Azure's defaults; the explicit outbound allows
 * document what API Management depends on and keep working if an outbound deny is added later.
 */
export interface NsgRule {
    readonly name: string;
    readonly priority: number;
    readonly direction: "Inbound" | "Outbound";
    readonly access: "Allow" | "Deny";
    readonly protocol: "Tcp" | "Udp" | "*";
    readonly sourceAddressPrefix: string;
    readonly sourcePortRange: "*";
    readonly destinationAddressPrefix: string;
    readonly destinationPortRange?: string;
    readonly destinationPortRanges?: string[];
    readonly description: string;
}

/** The lowest priority Azure accepts for a custom rule; the deny-all sits there. */
export const denyAllPriority = 4096;

/** The carved CIDRs the rules refer to (sandbox only when dynamic sessions are on). */
export type TierCidrs = Record<Exclude<SubnetTier, "sandbox">, string> & { readonly sandbox?: string };

function allowIn(
    name: string,
    priority: number,
    protocol: NsgRule["protocol"],
    source: string,
    destination: string,
    ports: string | string[],
    description: string,
): NsgRule {
    return {
        name,
        priority,
        direction: "Inbound",
        access: "Allow",
        protocol,
        sourceAddressPrefix: source,
        sourcePortRange: "*",
        destinationAddressPrefix: destination,
        ...(Array.isArray(ports) ? { destinationPortRanges: ports } : { destinationPortRange: ports }),
        description,
    };
}

function allowOut(name: string, priority: number, destination: string, ports: string | string[], description: string): NsgRule {
    return {
        name,
        priority,
        direction: "Outbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefix: "VirtualNetwork",
        sourcePortRange: "*",
        destinationAddressPrefix: destination,
        ...(Array.isArray(ports) ? { destinationPortRanges: ports } : { destinationPortRange: ports }),
        description,
    };
}

export const denyAllInbound: NsgRule = {
    name: "DenyAllInbound",
    priority: denyAllPriority,
    direction: "Inbound",
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "*",
    description: "Deny by default: anything not allowed above is dropped (C10.3).",
};

/** The rules of one tier's NSG, deny-all last. */
export function securityRulesFor(tier: SubnetTier, cidrs: TierCidrs): NsgRule[] {
    const own = tier === "sandbox" ? cidrs.sandbox : cidrs[tier];
    if (!own) throw new Error(`securityRulesFor: tier ${tier} has no CIDR`);
    return [...tierRules(tier, own, cidrs), denyAllInbound];
}

function tierRules(tier: SubnetTier, own: string, cidrs: TierCidrs): NsgRule[] {
    switch (tier) {
        case "edge":
            // Application Gateway v2: the infrastructure ports must be open to GatewayManager and
            // health probes to AzureLoadBalancer, or the gateway cannot be provisioned. The listener
            // is the platform's only public entry (443); the destination stays `*` because the
            // public frontend's address is NATed to the instances and differs per deployment.
            return [
                allowIn("AllowGatewayManagerInbound", 100, "Tcp", "GatewayManager", "*", "65200-65535", "Application Gateway v2 infrastructure ports."),
                allowIn("AllowAzureLoadBalancerInbound", 110, "*", "AzureLoadBalancer", "*", "*", "Application Gateway health probes."),
                allowIn("AllowHttpsListenerInbound", 120, "Tcp", "Internet", "*", "443", "The HTTPS listener: the platform's only public entry (TLS 1.3 at the gateway)."),
            ];
        case "gateway":
            // API Management in internal VNet mode (stv2): management endpoint, the load balancer's
            // probe, instance-to-instance sync, and client traffic from the edge only.
            return [
                allowIn("AllowApiManagementInbound", 100, "Tcp", "ApiManagement", "VirtualNetwork", "3443", "API Management control plane (management endpoint)."),
                allowIn("AllowAzureLoadBalancerInbound", 110, "Tcp", "AzureLoadBalancer", "VirtualNetwork", "6390", "Azure infrastructure load balancer probe."),
                allowIn("AllowEdgeHttpsInbound", 120, "Tcp", cidrs.edge, own, "443", "Client traffic from the Application Gateway subnet only."),
                allowIn("AllowIntraSubnetInbound", 130, "*", own, own, ["4290", "6380-6383"], "Rate-limit counter sync (4290/udp) and internal cache (6380-6383) between instances."),
                allowOut("AllowStorageOutbound", 100, "Storage", "443", "API Management dependency on Azure Storage."),
                allowOut("AllowSqlOutbound", 110, "Sql", "1433", "API Management dependency on Azure SQL (configuration)."),
                allowOut("AllowKeyVaultOutbound", 120, "AzureKeyVault", "443", "Named values and certificates from Key Vault."),
                allowOut("AllowAzureMonitorOutbound", 130, "AzureMonitor", ["1886", "443"], "Diagnostics logs and metrics."),
            ];
        case "runtime":
            // Container Apps (workload profiles): only the gateway reaches the apps; the nodes of
            // the environment talk to each other, and the infrastructure load balancer probes them.
            return [
                allowIn("AllowGatewayHttpsInbound", 100, "Tcp", cidrs.gateway, own, "443", "MCP traffic from the API Management subnet only."),
                allowIn("AllowIntraSubnetInbound", 110, "*", own, own, "*", "Traffic between the environment's own nodes."),
                allowIn("AllowAzureLoadBalancerInbound", 120, "*", "AzureLoadBalancer", own, "*", "Health probes of the environment's internal load balancer."),
            ];
        case "privateEndpoints":
            // Private endpoints honour NSGs only with privateEndpointNetworkPolicies enabled on the
            // subnet (set by the component); the tiers that call PaaS services reach them on 443.
            return [
                allowIn("AllowGatewayToPrivateEndpoints", 100, "Tcp", cidrs.gateway, own, "443", "API Management to Key Vault and Content Safety."),
                allowIn("AllowRuntimeToPrivateEndpoints", 110, "Tcp", cidrs.runtime, own, "443", "Container Apps to Key Vault and the registry."),
                allowIn("AllowEdgeToPrivateEndpoints", 120, "Tcp", cidrs.edge, own, "443", "Application Gateway to Key Vault (listener certificate)."),
            ];
        case "sandbox":
            // Dynamic sessions: reached only from the runtime tier; egress is disabled on the pool.
            return [
                allowIn("AllowRuntimeToSandboxInbound", 100, "Tcp", cidrs.runtime, own, "443", "Session calls from the MCP servers only."),
                allowIn("AllowIntraSubnetInbound", 110, "*", own, own, "*", "Traffic between the sandbox's own nodes."),
                allowIn("AllowAzureLoadBalancerInbound", 120, "*", "AzureLoadBalancer", own, "*", "Health probes of the internal load balancer."),
            ];
    }
}
