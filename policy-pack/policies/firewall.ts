import type { PolicyResource } from "@pulumi/policy";
import type * as input from "@pulumi/azure-native/types/input";
import type { Inputs } from "../lib/inputs";
import { parse } from "tldts";
import { declaredProfile } from "../contract/declaration";
import { resourcePolicy, stackPolicy } from "../lib/policy";
import { isOpenPrefix } from "../lib/nsg";
import { dependsVia } from "../lib/references";
import { resourceTypes, diagnosticSettingTypes } from "../contract/resourceTypes";

/**
 * Egress firewall policies (C10.3, A2; MCP05, MCP06, MCP10), and the readers the network policies
 * share with them: which subnets are MCP tiers, and whether a subnet routes through the firewall. A
 * tool tricked into sending data out (prompt injection, a poisoned tool description) reaches nothing
 * outside the VNet unless its server declared the host and the egress firewall allows it. Type
 * tokens only; the pack never imports components/. Every reader decides what an absent value means,
 * and the answer is the unsafe one (fail closed).
 */
// ---------------------------------------------------------------------------------------------
// Readers shared with policies/network.ts and policies/edge.ts

/** Destinations that mean "the Internet": the open prefixes, plus AzureCloud (every Azure customer's public addresses). */
export function isInternetDestination(prefix: string): boolean {
    const p = prefix.trim().toLowerCase();
    return isOpenPrefix(p) || p === "azurecloud" || p.startsWith("azurecloud.");
}

/** Destination port ranges that mean every port. */
export const allPortRanges = new Set(["*", "0-65535", "1-65535"]);

const subnetsUsedBy = (resources: readonly PolicyResource[], type: string, property: string) => {
    const users = resources.filter((r) => r.type === type);
    return resources.filter((s) => s.type === resourceTypes.network.Subnet && users.some((u) => dependsVia(u, property, s)));
};

/** Subnets where MCP server or session code runs: those of a Container Apps environment. */
export function runtimeSubnets(resources: readonly PolicyResource[]): PolicyResource[] {
    return subnetsUsedBy(resources, resourceTypes.app.ManagedEnvironment, "vnetConfiguration");
}

/** Subnets API Management is injected into. */
export function gatewaySubnets(resources: readonly PolicyResource[]): PolicyResource[] {
    return subnetsUsedBy(resources, resourceTypes.apimanagement.ApiManagementService, "virtualNetworkConfiguration");
}

/** A route table's inline route; a separate Route resource carries the same fields. */
type RouteLike = Inputs<input.network.RouteArgs>;

function firewallPrivateIps(firewall: PolicyResource): string[] {
    // privateIPAddress is an output Azure assigns, so no input type has it; a known value comes from the offline plan or an update.
    return ((firewall.props.ipConfigurations ?? []) as { privateIPAddress?: unknown }[])
        .map((c) => c.privateIPAddress)
        .filter((ip): ip is string => typeof ip === "string");
}

/**
 * Whether the subnet sends 0.0.0.0/0 to an Azure Firewall of this stack: its route table (inline
 * routes or separate Route resources) has a default route to a VirtualAppliance whose address was
 * computed from the firewall. When both addresses are known (the offline plan, an update), they must match.
 */
export function routesToFirewall(subnet: PolicyResource, resources: readonly PolicyResource[]): boolean {
    const firewalls = resources.filter((r) => r.type === resourceTypes.network.AzureFirewall);
    const tables = resources.filter((r) => r.type === resourceTypes.network.RouteTable && dependsVia(subnet, "routeTable", r));
    const isDefaultToAppliance = (route: RouteLike) =>
        route.addressPrefix?.trim() === "0.0.0.0/0" && (route.nextHopType ?? "").toLowerCase() === "virtualappliance";
    const matches = (route: RouteLike, firewall: PolicyResource) =>
        typeof route.nextHopIpAddress !== "string" || firewallPrivateIps(firewall).length === 0 || firewallPrivateIps(firewall).includes(route.nextHopIpAddress);
    return tables.some((table) => {
        const inline = ((table.props.routes ?? []) as RouteLike[]).filter(isDefaultToAppliance);
        if (inline.some((route) => firewalls.some((f) => dependsVia(table, "routes", f) && matches(route, f)))) return true;
        return resources.some(
            (r) =>
                r.type === resourceTypes.network.Route &&
                dependsVia(r, "routeTableName", table) &&
                isDefaultToAppliance(r.props as RouteLike) &&
                firewalls.some((f) => dependsVia(r, "nextHopIpAddress", f) && matches(r.props as RouteLike, f)),
        );
    });
}

// ---------------------------------------------------------------------------------------------
// Firewall rules: exact hosts only, no allow-all

/**
 * An allow rule as the checks read it: the fields of a policy's application and network rules in one
 * shape (a classic firewall's rules are a subset of them), with ruleType open because classic rules
 * get theirs from the collection they sit in.
 */
type ApplicationRuleLike = Inputs<Omit<input.network.ApplicationRuleArgs, "ruleType"> & Omit<input.network.NetworkRuleArgs, "ruleType">> & { ruleType?: string };

/** Why an allowed host is too broad, or undefined when it names exactly one registrable host. */
function broadTargetReason(target: string): string | undefined {
    if (target.includes("*")) return "a wildcard";
    const host = target.split("/")[0].split(":")[0].trim().toLowerCase();
    const parsed = parse(host, { allowPrivateDomains: true });
    if (parsed.isIp) return undefined; // an address is exact; network rules judge ranges below
    if (parsed.domain === null || (parsed.isIcann !== true && parsed.isPrivate !== true)) return "not a host under a public suffix";
    return undefined;
}

function ruleProblems(rule: ApplicationRuleLike): string[] {
    const problems: string[] = [];
    const isNetwork = rule.ruleType === "NetworkRule" || (rule.ruleType === undefined && (rule.destinationAddresses !== undefined || rule.destinationPorts !== undefined));
    const label = `rule ${rule.name ?? "(unnamed)"}`;
    for (const target of [...(rule.targetFqdns ?? []), ...(rule.targetUrls ?? []), ...(rule.destinationFqdns ?? [])]) {
        const reason = broadTargetReason(String(target));
        if (reason) problems.push(`${label} allows ${JSON.stringify(target)} (${reason}); name exact hosts`);
    }
    if ((rule.webCategories ?? []).length > 0) problems.push(`${label} allows web categories (${rule.webCategories!.join(", ")}); name exact hosts`);
    if (isNetwork) {
        const open = (rule.destinationAddresses ?? []).filter(isInternetDestination);
        if (open.length > 0) problems.push(`${label} is an allow-all network rule (destination ${open.join(", ")})`);
        if ((rule.destinationAddresses ?? []).length === 0 && (rule.destinationFqdns ?? []).length === 0 && (rule.destinationIpGroups ?? []).length === 0) {
            problems.push(`${label} names no destination (read as any)`);
        }
        const ports = rule.destinationPorts ?? [];
        if (ports.length === 0 || ports.some((p) => allPortRanges.has(String(p).trim()))) problems.push(`${label} allows every port`);
    }
    return problems;
}

/** A rule collection group's filter or NAT collection; the rules read as ApplicationRuleLike. */
type RuleCollectionLike = Omit<Inputs<input.network.FirewallPolicyFilterRuleCollectionArgs | input.network.FirewallPolicyNatRuleCollectionArgs>, "rules"> & { rules?: ApplicationRuleLike[] };

/** A classic firewall's application or network rule collection (a firewall without a policy). */
type ClassicRuleCollectionLike = Omit<Inputs<input.network.AzureFirewallApplicationRuleCollectionArgs | input.network.AzureFirewallNetworkRuleCollectionArgs>, "rules"> & {
    rules?: ApplicationRuleLike[];
};

/** Allow collections of a rule collection group (policy) or classic rule collections (a firewall without policy). */
function allowedRules(type: string, props: Record<string, any>): { collection: string; rule: ApplicationRuleLike }[] {
    if (type === resourceTypes.network.FirewallPolicyRuleCollectionGroup) {
        return ((props.ruleCollections ?? []) as RuleCollectionLike[])
            .filter((c) => c.ruleCollectionType !== "FirewallPolicyNatRuleCollection" && (c.action?.type ?? "Allow").toLowerCase() === "allow")
            .flatMap((c) => (c.rules ?? []).map((rule) => ({ collection: c.name ?? "(unnamed)", rule })));
    }
    const classic = (key: string, ruleType: string) =>
        ((props[key] ?? []) as ClassicRuleCollectionLike[])
            .filter((c) => (c.action?.type ?? "Allow").toLowerCase() === "allow")
            .flatMap((c) => (c.rules ?? []).map((rule) => ({ collection: c.name ?? "(unnamed)", rule: { ruleType, ...rule } })));
    return [...classic("applicationRuleCollections", "ApplicationRule"), ...classic("networkRuleCollections", "NetworkRule")];
}

export const azureFirewallRulesDisallowWildcardTargets = resourcePolicy({
    name: "azure-firewall-rules-disallow-wildcard-targets",
    description:
        "Azure Firewall allow rules name exact hosts: no application rule target with a wildcard (*, *.com) or that is a bare " +
        "public suffix, no web categories, and no network rule to Internet, *, 0.0.0.0/0 or AzureCloud, to no destination, or on every port.",
    controls: ["C10.3", "A2"],
    component: "firewall",
    severity: "critical",
    remediationSteps:
        "Declare each host a server calls in servers[].egress (exact names, validated by stacks/schema.ts); components/firewall " +
        "turns them into one application rule collection per server. Platform dependencies use service tags on port 443.",
    appliesTo: [resourceTypes.network.FirewallPolicyRuleCollectionGroup, resourceTypes.network.AzureFirewall],
    validate: (props, args, must) => {
        for (const { collection, rule } of allowedRules(args.type, props)) {
            for (const problem of ruleProblems(rule)) must(`allow only exact hosts (collection ${collection}: ${problem})`);
        }
    },
});

// ---------------------------------------------------------------------------------------------
// Threat intelligence in Deny mode (prod)

export const azureFirewallPolicyEnforceThreatIntelDeny = stackPolicy({
    name: "azure-firewall-policy-enforce-threat-intel-deny",
    description:
        "Azure Firewall policies (and firewalls without one) block known-malicious addresses and domains: threatIntelMode Deny " +
        "in the prod profile or when no profile is declared; at least Alert elsewhere. An absent mode is Azure's default, Alert.",
    controls: ["C10.3", "A2"],
    component: "firewall",
    remediationSteps:
        "Set threatIntelMode to Deny on the firewall policy (components/firewall does). Alert only logs a call to a " +
        "command-and-control host that a compromised tool already made.",
    validate: (resources, _args, must) => {
        const profile = declaredProfile(resources);
        const strict = profile !== "dev";
        const judged = [
            ...resources.filter((r) => r.type === resourceTypes.network.FirewallPolicy),
            ...resources.filter((r) => r.type === resourceTypes.network.AzureFirewall && !r.props.firewallPolicy),
        ];
        for (const resource of judged) {
            const mode = String(resource.props.threatIntelMode ?? "Alert");
            if (strict && mode !== "Deny") {
                must(resource, `deny known-malicious destinations (threatIntelMode Deny, got ${mode}) in the ${profile ?? "unknown (treated as prod)"} profile`);
            } else if (!strict && mode === "Off") {
                must(resource, "keep threat intelligence on (threatIntelMode Alert or Deny, got Off)");
            }
        }
    },
});

// ---------------------------------------------------------------------------------------------
// Diagnostics: the firewall's rule logs reach the workspace in resource-specific tables

/** Log categories the egress detections query (AZFWApplicationRule, AZFWNetworkRule: Learn's resource-specific tables). */
const requiredFirewallLogCategories = ["AZFWApplicationRule", "AZFWNetworkRule"] as const;

function sendsFirewallLogs(setting: PolicyResource): boolean {
    const logs = (setting.props.logs ?? []) as Inputs<input.monitor.DiagnosticsLogSettingsArgs>[];
    const enabled = logs.filter((l) => l.enabled === true);
    if (enabled.some((l) => l.categoryGroup === "allLogs")) return true;
    return requiredFirewallLogCategories.every((c) => enabled.some((l) => l.category === c));
}

export const azureFirewallMissingDiagnosticSetting = stackPolicy({
    name: "azure-firewall-missing-diagnostic-setting",
    description:
        "Every Azure Firewall has a diagnostic setting that sends its rule logs (allLogs, or at least AZFWApplicationRule and " +
        "AZFWNetworkRule) to a Log Analytics workspace of the stack in resource-specific tables (logAnalyticsDestinationType Dedicated).",
    controls: ["C10.3", "C5.1"],
    component: "firewall",
    remediationSteps:
        "Call createDiagnosticSetting(parent, name, firewall.id, monitoring.diagnostics) (components/firewall does): " +
        "denied egress is the signal of a compromised tool, and it is only seen if the firewall's logs reach Sentinel.",
    validate: (resources, _args, must) => {
        const workspaces = resources.filter((r) => r.type === resourceTypes.operationalinsights.Workspace);
        const settings = resources.filter((r) => (diagnosticSettingTypes as readonly string[]).includes(r.type));
        for (const firewall of resources.filter((r) => r.type === resourceTypes.network.AzureFirewall)) {
            const covering = settings.filter((s) => dependsVia(s, "resourceUri", firewall));
            if (covering.length === 0) {
                must(firewall, "send its rule logs to the platform workspace through a diagnostic setting");
                continue;
            }
            const good = covering.filter(
                (s) => workspaces.some((w) => dependsVia(s, "workspaceId", w)) && s.props.logAnalyticsDestinationType === "Dedicated" && sendsFirewallLogs(s),
            );
            if (good.length === 0) {
                must(
                    firewall,
                    `have a diagnostic setting to a workspace of this stack with logs ${requiredFirewallLogCategories.join(" and ")} (or allLogs) ` +
                        "in resource-specific tables (logAnalyticsDestinationType Dedicated)",
                );
            }
        }
    },
});

// ---------------------------------------------------------------------------------------------
// The egress firewall's public address (used by azure-network-publicipaddress-disallow-outside-edge)

/**
 * A public IP that only the egress firewall uses for SNAT: referenced by an Azure Firewall's IP
 * configuration, with no DNAT anywhere (no NAT rule collection in the stack's rule collection
 * groups, no classic NAT collections), so nothing can enter through it.
 */
export function isEgressFirewallAddress(ip: PolicyResource, resources: readonly PolicyResource[]): boolean {
    const firewalls = resources.filter((r) => r.type === resourceTypes.network.AzureFirewall && dependsVia(r, "ipConfigurations", ip));
    if (firewalls.length === 0) return false;
    if (firewalls.some((f) => ((f.props.natRuleCollections ?? []) as unknown[]).length > 0)) return false;
    return !resources.some(
        (r) =>
            r.type === resourceTypes.network.FirewallPolicyRuleCollectionGroup &&
            ((r.props.ruleCollections ?? []) as RuleCollectionLike[]).some((c) => c.ruleCollectionType === "FirewallPolicyNatRuleCollection"),
    );
}

