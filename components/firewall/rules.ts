import type * as inputs from "@pulumi/azure-native/types/input";

/**
 * The egress firewall's rules as plain data (C10.3, A2): what the Container Apps platform itself
 * needs, and one application rule collection per MCP server that declares egress.
 *
 * Container Apps share their environment's addresses: every app of an environment leaves from the
 * same subnet, so a firewall rule cannot tell two servers apart. Each server's rules are therefore
 * the union enforced for the whole environment (the runtime subnet as source), and each server's
 * own list stays visible in its collection's name (`server-<name>`) and its rules' descriptions,
 * so a review sees who asked for which host.
 */

/** One destination a server may call. */
export interface EgressDestination {
    readonly host: string;
    readonly port: number;
}

/** A server and the destinations it declared (`servers[].egress`). */
export interface ServerEgress {
    readonly name: string;
    readonly egress: readonly EgressDestination[];
}

/** Priority of the platform's rule collection group; servers' groups come after it. */
export const platformGroupPriority = 100;
export const serversGroupPriority = 200;

/**
 * Service tags the Container Apps environment needs through a firewall, as network rules (Learn lets
 * either these or the equivalent application rules be used): learn.microsoft.com/azure/container-apps/use-azure-firewall
 * ("Network rules": MicrosoftContainerRegistry and AzureFrontDoorFirstParty in all scenarios,
 * AzureActiveDirectory for managed identity) and learn.microsoft.com/azure/container-apps/firewall-integration
 * (AzureMonitor 443). Key Vault and the registry are reached through private endpoints inside the
 * VNet, so they never pass the firewall.
 */
export const platformServiceTags = ["AzureMonitor", "MicrosoftContainerRegistry", "AzureFrontDoor.FirstParty", "AzureActiveDirectory"] as const;

/**
 * FQDNs the environment's nodes fetch from in every scenario, per learn.microsoft.com/azure/container-apps/use-azure-firewall
 * ("Application rules", All scenarios). MCR's FQDNs are covered by the service tags above instead.
 */
const platformFqdns = ["packages.aks.azure.com", "acs-mirror.azureedge.net"] as const;

/** The platform's rule collections: one network collection (service tags) and one application collection. */
export function platformRuleCollections(sourceCidrs: readonly string[]): inputs.network.FirewallPolicyFilterRuleCollectionArgs[] {
    return [
        {
            ruleCollectionType: "FirewallPolicyFilterRuleCollection",
            name: "platform-container-apps-tags",
            priority: 100,
            action: { type: "Allow" },
            rules: platformServiceTags.map((tag) => ({
                ruleType: "NetworkRule" as const,
                name: `platform-${tag.toLowerCase().replace(/\./g, "-")}`,
                description: `Container Apps platform dependency (${tag}, TCP 443); learn.microsoft.com/azure/container-apps/use-azure-firewall`,
                ipProtocols: ["TCP"],
                sourceAddresses: [...sourceCidrs],
                destinationAddresses: [tag],
                destinationPorts: ["443"],
            })),
        },
        {
            ruleCollectionType: "FirewallPolicyFilterRuleCollection",
            name: "platform-container-apps-fqdns",
            priority: 110,
            action: { type: "Allow" },
            rules: [
                {
                    ruleType: "ApplicationRule",
                    name: "platform-node-packages",
                    description: "Container Apps node packages (all scenarios); learn.microsoft.com/azure/container-apps/use-azure-firewall",
                    sourceAddresses: [...sourceCidrs],
                    protocols: [{ protocolType: "Https", port: 443 }],
                    targetFqdns: [...platformFqdns],
                },
            ],
        },
    ];
}

/**
 * One application rule collection per server with egress, in config order, one rule per port (an
 * application rule's protocols apply to all its FQDNs, so mixing ports in one rule would allow every
 * host on every port). Servers without egress get no collection.
 */
export function serverRuleCollections(
    servers: readonly ServerEgress[],
    sourceCidrs: readonly string[],
): inputs.network.FirewallPolicyFilterRuleCollectionArgs[] {
    return servers
        .filter((server) => server.egress.length > 0)
        .map((server, i) => {
            const byPort = groupByPort(server.egress);
            return {
                ruleCollectionType: "FirewallPolicyFilterRuleCollection" as const,
                name: `server-${server.name}`,
                priority: 100 + i * 10,
                action: { type: "Allow" },
                rules: [...byPort.entries()].map(([port, hosts]) => ({
                    ruleType: "ApplicationRule" as const,
                    name: `${server.name}-egress-${port}`,
                    // Who asked comes first, so a long host list is what gets cut (the rule's targetFqdns hold every host).
                    description: truncate(`Declared by MCP server ${server.name} (servers[].egress), allowed for its whole environment: ${hosts.join(", ")} on ${port}`, 140),
                    sourceAddresses: [...sourceCidrs],
                    protocols: [{ protocolType: port === 80 ? "Http" : "Https", port }],
                    targetFqdns: hosts,
                })),
            };
        });
}

/** The TCP ports any server declared, plus 443 for the platform's FQDNs; sorted, unique. */
export function egressPorts(servers: readonly ServerEgress[]): number[] {
    return [...new Set([443, ...servers.flatMap((s) => s.egress.map((d) => d.port))])].sort((a, b) => a - b);
}

function groupByPort(destinations: readonly EgressDestination[]): Map<number, string[]> {
    const byPort = new Map<number, string[]>();
    for (const { host, port } of destinations) {
        const hosts = byPort.get(port) ?? [];
        if (!hosts.includes(host)) hosts.push(host);
        byPort.set(port, hosts);
    }
    return new Map([...byPort.entries()].sort(([a], [b]) => a - b));
}

function truncate(text: string, max: number): string {
    return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
