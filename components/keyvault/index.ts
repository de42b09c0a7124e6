import * as pulumi from "@pulumi/pulumi";
import * as keyvault from "@pulumi/azure-native/keyvault";
import { DiagnosticsArgs, PlacementArgs, PrivateEndpointArgs, RoleAssignmentArgs } from "../shared/inputs";
import { createDiagnosticSetting } from "../shared/diagnostics";
import { createPrivateEndpoint } from "../shared/privateEndpoint";
import { assignRoles } from "../shared/roleAssignments";
import { resourceName } from "../shared/naming";
import { createHsmKey, HsmKeyArgs } from "./keys";
import { KeyLifetime } from "./rotation";

export { createHsmKey, createVaultSecret } from "./keys";
export type { HsmKeyArgs, VaultSecretArgs, VaultRef } from "./keys";

export interface McpKeyVaultArgs {
    /** Resource group, region, tags and naming of every child. */
    readonly placement: PlacementArgs;
    /** Where the vault's audit logs (AZKVAuditLogs) and metrics go (C5.1). */
    readonly diagnostics: DiagnosticsArgs;
    /** The only network path to the vault: a private endpoint in this subnet, resolved by this zone (C10.3). */
    readonly privateEndpoint: PrivateEndpointArgs;
    /** Entra ID tenant whose principals the vault authorizes. */
    readonly tenantId: pulumi.Input<string>;
    /** One HSM key per purpose (C6.2), e.g. `registry-cmk`, `data`; names must be unique. */
    readonly keys: readonly string[];
    /** Key type of the purpose keys. Defaults to RSA-HSM 3072. */
    readonly keyType?: HsmKeyArgs["keyType"];
    /** Expiry and rotation of the purpose keys. Defaults to expire after P1Y, rotate P30D before expiry. */
    readonly keyLifetime?: KeyLifetime;
    /** Built-in roles on the vault for principals that need data-plane access. Defaults to none. */
    readonly roleAssignments?: readonly RoleAssignmentArgs[];
    /** `protect: true` on the vault and its keys (prod). Defaults to false. */
    readonly protect?: boolean;
    /**
     * Also create a Managed HSM (single-tenant, FIPS 140-3 Level 3) reachable only through a private
     * endpoint in the same subnet. Defaults to none.
     */
    readonly managedHsm?: {
        /** Object ids that administer the HSM (security-domain download, role assignments). */
        readonly initialAdminObjectIds: pulumi.Input<pulumi.Input<string>[]>;
        /** The `privatelink.managedhsm.azure.net` zone. */
        readonly privateDnsZoneId: pulumi.Input<string>;
    };
}

export interface VaultKeyOutputs {
    /** ARM id of the key: the scope for role assignments on this key only. */
    readonly id: pulumi.Output<string>;
    readonly name: pulumi.Output<string>;
    /** `https://<vault>.vault.azure.net/keys/<name>`: consumers follow rotation automatically. */
    readonly versionlessUri: pulumi.Output<string>;
}

/**
 * Key Vault Premium (C6.1–C6.3, C3.2): HSM-backed keys with rotation, RBAC authorization, purge
 * protection and 90-day soft delete, no public network path, audit logs to the workspace.
 *
 * The deploying principal gets no data-plane role here, deliberately. Keys and secrets are created
 * through ARM (`Microsoft.KeyVault/vaults/keys/write`, `.../secrets/write`), which the deployer's
 * management role covers and the vault firewall does not apply to, so a standing "Key Vault Crypto
 * Officer"/"Secrets Officer" grant would only add a credential that can read and use every key from
 * wherever the pipeline runs. Data-plane work (rotating a key by hand, changing a rotation policy,
 * reading a secret) happens from inside the VNet with a just-in-time role; see docs/deploy-notes.md.
 */
export class McpKeyVault extends pulumi.ComponentResource {
    public readonly vaultId: pulumi.Output<string>;
    public readonly vaultName: pulumi.Output<string>;
    public readonly vaultUri: pulumi.Output<string>;
    public readonly keys: Record<string, VaultKeyOutputs>;
    public readonly managedHsmId?: pulumi.Output<string>;

    constructor(name: string, args: McpKeyVaultArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mcp:keyvault:McpKeyVault", name, {}, opts);
        const { placement, diagnostics } = args;
        validateKeyPurposes(args.keys);
        const protect = args.protect ?? false;

        const vault = new keyvault.Vault(
            `${name}-vault`,
            {
                vaultName: resourceName(placement.naming, "keyVault"),
                resourceGroupName: placement.resourceGroupName,
                location: placement.location,
                tags: placement.tags,
                properties: {
                    tenantId: args.tenantId,
                    sku: { family: keyvault.SkuFamily.A, name: keyvault.SkuName.Premium },
                    enableRbacAuthorization: true,
                    enableSoftDelete: true,
                    softDeleteRetentionInDays: 90,
                    enablePurgeProtection: true,
                    publicNetworkAccess: keyvault.PublicNetworkAccess.Disabled,
                    // Trusted services (the registry's CMK, Application Gateway's certificate) still
                    // pass; nothing else reaches the public endpoint.
                    networkAcls: { defaultAction: keyvault.NetworkRuleAction.Deny, bypass: keyvault.NetworkRuleBypassOptions.AzureServices, ipRules: [], virtualNetworkRules: [] },
                    enabledForDeployment: false,
                    enabledForDiskEncryption: false,
                    enabledForTemplateDeployment: false,
                },
            },
            { parent: this, protect },
        );
        createDiagnosticSetting(this, `${name}-vault`, vault.id, diagnostics);
        createPrivateEndpoint(this, `${name}-vault`, placement, args.privateEndpoint, { id: vault.id, groupId: "vault", qualifier: "kv" });
        assignRoles(this, `${name}-vault`, vault.id, placement.subscriptionId, args.roleAssignments ?? []);

        const vaultRef = { name: vault.name, resourceGroupName: placement.resourceGroupName };
        this.keys = Object.fromEntries(
            args.keys.map((purpose) => {
                const key = createHsmKey(this, `${name}-key-${purpose}`, {
                    vault: vaultRef,
                    keyName: purpose,
                    keyType: args.keyType,
                    lifetime: args.keyLifetime,
                    tags: placement.tags,
                    protect,
                });
                return [purpose, { id: key.id, name: key.name, versionlessUri: key.keyUri }];
            }),
        );

        if (args.managedHsm) {
            // Activation needs an out-of-band security-domain ceremony: at least three officers'
            // RSA key pairs, `az keyvault security-domain download` with a quorum, done by people
            // from inside the VNet. Until then the HSM exists but serves no key operation.
            const hsm = new keyvault.ManagedHsm(
                `${name}-hsm`,
                {
                    name: resourceName(placement.naming, "managedHsm"),
                    resourceGroupName: placement.resourceGroupName,
                    location: placement.location,
                    tags: placement.tags,
                    sku: { family: keyvault.ManagedHsmSkuFamily.B, name: keyvault.ManagedHsmSkuName.Standard_B1 },
                    properties: {
                        tenantId: args.tenantId,
                        initialAdminObjectIds: args.managedHsm.initialAdminObjectIds,
                        enableSoftDelete: true,
                        softDeleteRetentionInDays: 90,
                        enablePurgeProtection: true,
                        publicNetworkAccess: keyvault.PublicNetworkAccess.Disabled,
                        networkAcls: { defaultAction: keyvault.NetworkRuleAction.Deny, bypass: keyvault.NetworkRuleBypassOptions.AzureServices },
                    },
                },
                { parent: this, protect },
            );
            createDiagnosticSetting(this, `${name}-hsm`, hsm.id, diagnostics);
            createPrivateEndpoint(
                this,
                `${name}-hsm`,
                placement,
                { subnetId: args.privateEndpoint.subnetId, privateDnsZoneId: args.managedHsm.privateDnsZoneId },
                { id: hsm.id, groupId: "managedhsm", qualifier: "hsm" },
            );
            this.managedHsmId = hsm.id;
        }

        this.vaultId = vault.id;
        this.vaultName = vault.name;
        this.vaultUri = vault.properties.vaultUri;
        this.registerOutputs({ vaultId: this.vaultId, vaultName: this.vaultName, vaultUri: this.vaultUri, keys: this.keys, managedHsmId: this.managedHsmId });
    }
}

/** Key names are Key Vault object names and one per purpose: throws on a bad or repeated name. */
export function validateKeyPurposes(keys: readonly string[]): void {
    const seen = new Set<string>();
    for (const key of keys) {
        if (!/^[a-zA-Z0-9-]{1,127}$/.test(key)) {
            throw new Error(`McpKeyVault: keys got ${JSON.stringify(key)}, expected 1–127 letters, digits or '-' (a Key Vault key name)`);
        }
        if (seen.has(key.toLowerCase())) throw new Error(`McpKeyVault: keys got ${JSON.stringify(key)} twice, expected one key per purpose (C6.2)`);
        seen.add(key.toLowerCase());
    }
}
