import type { SubnetTier } from "../network/layout";
import type { ResourceKind } from "../shared/naming";
import type { McpPlatformConfig } from "./config";

/**
 * Every name the platform composes for a stack, with the config key that produced its qualifier:
 * what the pre-flight checks against Azure's rules before a resource is registered. A test
 * (test/stacks/preflight.test.ts) compares this list with the names the dev and prod plans
 * actually register, so a component that starts naming something new cannot slip past it.
 */
export interface PlannedName {
    readonly kind: ResourceKind;
    readonly qualifier?: string;
    /** The config key whose value is (part of) the qualifier; the stack's own keys for fixed names. */
    readonly key: string;
}

/** Qualifiers the platform itself uses for managed identities; a server named like one would collide. */
export const platformIdentityQualifiers = ["apim", "agw", "registry-cmk", "flowlogs", "sandbox"] as const;

export function plannedNames(config: McpPlatformConfig): PlannedName[] {
    const stackKey = `${config.project}:workload`;
    const fixed = (kind: ResourceKind, qualifier?: string): PlannedName => ({ kind, qualifier, key: stackKey });
    const { features } = config;
    // The firewall's subnet has Azure's fixed name (AzureFirewallSubnet) and no NSG.
    const tiers = (Object.keys(config.subnets) as SubnetTier[]).filter((t) => config.subnets[t] !== undefined && t !== "firewall");
    const names: PlannedName[] = [
        fixed("resourceGroup"),
        fixed("logAnalytics"),
        fixed("virtualNetwork"),
        fixed("virtualNetworkLink"),
        ...tiers.flatMap((tier) => [fixed("subnet", tier), fixed("networkSecurityGroup", tier)]),
        fixed("keyVault"),
        fixed("privateEndpoint", "kv-vault"),
        fixed("containerRegistry"),
        fixed("privateEndpoint", "cr-registry"),
        fixed("managedIdentity", "registry-cmk"),
        fixed("containerAppsEnvironment"),
        fixed("contentSafety"),
        fixed("privateEndpoint", "cs-account"),
        fixed("apiManagement"),
        fixed("managedIdentity", "apim"),
        fixed("appGateway"),
        fixed("publicIp", "agw"),
        fixed("wafPolicy"),
        fixed("managedIdentity", "agw"),
        fixed("entraGroup", "admins"),
    ];
    if (features.ddosProtection) names.push(fixed("ddosPlan"));
    if (features.egressFirewall) names.push(fixed("azureFirewall"), fixed("firewallPolicy"), fixed("publicIp", "firewall"), fixed("routeTable", "egress"));
    if (features.vnetFlowLogs) names.push(fixed("flowLog", "vnet"), fixed("storageAccount", "flowlogs"), fixed("managedIdentity", "flowlogs"));
    if (features.managedHsm) names.push(fixed("managedHsm"), fixed("privateEndpoint", "hsm-managedhsm"));
    if (features.dynamicSessions) names.push(fixed("containerAppsEnvironment", "sandbox"), fixed("sessionPool"), fixed("managedIdentity", "sandbox"));
    if (features.conditionalAccess) names.push(fixed("conditionalAccessPolicy", "admins-mfa"), fixed("conditionalAccessPolicy", "mcp-apis-mfa"));
    config.servers.forEach((server, i) => {
        const key = `${config.project}:servers[${i}].name`;
        names.push(
            { kind: "containerApp", qualifier: server.name, key },
            { kind: "managedIdentity", qualifier: server.name, key },
            { kind: "entraApplication", qualifier: `${server.name}-api`, key },
            { kind: "entraApplication", qualifier: `${server.name}-backend`, key },
        );
    });
    config.clientApps.forEach((client, i) => {
        names.push({ kind: "entraApplication", qualifier: `${client.name}-client`, key: `${config.project}:clientApps[${i}].name` });
    });
    return names;
}
