import * as pulumi from "@pulumi/pulumi";
import * as containerregistry from "@pulumi/azure-native/containerregistry";
import * as security from "@pulumi/azure-native/security";
import { createManagedIdentity } from "../shared/managedIdentity";
import { DiagnosticsArgs, PlacementArgs, PrivateEndpointArgs, RoleAssignmentArgs } from "../shared/inputs";
import { createDiagnosticSetting } from "../shared/diagnostics";
import { createPrivateEndpoint } from "../shared/privateEndpoint";
import { assignRoles } from "../shared/roleAssignments";
import { builtInRoles } from "../shared/roles";
import { resourceName } from "../shared/naming";
import { decideNetworkBypass, validateRetentionDays } from "./settings";

export interface McpRegistryArgs {
    /** Resource group, region, tags and naming. */
    readonly placement: PlacementArgs;
    /** Workspace for the registry's login and repository events (C12.4). */
    readonly diagnostics: DiagnosticsArgs;
    /** The only way in: a private endpoint (sub-resource `registry`) and the privatelink.azurecr.io zone (C10.3, C12.3). */
    readonly privateEndpoint: PrivateEndpointArgs;
    /** The customer-managed HSM key that encrypts the registry (C3.2, C6.4). */
    readonly encryption: {
        /** Versionless key URI (`https://<vault>.vault.azure.net/keys/<name>`), so rotated versions are picked up. */
        readonly keyVersionlessUri: pulumi.Input<string>;
        /** ARM id of the key: the scope of the encryption identity's role. */
        readonly keyId: pulumi.Input<string>;
    };
    /** Built-in roles granted on the registry (e.g. AcrPull for workload identities). Defaults to none. */
    readonly roleAssignments?: readonly RoleAssignmentArgs[];
    /**
     * Days an untagged manifest is kept before the retention policy deletes it. Defaults to 30.
     * Workloads pull by digest (C12.1): the release pipeline keeps every deployed digest tagged.
     */
    readonly untaggedRetentionDays?: number;
    /** Turn on Microsoft Defender for Containers (subscription plan, C11.2, C12.4). Defaults to false. */
    readonly defenderForContainers?: boolean;
    /** Zone-redundant registry storage and replicas. Defaults to false. */
    readonly zoneRedundant?: boolean;
}

/**
 * The platform's private container registry (C12.1, C12.3, C12.4): Premium, Entra ID only (admin
 * user and anonymous pull off), no public network path, no export, untagged manifests expire,
 * encrypted with a customer-managed HSM key through its own user-assigned identity.
 */
export class McpRegistry extends pulumi.ComponentResource {
    public readonly registryId: pulumi.Output<string>;
    public readonly registryName: pulumi.Output<string>;
    public readonly loginServer: pulumi.Output<string>;
    /** The identity the registry reads its encryption key with. */
    public readonly encryptionIdentityId: pulumi.Output<string>;

    constructor(name: string, args: McpRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mcp:registry:McpRegistry", name, {}, opts);
        const { placement } = args;
        const retentionDays = args.untaggedRetentionDays ?? 30;
        validateRetentionDays(retentionDays);
        const defender = args.defenderForContainers ?? false;

        // Its own identity, used for nothing but unwrapping the registry's key (C10.2).
        const identity = createManagedIdentity(this, `${name}-cmk-identity`, placement, "registry-cmk");
        // Granted on the one key, not the vault; Azure checks key access when the registry is created.
        const keyAccess = assignRoles(this, `${name}-cmk`, args.encryption.keyId, placement.subscriptionId, [
            {
                principalId: identity.principalId,
                roleDefinitionId: builtInRoles.keyVaultCryptoServiceEncryptionUser,
                principalType: "ServicePrincipal",
                role: "crypto-service-encryption-user",
            },
        ]);

        const registry = new containerregistry.Registry(
            `${name}-registry`,
            {
                registryName: resourceName(placement.naming, "containerRegistry"),
                resourceGroupName: placement.resourceGroupName,
                location: placement.location,
                tags: placement.tags,
                // Premium: the only tier with private endpoints, CMK, export and retention policies.
                sku: { name: containerregistry.SkuName.Premium },
                adminUserEnabled: false,
                anonymousPullEnabled: false,
                publicNetworkAccess: containerregistry.PublicNetworkAccess.Disabled,
                networkRuleBypassOptions: decideNetworkBypass(defender),
                zoneRedundancy: args.zoneRedundant ? containerregistry.ZoneRedundancy.Enabled : containerregistry.ZoneRedundancy.Disabled,
                identity: identity.id.apply((id) => ({
                    type: containerregistry.ResourceIdentityType.UserAssigned,
                    userAssignedIdentities: { [id]: {} },
                })),
                encryption: {
                    status: containerregistry.EncryptionStatus.Enabled,
                    // ACR names the identity by its client id here.
                    keyVaultProperties: { keyIdentifier: args.encryption.keyVersionlessUri, identity: identity.clientId },
                },
                policies: {
                    // Images cannot be exported out of the platform (needs public access off).
                    exportPolicy: { status: containerregistry.ExportPolicyStatus.Disabled },
                    retentionPolicy: { status: containerregistry.PolicyStatus.Enabled, days: retentionDays },
                    // Docker Content Trust (Notary v1) is being retired by Azure; integrity comes from digest
                    // pinning (C12.1). Soft delete cannot be combined with the retention policy (ACR limitation).
                    trustPolicy: { status: containerregistry.PolicyStatus.Disabled },
                    softDeletePolicy: { status: containerregistry.PolicyStatus.Disabled },
                },
            },
            { parent: this, dependsOn: keyAccess },
        );

        createPrivateEndpoint(this, `${name}-registry`, placement, args.privateEndpoint, {
            id: registry.id,
            groupId: "registry",
            qualifier: "cr",
        });
        createDiagnosticSetting(this, `${name}-registry`, registry.id, args.diagnostics);
        assignRoles(this, `${name}-registry`, registry.id, placement.subscriptionId, args.roleAssignments ?? []);

        if (defender) {
            new security.Pricing(
                `${name}-defender-containers`,
                {
                    pricingName: "Containers",
                    pricingTier: security.PricingTier.Standard,
                    scopeId: pulumi.interpolate`/subscriptions/${placement.subscriptionId}`,
                },
                { parent: this },
            );
        }

        this.registryId = registry.id;
        this.registryName = registry.name;
        this.loginServer = registry.loginServer;
        this.encryptionIdentityId = identity.id;
        this.registerOutputs({ registryId: this.registryId, registryName: this.registryName, loginServer: this.loginServer });
    }
}
