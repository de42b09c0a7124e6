import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import { controlsOf, featureNames } from "../../policy-pack/contract/features";
import type { PlatformDeclaration } from "../../policy-pack/contract/declaration";
import type { McpPlatformConfig } from "./config";
import { createNaming, Naming, resourceName } from "../shared/naming";
import { platformTags } from "../shared/tags";
import { PlacementArgs } from "../shared/inputs";
import { McpMonitoring } from "../monitoring";
import { McpRegistry } from "../registry";
import { McpNetwork } from "../network";
import { McpKeyVault } from "../keyvault";
import { McpIdentity } from "../identity";
import { McpRuntime } from "../runtime";
import { McpWorkload } from "../workload";
import { McpContentSafety } from "../safety";
import { McpEdge } from "../edge";
import { wafBodyLimitKbFor } from "../edge/settings";
import { McpGateway } from "../gateway";
import { builtInRoles } from "../shared/roles";

export interface McpPlatformArgs {
    /** The validated, profile-resolved config (`stacks/config.ts` builds it from a stack's config). */
    readonly config: McpPlatformConfig;
}

/**
 * The whole platform for one stack: composes every component and wires their outputs together.
 * Its registered inputs declare the profile and which optional controls are on (and why not), so
 * the policy pack can enforce an optional control exactly when the stack turned it on.
 */
export class McpPlatform extends pulumi.ComponentResource {
    public readonly resourceGroupName: pulumi.Output<string>;
    public readonly naming: Naming;
    /** The public address to point `edge.hostname`'s DNS record at. */
    public readonly edgePublicIp: pulumi.Output<string>;
    /** Each MCP server's endpoint as clients configure it: `https://<edge.hostname>/mcp/<server>`. */
    public readonly mcpEndpoints: Record<string, string>;
    public readonly gatewayHostname: pulumi.Output<string>;
    public readonly vaultName: pulumi.Output<string>;
    public readonly registryLoginServer: pulumi.Output<string>;
    public readonly workspaceId: pulumi.Output<string>;

    constructor(name: string, args: McpPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        const { config } = args;
        super("mcp:platform:McpPlatform", name, platformDeclaration(config), opts);

        this.naming = createNaming(config);
        const tags = platformTags({
            workload: config.workload,
            environment: config.stack,
            dataClassification: config.dataClassification,
            owner: config.owner,
        });
        const clientConfig = authorization.getClientConfigOutput({ parent: this });

        const resourceGroup = new resources.ResourceGroup(
            `${name}-rg`,
            { resourceGroupName: resourceName(this.naming, "resourceGroup"), location: config.location, tags },
            { parent: this },
        );
        const placement: PlacementArgs = {
            resourceGroupName: resourceGroup.name,
            location: config.location,
            tags,
            naming: this.naming,
            subscriptionId: clientConfig.subscriptionId,
        };

        // Components are composed in dependency order; each block wires one component.
        // --- monitoring (MON: workspace, Sentinel, analytics and automation rules) ---
        const monitoring = new McpMonitoring(
            `${name}-monitoring`,
            {
                placement,
                retentionDays: config.monitoring.retentionDays,
                protect: config.protectStatefulResources,
                // What the detections need to name servers: their images (manifest drift) and declared egress
                // (mcp-egress-denied, only with the firewall; Container Apps share the runtime subnet's addresses).
                context: {
                    servers: config.servers.map((s) => ({ name: s.name, image: s.image, egress: s.egress })),
                    egressFirewall: config.features.egressFirewall && config.subnets.runtime ? { runtimeCidrs: [config.subnets.runtime] } : undefined,
                },
            },
            { parent: this },
        );
        // --- network (NET: VNet, subnets, NSGs, private DNS zones, DDoS plan) ---
        const network = new McpNetwork(
            `${name}-network`,
            {
                placement,
                diagnostics: monitoring.diagnostics,
                addressSpace: config.addressSpace,
                subnets: config.subnets,
                ddosProtection: config.features.ddosProtection,
                flowLogs: config.features.vnetFlowLogs ? { retentionDays: config.monitoring.retentionDays } : undefined,
                managedHsmZone: config.features.managedHsm,
                gatewaySku: config.gateway.sku,
                protectStatefulResources: config.protectStatefulResources,
                // Each server's declared hosts; stacks/config.ts rejects egress without the firewall.
                egressFirewall: config.features.egressFirewall
                    ? { servers: config.servers.map((s) => ({ name: s.name, egress: s.egress })), zones: config.edge.zones }
                    : undefined,
            },
            { parent: this },
        );
        // --- keyvault (KV: Premium vault, HSM keys, secrets) ---
        const keyVault = new McpKeyVault(
            `${name}-keyvault`,
            {
                placement,
                diagnostics: monitoring.diagnostics,
                privateEndpoint: { subnetId: network.subnetIds.privateEndpoints, privateDnsZoneId: network.privateDnsZoneIds.keyVault },
                tenantId: config.tenantId,
                keys: ["registry-cmk", "data"],
                protect: config.protectStatefulResources,
                // The deployer administers the HSM until the security-domain ceremony hands it to the officers.
                managedHsm:
                    config.features.managedHsm && network.privateDnsZoneIds.managedHsm
                        ? { initialAdminObjectIds: [clientConfig.objectId], privateDnsZoneId: network.privateDnsZoneIds.managedHsm }
                        : undefined,
            },
            { parent: this },
        );
        // --- registry (SC: Premium registry, CMK) ---
        const registryKey = keyVault.keys["registry-cmk"];
        const registry = new McpRegistry(
            `${name}-registry`,
            {
                placement,
                diagnostics: monitoring.diagnostics,
                privateEndpoint: { subnetId: network.subnetIds.privateEndpoints, privateDnsZoneId: network.privateDnsZoneIds.registry },
                encryption: { keyVersionlessUri: registryKey.versionlessUri, keyId: registryKey.id },
                defenderForContainers: config.features.defenderForContainers,
                zoneRedundant: config.runtime.zoneRedundant,
            },
            { parent: this },
        );
        // --- identity (ID: Entra apps, service principals, platform identities, Conditional Access) ---
        const identity = new McpIdentity(
            `${name}-identity`,
            {
                placement,
                tenantId: config.tenantId,
                publicBaseUrl: `https://${config.edge.hostname}`,
                servers: config.servers,
                clientApps: config.clientApps,
                conditionalAccess: config.features.conditionalAccess ? { state: config.conditionalAccessState } : undefined,
            },
            { parent: this },
        );
        // --- runtime (RT: Container Apps environment, sandbox) ---
        const platformRegistry = { id: registry.registryId, loginServer: registry.loginServer };
        const runtime = new McpRuntime(
            `${name}-runtime`,
            {
                placement,
                diagnostics: monitoring.diagnostics,
                subnetId: network.subnetIds.runtime,
                vnetId: network.vnetId,
                zoneRedundant: config.runtime.zoneRedundant,
                // The schema requires runtime.sandbox when dynamicSessions is on; the network carves its subnet then.
                sandbox:
                    config.features.dynamicSessions && config.runtime.sandbox && network.subnetIds.sandbox
                        ? { ...config.runtime.sandbox, subnetId: network.subnetIds.sandbox, registry: platformRegistry }
                        : undefined,
            },
            { parent: this },
        );
        // --- workloads (RT: one Container App per MCP server) ---
        const workloads: Record<string, McpWorkload> = Object.fromEntries(
            config.servers.map((server) => [
                server.name,
                new McpWorkload(
                    `${name}-workload-${server.name}`,
                    {
                        placement,
                        diagnostics: monitoring.diagnostics,
                        server,
                        environmentId: runtime.environmentId,
                        workloadProfileName: runtime.workloadProfileName,
                        gatewaySubnetCidr: config.subnets.gateway!,
                        registry: platformRegistry,
                        keyVault: { name: keyVault.vaultName, uri: keyVault.vaultUri },
                        tenantId: config.tenantId,
                        backendApp: {
                            clientId: identity.servers[server.name].backendAppClientId,
                            identifierUri: identity.servers[server.name].backendIdentifierUri,
                        },
                        gatewayClientId: identity.gatewayIdentity.clientId,
                        allowedOrigins: config.gateway.allowedOrigins,
                        protect: config.protectStatefulResources,
                    },
                    { parent: this },
                ),
            ]),
        );
        // --- safety (GW: Content Safety) ---
        const safety = new McpContentSafety(
            `${name}-safety`,
            {
                placement,
                diagnostics: monitoring.diagnostics,
                privateEndpoint: { subnetId: network.subnetIds.privateEndpoints, privateDnsZoneId: network.privateDnsZoneIds.contentSafety },
                // Prompt Shields is called by the gateway's managed identity only, on this account alone (C1.3, C2.2).
                roleAssignments: [
                    {
                        principalId: identity.gatewayIdentity.principalId,
                        roleDefinitionId: builtInRoles.cognitiveServicesUser,
                        principalType: "ServicePrincipal",
                        role: "gateway-cs-user",
                    },
                ],
            },
            { parent: this },
        );
        // --- gateway (GW: API Management, policy fragments, MCP APIs) ---
        const gateway = new McpGateway(
            `${name}-gateway`,
            {
                placement,
                diagnostics: monitoring.diagnostics,
                sku: config.gateway.sku,
                capacity: config.gateway.capacity,
                zones: config.gateway.zones,
                publisherEmail: config.gateway.publisherEmail,
                publisherName: config.gateway.publisherName,
                subnetId: network.subnetIds.gateway,
                apiManagementDnsZoneId: network.privateDnsZoneIds.apiManagement,
                gatewayIdentity: identity.gatewayIdentity,
                tenantId: config.tenantId,
                contentSafetyEndpoint: safety.endpoint,
                publicBaseUrl: `https://${config.edge.hostname}`,
                policy: {
                    protocolVersions: config.protocolVersions,
                    allowedOrigins: config.gateway.allowedOrigins,
                    maxRequestBytes: config.gateway.maxRequestBytes,
                    sessionIdleMinutes: config.gateway.sessionIdleMinutes,
                    sessionAbsoluteMinutes: config.gateway.sessionAbsoluteMinutes,
                    promptShieldsFailureMode: config.gateway.promptShieldsFailureMode,
                    manifestMode: config.gateway.manifestMode,
                },
                servers: config.servers.map((server) => ({
                    name: server.name,
                    backendFqdn: workloads[server.name].fqdn,
                    apiAppClientId: identity.servers[server.name].apiAppClientId,
                    apiIdentifierUri: identity.servers[server.name].apiIdentifierUri,
                    backendIdentifierUri: identity.servers[server.name].backendIdentifierUri,
                    requiredScope: identity.servers[server.name].requiredScope,
                    appRoleValues: identity.servers[server.name].appRoleValues,
                    // The config allow-list plus the platform's own client apps registered for this server (M3).
                    clientApplicationIds: [
                        ...server.allowedClientAppIds,
                        ...config.clientApps.filter((c) => c.servers.includes(server.name)).map((c) => identity.clientApps[c.name].clientId),
                    ],
                    tools: server.tools,
                    manifestDigest: server.manifestDigest,
                    rateLimits: server.rateLimits,
                })),
            },
            { parent: this },
        );
        // --- edge (EDGE: Application Gateway WAF_v2) ---
        if (config.profile === "prod" && !config.edge.certificateSecretId) {
            pulumi.log.warn(
                `${config.project}:edge.certificateSecretId is not set: the prod listener gets a self-signed certificate for ` +
                    `${config.edge.hostname}; import a CA-issued one into the platform vault and set its versionless secret id`,
                this,
            );
        }
        const edge = new McpEdge(
            `${name}-edge`,
            {
                placement,
                diagnostics: monitoring.diagnostics,
                subnetId: network.subnetIds.edge,
                hostname: config.edge.hostname,
                backendHostname: gateway.gatewayHostname,
                vault: { id: keyVault.vaultId, name: keyVault.vaultName, resourceGroupName: placement.resourceGroupName, uri: keyVault.vaultUri },
                certificateSecretId: config.edge.certificateSecretId,
                zones: config.edge.zones,
                capacity: { min: config.edge.minCapacity, max: config.edge.maxCapacity },
                maxRequestBodyKb: wafBodyLimitKbFor(config.gateway.maxRequestBytes),
            },
            { parent: this },
        );

        this.resourceGroupName = resourceGroup.name;
        this.edgePublicIp = edge.publicIpAddress;
        this.mcpEndpoints = Object.fromEntries(config.servers.map((s) => [s.name, `https://${config.edge.hostname}/mcp/${s.name}`]));
        this.gatewayHostname = gateway.gatewayHostname;
        this.vaultName = keyVault.vaultName;
        this.registryLoginServer = registry.loginServer;
        this.workspaceId = monitoring.workspaceId;
        this.registerOutputs({
            resourceGroupName: this.resourceGroupName,
            edgePublicIp: this.edgePublicIp,
            mcpEndpoints: this.mcpEndpoints,
            gatewayHostname: this.gatewayHostname,
            vaultName: this.vaultName,
            registryLoginServer: this.registryLoginServer,
            workspaceId: this.workspaceId,
        });
    }
}

/**
 * What the platform declares about itself to the policy pack (inputs of the component resource):
 * the references its value checks compare against (policy-pack/lib/declared.ts reads them). Only
 * config-known values: a component's inputs are fixed before its children exist, so the platform's
 * own client app ids (outputs of the identity component) are not declared; the pack checks those
 * against the stack's Entra apps instead.
 */
function platformDeclaration(config: McpPlatformConfig): PlatformDeclaration {
    return {
        profile: config.profile,
        protocolVersions: config.protocolVersions,
        tenantId: config.tenantId,
        maxRequestBytes: config.gateway.maxRequestBytes,
        sessionIdleSeconds: config.gateway.sessionIdleMinutes * 60,
        sessionLifetimeSeconds: config.gateway.sessionAbsoluteMinutes * 60,
        gatewaySubnetPrefix: config.subnets.gateway,
        servers: config.servers.map((s) => ({ name: s.name, rateLimits: s.rateLimits })),
        optionalControls: featureNames.reduce(
            (all, feature) => ({
                ...all,
                [feature]: {
                    enabled: config.features[feature],
                    controls: controlsOf(feature),
                    ...(config.features[feature] ? {} : { reason: config.featureReasons[feature] }),
                },
            }),
            {} as PlatformDeclaration["optionalControls"],
        ),
    };
}
