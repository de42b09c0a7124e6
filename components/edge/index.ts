import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as random from "@pulumi/random";
import { createManagedIdentity } from "../shared/managedIdentity";
import { createVaultSecret } from "../keyvault";
import { createDiagnosticSetting } from "../shared/diagnostics";
import { DiagnosticsArgs, PlacementArgs } from "../shared/inputs";
import { assignRoles } from "../shared/roleAssignments";
import { builtInRoles } from "../shared/roles";
import { resourceName } from "../shared/naming";
import { certificateValidity, issueDate, selfSignedPfx } from "./selfSigned";
import {
    clientIpRateLimitRule,
    managedRuleSets,
    parseVersionlessSecretId,
    resolveClientIpRequestsPerMinute,
    resolveMaxRequestBodyKb,
    subResourceId,
    wafPolicySettings,
} from "./settings";

export interface McpEdgeArgs {
    /** Resource group, region, tags and naming of every child. */
    readonly placement: PlacementArgs;
    /** Workspace for the gateway's access, performance and firewall logs and the public IP's DDoS logs (C5.1). */
    readonly diagnostics: DiagnosticsArgs;
    /** The edge tier's dedicated subnet (Application Gateway v2 needs a subnet of its own). */
    readonly subnetId: pulumi.Input<string>;
    /** Public DNS name clients use; the only host the HTTPS listener answers. */
    readonly hostname: string;
    /** The API Management gateway's private host name (`<name>.azure-api.net`, resolved by the VNet's private zone). */
    readonly backendHostname: pulumi.Input<string>;
    /** The platform vault that holds the listener certificate. */
    readonly vault: {
        readonly id: pulumi.Input<string>;
        readonly name: pulumi.Input<string>;
        readonly resourceGroupName: pulumi.Input<string>;
        readonly uri: pulumi.Input<string>;
    };
    /**
     * Versionless id of a CA-issued certificate's secret in the platform vault
     * (`https://<vault>.vault.azure.net/secrets/<name>`); the gateway picks up each renewal (C3.3).
     * Defaults to a self-signed certificate for `hostname`, generated and stored in the vault (dev).
     */
    readonly certificateSecretId?: string;
    /** Availability zones of the gateway and its public IP. Defaults to none (regional). */
    readonly zones?: readonly string[];
    /** Autoscale bounds in instances. Defaults to 2–10. */
    readonly capacity?: { readonly min: number; readonly max: number };
    /** WAF rate limit per client IP and minute (C4.1). Defaults to 600. */
    readonly clientIpRequestsPerMinute?: number;
    /** Largest request body the WAF lets through, in KB (C1.1, C9.4). Defaults to 1024. */
    readonly maxRequestBodyKb?: number;
}

const listenerSecretName = "edge-listener-tls";
/** The self-signed certificate lives a little less than its secret (365 days, the vault's maximum). */
const selfSignedLifetimeDays = 364;
/** API Management's own health endpoint: answers 200 without authentication or a backend call. */
export const apimHealthPath = "/status-0123456789abcdef";

/**
 * The public edge (EDGE): Application Gateway WAF_v2 that terminates TLS 1.3 only (C3.1) with a
 * certificate read from Key Vault by versionless id (C3.3), inspects every request with the
 * managed rule sets in Prevention mode and limits each client IP (C1.1, C4.1), and forwards over
 * HTTPS to the internal API Management gateway. Its Standard public IP is the platform's only one
 * (C10.3), protected by the VNet's DDoS plan when that is on (C4.4).
 */
export class McpEdge extends pulumi.ComponentResource {
    /** The public address clients reach (point the `hostname` DNS record here). */
    public readonly publicIpAddress: pulumi.Output<string>;
    public readonly hostname: string;
    public readonly applicationGatewayId: pulumi.Output<string>;
    /** Versionless secret id the listener reads its certificate from. */
    public readonly certificateSecretId: pulumi.Output<string>;

    constructor(name: string, args: McpEdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mcp:edge:McpEdge", name, {}, opts);
        const { placement, diagnostics } = args;
        const zones = [...(args.zones ?? [])];
        const capacity = resolveCapacity(args.capacity);
        const rateLimit = resolveClientIpRequestsPerMinute(args.clientIpRequestsPerMinute);
        const maxBodyKb = resolveMaxRequestBodyKb(args.maxRequestBodyKb);
        const external = args.certificateSecretId ? parseVersionlessSecretId(args.certificateSecretId) : undefined;
        const gatewayName = resourceName(placement.naming, "appGateway");

        // The gateway reads its certificate with this identity; it may read that one secret only.
        const identity = createManagedIdentity(this, `${name}-identity`, placement, "agw");

        let secretId: pulumi.Output<string>;
        let secretScope: pulumi.Output<string>;
        if (external) {
            // Scope the grant to the secret inside the platform vault; a certificate kept elsewhere
            // would need a grant this component cannot scope, so it is refused.
            secretId = pulumi.output(external.secretId);
            secretScope = pulumi.all([args.vault.id, args.vault.uri]).apply(([vaultId, vaultUri]) => {
                if (vaultUri.replace(/\/?$/, "/") !== external.vaultUri) {
                    throw new Error(
                        `certificateSecretId: got ${external.secretId}, expected a secret in the platform vault ${vaultUri} ` +
                            "(import the certificate there so the gateway's identity can be granted that secret alone)",
                    );
                }
                return `${vaultId}/secrets/${external.secretName}`;
            });
        } else {
            // The seed and issue date stay in state (keepers are not re-read), so the certificate
            // is a pure function of stored values and never churns; replacing the seed renews it.
            const seed = new random.RandomPassword(
                `${name}-cert-seed`,
                { length: 64, special: false, keepers: { issuedOn: issueDate(new Date()) } },
                { parent: this, ignoreChanges: ["keepers"] },
            );
            const pfx = pulumi.all([seed.result, seed.keepers]).apply(([seedValue, keepers]) => {
                const validity = certificateValidity(keepers?.issuedOn ?? "", selfSignedLifetimeDays);
                return selfSignedPfx({ seed: seedValue, hostname: args.hostname, ...validity });
            });
            const secret = createVaultSecret(this, `${name}-cert`, {
                vault: { name: args.vault.name, resourceGroupName: args.vault.resourceGroupName },
                secretName: listenerSecretName,
                value: pulumi.secret(pfx),
                contentType: "application/x-pkcs12",
                expiresInDays: 365,
                tags: args.placement.tags,
            });
            secretId = secret.properties.apply((p) => parseVersionlessSecretId(p.secretUri).secretId);
            secretScope = secret.id;
        }
        const grants = assignRoles(this, `${name}-cert`, secretScope, placement.subscriptionId, [
            {
                principalId: identity.principalId,
                roleDefinitionId: builtInRoles.keyVaultSecretsUser,
                principalType: "ServicePrincipal",
                role: "secrets-user",
            },
        ]);

        const publicIp = new network.PublicIPAddress(
            `${name}-pip`,
            {
                publicIpAddressName: resourceName(placement.naming, "publicIp", "agw"),
                resourceGroupName: placement.resourceGroupName,
                location: placement.location,
                tags: placement.tags,
                sku: { name: network.PublicIPAddressSkuName.Standard, tier: network.PublicIPAddressSkuTier.Regional },
                publicIPAllocationMethod: network.IPAllocationMethod.Static,
                publicIPAddressVersion: network.IPVersion.IPv4,
                ...(zones.length > 0 ? { zones } : {}),
                // Application Gateway sits in the VNet, so the VNet's DDoS Network Protection plan
                // covers this address; "Enabled" would mean a separately billed per-IP protection.
                ddosSettings: { protectionMode: network.DdosSettingsProtectionMode.VirtualNetworkInherited },
            },
            { parent: this },
        );

        const wafPolicy = new network.WebApplicationFirewallPolicy(
            `${name}-waf`,
            {
                policyName: resourceName(placement.naming, "wafPolicy"),
                resourceGroupName: placement.resourceGroupName,
                location: placement.location,
                tags: placement.tags,
                policySettings: wafPolicySettings(maxBodyKb),
                managedRules: { managedRuleSets: managedRuleSets.map((set) => ({ ...set })) },
                customRules: [clientIpRateLimitRule(rateLimit)],
            },
            { parent: this },
        );

        const ref = (collection: string, child: string) => ({
            id: pulumi
                .all([placement.subscriptionId, placement.resourceGroupName])
                .apply(([subscriptionId, group]) => subResourceId(subscriptionId, group, gatewayName, collection, child)),
        });
        const gateway = new network.ApplicationGateway(
            `${name}-agw`,
            {
                applicationGatewayName: gatewayName,
                resourceGroupName: placement.resourceGroupName,
                location: placement.location,
                tags: placement.tags,
                ...(zones.length > 0 ? { zones } : {}),
                sku: { name: network.ApplicationGatewaySkuName.WAF_v2, tier: network.ApplicationGatewayTier.WAF_v2 },
                autoscaleConfiguration: { minCapacity: capacity.min, maxCapacity: capacity.max },
                identity: { type: network.ResourceIdentityType.UserAssigned, userAssignedIdentities: [identity.id] },
                // CustomV2 with TLS 1.3 as the minimum: Azure fixes the TLS 1.3 cipher suites, so none are listed (C3.1).
                sslPolicy: {
                    policyType: network.ApplicationGatewaySslPolicyType.CustomV2,
                    minProtocolVersion: network.ApplicationGatewaySslProtocol.TLSv1_3,
                },
                enableHttp2: true,
                firewallPolicy: { id: wafPolicy.id },
                forceFirewallPolicyAssociation: true,
                gatewayIPConfigurations: [{ name: "gateway-ip", subnet: { id: args.subnetId } }],
                frontendIPConfigurations: [{ name: "public", publicIPAddress: { id: publicIp.id } }],
                // HTTPS only: no port 80, no HTTP listener, no redirect (C3.1).
                frontendPorts: [{ name: "https", port: 443 }],
                sslCertificates: [{ name: "listener", keyVaultSecretId: secretId }],
                httpListeners: [
                    {
                        name: "https",
                        protocol: network.ApplicationGatewayProtocol.Https,
                        frontendIPConfiguration: ref("frontendIPConfigurations", "public"),
                        frontendPort: ref("frontendPorts", "https"),
                        sslCertificate: ref("sslCertificates", "listener"),
                        hostName: args.hostname,
                        requireServerNameIndication: true,
                    },
                ],
                backendAddressPools: [{ name: "apim", backendAddresses: [{ fqdn: args.backendHostname }] }],
                probes: [
                    {
                        name: "apim-status",
                        protocol: network.ApplicationGatewayProtocol.Https,
                        path: apimHealthPath,
                        pickHostNameFromBackendHttpSettings: true,
                        interval: 30,
                        timeout: 30,
                        unhealthyThreshold: 3,
                        match: { statusCodes: ["200-399"] },
                    },
                ],
                // HTTPS to the gateway with its own host name, so its certificate's name validates
                // (the *.azure-api.net certificate chains to a public root Application Gateway trusts).
                backendHttpSettingsCollection: [
                    {
                        name: "apim-https",
                        protocol: network.ApplicationGatewayProtocol.Https,
                        port: 443,
                        pickHostNameFromBackendAddress: true,
                        cookieBasedAffinity: network.ApplicationGatewayCookieBasedAffinity.Disabled,
                        // Streamable HTTP keeps SSE responses open; the gateway's own timeout bounds them.
                        requestTimeout: 180,
                        probeEnabled: true,
                        probe: ref("probes", "apim-status"),
                    },
                ],
                requestRoutingRules: [
                    {
                        name: "https-to-apim",
                        ruleType: network.ApplicationGatewayRequestRoutingRuleType.Basic,
                        priority: 100,
                        httpListener: ref("httpListeners", "https"),
                        backendAddressPool: ref("backendAddressPools", "apim"),
                        backendHttpSettings: ref("backendHttpSettingsCollection", "apim-https"),
                    },
                ],
            },
            // The identity must hold its grant before the gateway first reads the certificate.
            { parent: this, dependsOn: grants },
        );

        // WAF policies have no diagnostic settings of their own: the firewall log is the gateway's
        // ApplicationGatewayFirewallLog category, included in allLogs.
        createDiagnosticSetting(this, `${name}-agw`, gateway.id, diagnostics);
        createDiagnosticSetting(this, `${name}-pip`, publicIp.id, diagnostics);

        this.publicIpAddress = publicIp.ipAddress.apply((ip) => ip ?? "");
        this.hostname = args.hostname;
        this.applicationGatewayId = gateway.id;
        this.certificateSecretId = secretId;
        this.registerOutputs({
            publicIpAddress: this.publicIpAddress,
            hostname: this.hostname,
            applicationGatewayId: this.applicationGatewayId,
            certificateSecretId: this.certificateSecretId,
        });
    }
}

/** Autoscale bounds: Azure allows 0–125 minimum and 2–125 maximum instances. */
export function resolveCapacity(capacity: { min: number; max: number } | undefined): { min: number; max: number } {
    const { min, max } = capacity ?? { min: 2, max: 10 };
    if (!Number.isInteger(min) || min < 0 || min > 125) throw new Error(`capacity.min: got ${min}, expected a whole number from 0 to 125`);
    if (!Number.isInteger(max) || max < 2 || max > 125 || max < min) {
        throw new Error(`capacity.max: got ${max}, expected a whole number from 2 to 125 and at least capacity.min (${min})`);
    }
    return { min, max };
}
