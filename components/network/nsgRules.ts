import type { SubnetTier } from "./layout";

/**
 * The security rules of each tier's NSG, as plain data (C10.3, A2). Every NSG ends with an
 * explicit DenyAllInbound at the lowest priority (4096), so Azure's default rules AllowVnetInBound
 * (65000) and AllowAzureLoadBalancerInBound (65001) never apply: each tier allows exactly what it
 * needs, by name, above the deny.
 *
 * Outbound, every MCP tier (gateway, runtime, sandbox, private endpoints) ends with DenyInternetOutbound
 * at 4096, after explicit allows of what the tier itself needs, each citing the Microsoft Learn page it
 * comes from, so Azure's default AllowInternetOutBound (65001) never applies: a tool that is tricked
 * into sending data out (MCP05, MCP06, MCP10) reaches nothing outside the VNet unless the server
 * declared the host and the egress firewall allows it. Traffic inside the VNet keeps Azure's default
 * AllowVnetOutBound; the receiving tier's inbound rules decide. The edge is the exception Learn
 * imposes: Application Gateway v2 must keep outbound Internet connectivity.
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

/** The carved CIDRs the rules refer to (sandbox only with dynamic sessions, firewall only with the egress firewall). */
export type TierCidrs = Record<Exclude<SubnetTier, "sandbox" | "firewall">, string> & { readonly sandbox?: string; readonly firewall?: string };

/** Tiers whose subnet carries an NSG (Azure rejects an NSG on AzureFirewallSubnet). */
export type NsgTier = Exclude<SubnetTier, "firewall">;

export interface SecurityRuleOptions {
    /**
     * TCP ports the runtime tiers may send to the Internet because their route table sends 0.0.0.0/0
     * to the egress firewall, which allows only the platform's dependencies and each server's declared
     * hosts. Defaults to none: without the firewall, Internet outbound is denied outright.
     */
    readonly internetViaFirewallPorts?: readonly number[];
}

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

function allowOut(
    name: string,
    priority: number,
    destination: string,
    ports: string | string[],
    description: string,
    protocol: NsgRule["protocol"] = "Tcp",
): NsgRule {
    return {
        name,
        priority,
        direction: "Outbound",
        access: "Allow",
        protocol,
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

export const denyInternetOutbound: NsgRule = {
    name: "DenyInternetOutbound",
    priority: denyAllPriority,
    direction: "Outbound",
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "Internet",
    destinationPortRange: "*",
    description: "Deny by default: nothing leaves for the Internet unless allowed above (C10.3, A2).",
};

/** Tiers whose outbound ends with DenyInternetOutbound: every MCP tier except the edge (see outboundRules). */
function deniesInternetOutbound(tier: NsgTier): boolean {
    return tier !== "edge";
}

/** The rules of one tier's NSG: inbound allows, DenyAllInbound, outbound allows, DenyInternetOutbound. */
export function securityRulesFor(tier: NsgTier, cidrs: TierCidrs, options: SecurityRuleOptions = {}): NsgRule[] {
    const own = tier === "sandbox" ? cidrs.sandbox : cidrs[tier];
    if (!own) throw new Error(`securityRulesFor: tier ${tier} has no CIDR`);
    const outbound = outboundRules(tier, options);
    return [...inboundRules(tier, own, cidrs), denyAllInbound, ...outbound, ...(deniesInternetOutbound(tier) ? [denyInternetOutbound] : [])];
}

/**
 * Azure Firewall denies what no rule allows, but an NSG judges a packet by its final destination,
 * not by the next hop: the runtime tiers' NSG must therefore let through the ports the firewall
 * filters, or declared egress would be dropped before it reaches the firewall. Only with the route.
 */
function viaFirewall(ports: readonly number[] | undefined): NsgRule[] {
    if (!ports || ports.length === 0) return [];
    return [
        allowOut(
            "AllowInternetViaFirewallOutbound",
            200,
            "Internet",
            ports.map(String),
            "Only through the egress firewall (route 0.0.0.0/0 to it): declared hosts and platform dependencies, nothing else.",
        ),
    ];
}

function outboundRules(tier: NsgTier, options: SecurityRuleOptions): NsgRule[] {
    switch (tier) {
        case "edge":
            // learn.microsoft.com/azure/application-gateway/configuration-infrastructure#network-security-groups:
            // "Outbound Internet connectivity can't be blocked ... Don't create other outbound rules that deny
            // any outbound connectivity." The edge keeps Azure's default outbound rules; it runs no tool code.
            return [];
        case "gateway":
            // API Management (classic tiers) in internal VNet mode, the required rows of
            // learn.microsoft.com/azure/api-management/virtual-network-reference#required-ports.
            // Not taken: the page's "Internal infrastructure and diagnostics" list (NTP UDP 123, TCP 12000,
            // Windows Update and internal diagnostics on Internet 443), which would reopen exactly the path
            // this deny closes; Learn marks the table's bold rows, all kept here, as what deployment and
            // operation need. DNS (port 53) goes to Azure DNS at 168.63.129.16, which NSGs never filter.
            return [
                // Bold (required) in the Learn table: CRL and OCSP checks of Microsoft- and customer-managed certificates.
                allowOut("AllowCertificateValidationOutbound", 100, "Internet", "80", "Certificate validation (CRL, OCSP): required by API Management."),
                allowOut("AllowStorageOutbound", 110, "Storage", "443", "API Management dependency on Azure Storage."),
                allowOut("AllowSqlOutbound", 120, "Sql", "1433", "API Management dependency on Azure SQL (configuration)."),
                allowOut("AllowKeyVaultOutbound", 130, "AzureKeyVault", "443", "Named values and certificates from Key Vault."),
                allowOut("AllowAzureMonitorOutbound", 140, "AzureMonitor", ["1886", "443"], "Diagnostics logs and metrics."),
                // validate-azure-ad-token fetches the tenant's OpenID configuration and signing keys from
                // login.microsoftonline.com (virtual-network-reference#microsoft-entra-integration); the
                // AzureActiveDirectory tag covers it, and the managed identity's token requests.
                allowOut("AllowEntraIdOutbound", 150, "AzureActiveDirectory", "443", "Entra ID: token signing keys (validate-azure-ad-token) and managed identity."),
            ];
        case "runtime":
        case "sandbox":
            // Workload-profiles environment in a custom VNet, learn.microsoft.com/azure/container-apps/firewall-integration
            // (Outbound, workload profiles). Two rows of that table are deliberately not taken: `AzureCloud:443`
            // (every Azure customer's public addresses: an exfiltration path to any Azure-hosted host) and
            // NTP `UDP 123 → *` (a channel to any host). Learn's Considerations also warn that deny rules above
            // 65000 may interrupt the service: docs/egress.md records this trade-off to verify on a real
            // deployment. With the egress firewall on, the FQDN-based dependencies pass through it instead
            // (components/firewall/rules.ts).
            return [
                allowOut("AllowAzureMonitorOutbound", 100, "AzureMonitor", "443", "Container Apps: outbound calls to Azure Monitor."),
                allowOut("AllowMicrosoftContainerRegistryOutbound", 110, "MicrosoftContainerRegistry", "443", "Container Apps: Microsoft Container Registry (platform images)."),
                allowOut("AllowAzureFrontDoorFirstPartyOutbound", 120, "AzureFrontDoor.FirstParty", "443", "Container Apps: dependency of the MicrosoftContainerRegistry tag."),
                // learn.microsoft.com/azure/container-apps/use-azure-firewall (Network rules, Managed Identity): AzureActiveDirectory.
                allowOut("AllowEntraIdOutbound", 130, "AzureActiveDirectory", "443", "Managed identity tokens (Key Vault references, registry pulls)."),
                ...viaFirewall(options.internetViaFirewallPorts),
            ];
        case "privateEndpoints":
            // No compute lives here: nothing of this tier starts a connection to the Internet.
            return [];
    }
}

function inboundRules(tier: NsgTier, own: string, cidrs: TierCidrs): NsgRule[] {
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
