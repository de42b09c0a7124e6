import { requiredEgressDetection } from "../../../policy-pack/contract/detections";
import { AlertSeverity, AttackTactic, EntityMappingType } from "@pulumi/azure-native/types/enums/securityinsights";
import { tableRule } from "./builder";
import { kqlString, server } from "./entities";
import { AnalyticsRule, RuleContext } from "./types";

/**
 * Denied egress from the MCP runtime (C10.3, A2): the egress firewall (components/firewall) allows
 * only what servers declare in `servers[].egress`, and logs every denial to the resource-specific
 * tables AZFWApplicationRule (HTTP/S by FQDN) and AZFWNetworkRule (other traffic by address).
 *
 * Container Apps share their environment's addresses, so the firewall cannot tell which app sent a
 * flow. The rule therefore maps each denied destination to every server of the environment that
 * did NOT declare it (host and port): those are the candidates whose tools tried to reach an
 * undeclared host; a server that declared the destination on that port is ruled out.
 */
export const egressDetectionId = requiredEgressDetection;

export function egressDenied(context: RuleContext): AnalyticsRule {
    const cidrs = context.egressFirewall?.runtimeCidrs ?? [];
    const names = context.servers.map((s) => kqlString(s.name)).join(", ");
    const declared = context.servers
        .flatMap((s) => (s.egress ?? []).map((d) => `${kqlString(s.name)}, ${kqlString(d.host.toLowerCase())}, ${d.port}`))
        .join(", ");
    return tableRule({
        id: egressDetectionId,
        title: "MCP runtime tried to reach a destination no server declared",
        description:
            "The egress firewall denied traffic from the MCP runtime subnet to a host or address that the calling " +
            "server did not declare in servers[].egress: a poisoned tool description or a prompt injection making a " +
            "tool send data out, a compromised server image, or an undeclared dependency (C10.3, A2). Servers share " +
            "their environment's address, so the alert names each server of the environment that did not declare the " +
            "destination.",
        controls: ["C10.3", "A2", "C5.2"],
        severity: AlertSeverity.Medium,
        tactics: [AttackTactic.Exfiltration, AttackTactic.CommandAndControl],
        techniques: ["T1567", "T1071"],
        tables: ["AZFWApplicationRule", "AZFWNetworkRule"],
        lets: [
            `let runtimeSubnets = dynamic([${cidrs.map(kqlString).join(", ")}]);`,
            `let environmentServers = dynamic([${names}]);`,
            `let declaredEgress = datatable(Server: string, Host: string, Port: int) [${declared}];`,
        ],
        stages: [
            '| where Action == "Deny" and ipv4_is_in_any_range(SourceIp, runtimeSubnets)',
            // Application rule rows carry the FQDN, network rule rows the address.
            "| extend DestinationHost = tolower(Fqdn), DestinationAddress = iff(isempty(Fqdn), DestinationIp, \"\")",
            "| summarize Attempts = count(), Sources = make_set(SourceIp, 10), Protocols = make_set(Protocol, 5), FirstSeen = min(TimeGenerated), " +
                "LastSeen = max(TimeGenerated) by DestinationHost, DestinationAddress, DestinationPort",
            "| extend Destination = coalesce(DestinationHost, DestinationAddress), Server = environmentServers",
            "| mv-expand Server to typeof(string)",
            "| join kind=leftanti declaredEgress on Server, $left.Destination == $right.Host, $left.DestinationPort == $right.Port",
        ],
        frequency: "PT10M",
        grouping: {
            window: "PT12H",
            by: [EntityMappingType.DNS, EntityMappingType.IP],
            why: "One destination is one investigation whichever candidate server is named: alerts for the same destination fold into one incident for half a day.",
        },
        entities: [
            server,
            { type: EntityMappingType.DNS, fields: { DomainName: "DestinationHost" } },
            { type: EntityMappingType.IP, fields: { Address: "DestinationAddress" } },
        ],
        customDetails: { Server: "Server", Destination: "Destination", Port: "DestinationPort", Attempts: "Attempts" },
    });
}
