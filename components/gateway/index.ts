import * as pulumi from "@pulumi/pulumi";
import type { RateLimits } from "../../policy-pack/contract/declaration";
import { assertAllowedClients, assertUniqueNames } from "../shared/invariants";
import { mcpApiPath } from "../shared/mcpResource";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import { DiagnosticsArgs, PlacementArgs } from "../shared/inputs";
import { createDiagnosticSetting } from "../shared/diagnostics";
import { resourceName } from "../shared/naming";
import { fragmentId, gatewayFragments } from "./policy/fragments";
import { buildApiPolicy } from "./policy/apiPolicy";
import { FragmentSettings, normalizeOrigin } from "./policy/settings";
import { serialize } from "./policy/xml";
import { decidePublicNetworkAccess, decideZones, gatewayCustomProperties, GatewaySku } from "./service";
import { createGatewayDnsRecords, gatewayDiagnosticSettings, parseZoneId } from "./children";

/** One MCP server behind the gateway. */
export interface McpGatewayServerArgs {
    /** Server name: the API path is `/mcp/<name>`. */
    readonly name: string;
    /** Internal ingress FQDN of the server's Container App; the backend is `https://<fqdn>/mcp`. */
    readonly backendFqdn: pulumi.Input<string>;
    /** Client id and identifier URI of the server's API app: the audiences accepted from clients (M1). */
    readonly apiAppClientId: pulumi.Input<string>;
    readonly apiIdentifierUri: pulumi.Input<string>;
    /** Identifier URI of the backend app: audience of the gateway's managed-identity token (C7.1). */
    readonly backendIdentifierUri: pulumi.Input<string>;
    /** Delegated scope every client token must carry in `scp`, e.g. `mcp.access`. */
    readonly requiredScope: string;
    /** The server's app role values; a token must hold one (C7.3). */
    readonly appRoleValues: readonly string[];
    /** Client application ids allowed to call this server (config allow-list plus platform clients) (M3). */
    readonly clientApplicationIds: readonly pulumi.Input<string>[];
    /** Tool name → required app role (C2.2). */
    readonly tools: Readonly<Record<string, string>>;
    /** Approved tools/list digest `sha256:<hex>` (C9.2). */
    readonly manifestDigest: string;
    /** Per-user, per-session, per-user-and-tool calls per minute and the per-user daily quota (C4.1). */
    readonly rateLimits: RateLimits;
}

export interface McpGatewayArgs {
    /** Resource group, region, tags and naming of the service and its children. */
    readonly placement: PlacementArgs;
    /** Gateway logs and metrics go to the platform workspace (C5.1). */
    readonly diagnostics: DiagnosticsArgs;
    /** Tier: Developer (dev) or Premium/PremiumV2 (prod); only these support internal VNet mode. */
    readonly sku: GatewaySku;
    /** Scale units. */
    readonly capacity: number;
    /** Availability zones (Premium with enough units only). Defaults to none. */
    readonly zones?: readonly string[];
    readonly publisherEmail: string;
    readonly publisherName: string;
    /** The gateway subnet (internal VNet injection, C10.3). */
    readonly subnetId: pulumi.Input<string>;
    /** Id of the private `azure-api.net` zone; the gateway adds its A records there. */
    readonly apiManagementDnsZoneId: pulumi.Input<string>;
    /** The platform's user-assigned gateway identity (resource id and client id). */
    readonly gatewayIdentity: { readonly id: pulumi.Input<string>; readonly clientId: pulumi.Input<string> };
    /** Entra tenant that issues every accepted token (M1). */
    readonly tenantId: string;
    /** `https://<subdomain>.cognitiveservices.azure.com/` of the private Content Safety account (C1.3). */
    readonly contentSafetyEndpoint: pulumi.Input<string>;
    /** `https://<public host>` clients use (the edge); RFC 9728 resource identifiers derive from it. */
    readonly publicBaseUrl: string;
    /** Policy settings shared by every MCP API: the fragments' settings, with session lifetimes in minutes as config gives them. */
    readonly policy: Pick<FragmentSettings, "protocolVersions" | "allowedOrigins" | "maxRequestBytes" | "promptShieldsFailureMode" | "manifestMode"> & {
        readonly sessionIdleMinutes: number;
        readonly sessionAbsoluteMinutes: number;
    };
    /** The MCP servers; one backend, API and API policy each. */
    readonly servers: readonly McpGatewayServerArgs[];
    /**
     * Named values read from Key Vault through the gateway identity (C6.3), for secrets a policy
     * references as `{{name}}`. Defaults to none: the shipped policies authenticate everywhere with
     * the managed identity and need no secret.
     */
    readonly keyVaultNamedValues?: readonly { readonly name: string; readonly secretIdentifier: pulumi.Input<string> }[];
}

/**
 * API Management in internal VNet mode (C10.3) in front of the MCP servers: TLS hardened as a full
 * set (C3.1), the MCP security policy fragments (M1–M4, C1–C9), one API, backend and diagnostic per
 * server, logs without bodies and with credentials masked (C5.3).
 */
export class McpGateway extends pulumi.ComponentResource {
    public readonly serviceId: pulumi.Output<string>;
    public readonly serviceName: pulumi.Output<string>;
    public readonly gatewayHostname: pulumi.Output<string>;
    public readonly privateIp: pulumi.Output<string>;

    constructor(name: string, args: McpGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mcp:gateway:McpGateway", name, {}, opts);
        const { placement } = args;
        const serviceName = resourceName(placement.naming, "apiManagement");
        const allowedOrigins = args.policy.allowedOrigins.map(normalizeOrigin);
        validateServers(args.servers);

        const service = new apimanagement.ApiManagementService(
            `${name}-service`,
            {
                serviceName,
                resourceGroupName: placement.resourceGroupName,
                location: placement.location,
                tags: placement.tags,
                sku: { name: args.sku, capacity: args.capacity },
                zones: decideZones(args.sku, args.capacity, args.zones ?? []),
                publisherEmail: args.publisherEmail,
                publisherName: args.publisherName,
                virtualNetworkType: apimanagement.VirtualNetworkType.Internal,
                virtualNetworkConfiguration: { subnetResourceId: args.subnetId },
                publicNetworkAccess: decidePublicNetworkAccess(),
                // No publicIpAddressId: since the 2024 stv2 change a classic-tier service in internal mode
                // needs none (Azure manages the control-plane address the ApiManagement service tag reaches
                // on 3443), PremiumV2 has no such input, and it keeps "no public IP but the edge's" (C10.3).
                identity: {
                    type: apimanagement.ApimIdentityType.UserAssigned,
                    userAssignedIdentities: pulumi.output(args.gatewayIdentity.id).apply((id) => ({ [id]: {} })),
                },
                customProperties: gatewayCustomProperties(args.sku),
                developerPortalStatus: apimanagement.DeveloperPortalStatus.Disabled,
                legacyPortalStatus: apimanagement.LegacyPortalStatus.Disabled,
            },
            { parent: this },
        );
        createDiagnosticSetting(this, `${name}-service`, service.id, args.diagnostics);
        const serviceRef = { resourceGroupName: placement.resourceGroupName, serviceName: service.name };

        // Gateway logs (ApiManagementGatewayLogs, with the trace records the analytics rules read).
        const diagnostic = new apimanagement.Diagnostic(
            `${name}-diagnostic`,
            { ...serviceRef, diagnosticId: "azuremonitor", loggerId: pulumi.interpolate`${service.id}/loggers/azuremonitor`, ...gatewayDiagnosticSettings() },
            { parent: this },
        );

        for (const nv of args.keyVaultNamedValues ?? []) {
            new apimanagement.NamedValue(
                `${name}-nv-${nv.name}`,
                {
                    ...serviceRef,
                    namedValueId: nv.name,
                    displayName: nv.name,
                    secret: true,
                    keyVault: { secretIdentifier: nv.secretIdentifier, identityClientId: args.gatewayIdentity.clientId },
                },
                { parent: this },
            );
        }

        const settings = pulumi
            .all([args.contentSafetyEndpoint, args.gatewayIdentity.clientId])
            .apply(([contentSafetyEndpoint, gatewayIdentityClientId]): FragmentSettings => ({
                protocolVersions: args.policy.protocolVersions,
                allowedOrigins,
                maxRequestBytes: args.policy.maxRequestBytes,
                sessionIdleSeconds: args.policy.sessionIdleMinutes * 60,
                sessionAbsoluteSeconds: args.policy.sessionAbsoluteMinutes * 60,
                promptShieldsFailureMode: args.policy.promptShieldsFailureMode,
                manifestMode: args.policy.manifestMode,
                contentSafetyEndpoint,
                gatewayIdentityClientId,
            }));
        // The fragment records have fixed ids and descriptions; only their content waits for late values. The logical name is
        // the Azure fragment id (see fragmentId): `${name}-<base id>`.
        const fragments = gatewayFragments.map(
            (f) =>
                new apimanagement.PolicyFragment(
                    fragmentId(name, f.id),
                    {
                        ...serviceRef,
                        id: fragmentId(name, f.id),
                        description: f.description,
                        format: apimanagement.PolicyFragmentContentFormat.Xml,
                        value: settings.apply((s) => serialize(f.build(s))),
                    },
                    { parent: this },
                ),
        );

        for (const server of args.servers) {
            const backendId = `mcp-${server.name}`;
            const backend = new apimanagement.Backend(
                `${name}-backend-${server.name}`,
                {
                    ...serviceRef,
                    backendId,
                    title: `MCP server ${server.name}`,
                    url: pulumi.interpolate`https://${server.backendFqdn}/mcp`,
                    protocol: apimanagement.BackendProtocol.Http,
                    tls: { validateCertificateChain: true, validateCertificateName: true },
                },
                { parent: this },
            );
            const api = new apimanagement.Api(
                `${name}-api-${server.name}`,
                {
                    ...serviceRef,
                    apiId: backendId,
                    displayName: `MCP ${server.name}`,
                    description: `Streamable HTTP endpoint of the MCP server ${server.name}; Entra tokens authenticate (no subscription key).`,
                    path: mcpApiPath(server.name),
                    protocols: [apimanagement.Protocol.Https],
                    subscriptionRequired: false,
                    apiType: apimanagement.ApiType.Http,
                    serviceUrl: pulumi.interpolate`https://${server.backendFqdn}/mcp`,
                },
                { parent: this },
            );
            const operations = mcpOperations.map(
                (op) =>
                    new apimanagement.ApiOperation(
                        `${name}-api-${server.name}-${op.id}`,
                        { ...serviceRef, apiId: api.name, operationId: op.id, displayName: op.displayName, method: op.method, urlTemplate: op.urlTemplate },
                        { parent: this },
                    ),
            );
            const clientIds: pulumi.Output<string[]> = pulumi.output(server.clientApplicationIds as pulumi.Input<string>[]).apply((ids) => [...ids]);
            const policyXml = pulumi
                .all([server.apiAppClientId, server.apiIdentifierUri, server.backendIdentifierUri, args.gatewayIdentity.clientId, clientIds])
                .apply(([apiAppClientId, apiIdentifierUri, backendIdentifierUri, gatewayIdentityClientId, clientApplicationIds]) =>
                    serialize(
                        buildApiPolicy({
                            server: server.name,
                            tenantId: args.tenantId,
                            apiAppClientId,
                            apiIdentifierUri,
                            requiredScope: server.requiredScope,
                            appRoleValues: server.appRoleValues,
                            clientApplicationIds,
                            tools: server.tools,
                            manifestDigest: server.manifestDigest,
                            backendIdentifierUri,
                            backendId,
                            gatewayIdentityClientId,
                            publicBaseUrl: args.publicBaseUrl,
                            rateLimits: server.rateLimits,
                            fragmentIdPrefix: name,
                            gatewaySku: args.sku,
                        }),
                    ),
                );
            new apimanagement.ApiPolicy(
                `${name}-api-${server.name}-policy`,
                { ...serviceRef, apiId: api.name, policyId: "policy", format: apimanagement.PolicyContentFormat.Xml, value: policyXml },
                { parent: this, dependsOn: [...fragments, backend, ...operations] },
            );
            new apimanagement.ApiDiagnostic(
                `${name}-api-${server.name}-diagnostic`,
                { ...serviceRef, apiId: api.name, diagnosticId: "azuremonitor", loggerId: diagnostic.loggerId, ...gatewayDiagnosticSettings() },
                { parent: this },
            );
        }

        this.privateIp = service.privateIPAddresses.apply((ips) => {
            if (!ips || ips.length === 0) throw new Error("API Management returned no private IP address (internal VNet mode)");
            return ips[0];
        });
        createGatewayDnsRecords(this, name, parseZoneId(args.apiManagementDnsZoneId), serviceName, this.privateIp);

        this.serviceId = service.id;
        this.serviceName = service.name;
        this.gatewayHostname = pulumi.output(`${serviceName}.azure-api.net`);
        this.registerOutputs({
            serviceId: this.serviceId,
            serviceName: this.serviceName,
            gatewayHostname: this.gatewayHostname,
            privateIp: this.privateIp,
        });
    }
}

/** Streamable HTTP needs POST (messages), GET (2025-11-25 SSE stream), DELETE (end session); plus RFC 9728. */
const mcpOperations = [
    { id: "post", displayName: "MCP message", method: "POST", urlTemplate: "/" },
    { id: "get", displayName: "MCP server stream", method: "GET", urlTemplate: "/" },
    { id: "delete", displayName: "End MCP session", method: "DELETE", urlTemplate: "/" },
    { id: "oauth-protected-resource", displayName: "Protected resource metadata", method: "GET", urlTemplate: "/.well-known/oauth-protected-resource" },
] as const;

/** Throws before any child exists when two servers share a name or a server has no allowed client. */
export function validateServers(servers: readonly McpGatewayServerArgs[]): void {
    assertUniqueNames("servers", servers.map((s) => s.name), "server names");
    for (const server of servers) assertAllowedClients(server.name, server.clientApplicationIds);
}
