import type { KeyArgs, SecretArgs, VaultArgs } from "@pulumi/azure-native/keyvault";
import { platformOf } from "../contract/declaration";
import type { Inputs } from "../lib/inputs";
import { McpResourcePolicy, resourcePolicy, stackPolicy } from "../lib/policy";
import { exemptionsConfigSchema } from "../lib/exemptions";
import { privateEndpointsFor } from "../lib/references";
import { isoDurationDays } from "../lib/duration";
import { resourceTypes } from "../contract/resourceTypes";

/** The longest a key version may live (C2.3): Key Vault counts a year as 365 days. */
const maxKeyExpiryDays = 365;

type VaultProps = Inputs<VaultArgs>;

const lower = (value: unknown) => (typeof value === "string" ? value.toLowerCase() : undefined);

/** Public access off and the firewall denying by default; absent means Azure's default, Enabled/Allow. */
function publicAccessProblems(properties: VaultProps["properties"]): string[] {
    const problems: string[] = [];
    if (lower(properties?.publicNetworkAccess) !== "disabled") {
        problems.push(`disable public network access (publicNetworkAccess: Disabled, got ${JSON.stringify(properties?.publicNetworkAccess ?? null)})`);
    }
    if (lower(properties?.networkAcls?.defaultAction) !== "deny") {
        problems.push(`deny by default in its network ACLs (networkAcls.defaultAction: Deny, got ${JSON.stringify(properties?.networkAcls?.defaultAction ?? null)})`);
    }
    return problems;
}

export const azureKeyvaultVaultEnforcePremiumSku = resourcePolicy<VaultProps>({
    name: "azure-keyvault-vault-enforce-premium-sku",
    description: "Key vaults use the Premium SKU, the only one that holds HSM-protected keys. Compared against: the secure default, premium (HSM-backed keys).",
    controls: ["C6.1"],
    component: "keyvault",
    remediationSteps: "Set properties.sku.name to premium (family A); Standard vaults hold software keys only.",
    appliesTo: [resourceTypes.keyvault.Vault],
    validate: (props, _args, must) => {
        if (lower(props.properties?.sku?.name) !== "premium") {
            must(`use the Premium SKU (got ${JSON.stringify(props.properties?.sku?.name ?? null)})`);
        }
    },
});

export const azureKeyvaultVaultEnablePurgeProtection = resourcePolicy<VaultProps>({
    name: "azure-keyvault-vault-enable-purge-protection",
    description: "Key vaults enable purge protection, so a deleted vault, key or secret cannot be destroyed before its retention ends. Compared against: the secure default, purge protection on.",
    controls: ["C6.2", "A10"],
    component: "keyvault",
    remediationSteps:
        "Set properties.enablePurgeProtection to true (it cannot be turned off again); without it, one privileged call " +
        "destroys every key and the data encrypted with it.",
    appliesTo: [resourceTypes.keyvault.Vault],
    validate: (props, _args, must) => {
        if (props.properties?.enablePurgeProtection !== true) must("enable purge protection");
    },
});

export const azureKeyvaultVaultConfigureSoftDeleteRetention = resourcePolicy<VaultProps>({
    name: "azure-keyvault-vault-configure-soft-delete-retention",
    description: "Key vaults keep deleted objects for the maximum 90 days, stated explicitly. Compared against: the secure default, Azure's maximum of 90 days.",
    controls: ["A10", "A9"],
    component: "keyvault",
    severity: "medium",
    remediationSteps: "Set properties.softDeleteRetentionInDays to 90 and leave enableSoftDelete on.",
    appliesTo: [resourceTypes.keyvault.Vault],
    validate: (props, _args, must) => {
        const days = props.properties?.softDeleteRetentionInDays;
        if (props.properties?.enableSoftDelete === false || days !== 90) {
            must(`keep deleted objects for 90 days (softDeleteRetentionInDays: 90, got ${JSON.stringify(days ?? null)})`);
        }
    },
});

export const azureKeyvaultVaultEnableRbacAuthorization = resourcePolicy<VaultProps>({
    name: "azure-keyvault-vault-enable-rbac-authorization",
    description:
        "Key vaults authorize the data plane with Azure RBAC (scoped, auditable roles), not access policies, and let no Azure service read secrets around " +
        "RBAC (enabledForDeployment, enabledForDiskEncryption, enabledForTemplateDeployment never true). Compared against: the platform's vault.",
    controls: ["C6.2", "C10.2"],
    component: "keyvault",
    remediationSteps:
        "Set properties.enableRbacAuthorization to true, remove accessPolicies and grant the narrowest built-in role " +
        "(Key Vault Secrets User, Crypto Service Encryption User) on the vault or a single key.",
    appliesTo: [resourceTypes.keyvault.Vault],
    validate: (props, _args, must) => {
        if (props.properties?.enableRbacAuthorization !== true) must("authorize with Azure RBAC (enableRbacAuthorization: true)");
        if ((props.properties?.accessPolicies ?? []).length > 0) must("carry no access policies (RBAC authorization ignores them and they mislead reviewers)");
        const bypasses = (["enabledForDeployment", "enabledForDiskEncryption", "enabledForTemplateDeployment"] as const).filter((k) => props.properties?.[k] === true);
        if (bypasses.length > 0) must(`let no Azure service read its secrets outside RBAC (${bypasses.join(", ")} false)`);
    },
});

export const azureKeyvaultVaultDisablePublicNetworkAccess = resourcePolicy<VaultProps>({
    name: "azure-keyvault-vault-disable-public-network-access",
    description: "Key vaults accept no traffic on their public endpoint: public network access disabled, network ACLs deny by default. Compared against: the secure default, Disabled and Deny (absent = Enabled/Allow).",
    controls: ["C10.3", "A2"],
    component: "keyvault",
    remediationSteps:
        "Set properties.publicNetworkAccess to Disabled and networkAcls.defaultAction to Deny (bypass AzureServices for " +
        "trusted services); reach the vault through its private endpoint.",
    appliesTo: [resourceTypes.keyvault.Vault],
    validate: (props, _args, must) => {
        for (const problem of publicAccessProblems(props.properties)) must(problem);
    },
});

type KeyProps = Inputs<KeyArgs>;

export const azureKeyvaultKeyEnforceHsmKeyType = resourcePolicy<KeyProps>({
    name: "azure-keyvault-key-enforce-hsm-key-type",
    description:
        "Keys are HSM-protected and stay there: RSA-HSM of at least 3072 bits, or EC-HSM on curve P-384, not exportable and without a release policy " +
        "(either lets the key leave the HSM). Compared against: the secure defaults 3072 bits / P-384 (Azure's default is RSA 2048).",
    controls: ["C6.1", "C3.2"],
    component: "keyvault",
    remediationSteps:
        "Create the key with kty RSA-HSM and keySize 3072 or 4096, or kty EC-HSM and curveName P-384 " +
        "(createHsmKey in components/keyvault does this).",
    appliesTo: [resourceTypes.keyvault.Key],
    validate: (props, _args, must) => {
        const { kty, keySize, curveName } = props.properties ?? {};
        if (kty === "RSA-HSM") {
            if (typeof keySize !== "number" || keySize < 3072) must(`use an RSA-HSM size of at least 3072 bits (got ${JSON.stringify(keySize ?? null)}; Azure's default is 2048)`);
        } else if (kty === "EC-HSM") {
            if (curveName !== "P-384") must(`use EC-HSM on curve P-384 (got ${JSON.stringify(curveName ?? null)})`);
        } else {
            must(`be an HSM key, RSA-HSM ≥ 3072 or EC-HSM P-384 (got kty ${JSON.stringify(kty ?? null)})`);
        }
        if (props.properties?.attributes?.exportable === true) must("not be exportable (attributes.exportable false): the key must never leave the HSM");
        if (props.properties?.releasePolicy !== undefined) must("carry no release policy (it lets an attested environment export the key)");
    },
});

export const azureKeyvaultKeyConfigureRotationPolicy = resourcePolicy<KeyProps>({
    name: "azure-keyvault-key-configure-rotation-policy",
    description: "Keys carry a rotation policy: every version expires within a year, and Key Vault rotates the key before that. Compared against: the secure default, maxKeyExpiryDays 365 and a rotate action before expiry.",
    controls: ["C6.2", "C2.3"],
    component: "keyvault",
    remediationSteps:
        "Set properties.rotationPolicy with attributes.expiryTime of at most P1Y and a lifetime action of type rotate " +
        "triggered before expiry (e.g. timeBeforeExpiry P30D); consumers use the versionless key URI.",
    appliesTo: [resourceTypes.keyvault.Key],
    validate: (props, _args, must) => {
        const policy = props.properties?.rotationPolicy;
        const expiry = isoDurationDays(policy?.attributes?.expiryTime);
        if (expiry === undefined || expiry <= 0 || expiry > maxKeyExpiryDays) {
            must(`expire every version within a year (rotationPolicy.attributes.expiryTime ≤ P1Y, got ${JSON.stringify(policy?.attributes?.expiryTime ?? null)})`);
        }
        const rotatesInTime = (policy?.lifetimeActions ?? []).some((action) => {
            if (lower(action.action?.type) !== "rotate") return false;
            const before = isoDurationDays(action.trigger?.timeBeforeExpiry);
            const after = isoDurationDays(action.trigger?.timeAfterCreate);
            if (expiry === undefined) return before !== undefined || after !== undefined;
            return (before !== undefined && before > 0 && before < expiry) || (after !== undefined && after > 0 && after < expiry);
        });
        if (!rotatesInTime) must("rotate automatically before expiry (a rotationPolicy lifetime action of type rotate, triggered before the expiry time)");
    },
});

type SecretProps = Inputs<SecretArgs>;

/** The longest a secret may stay valid from now unless the pack config says otherwise (C2.3): a year, the platform's own maximum. */
const defaultMaxSecretLifetimeDays = 366;

export const azureKeyvaultSecretConfigureExpiry: McpResourcePolicy = {
    ...resourcePolicy<SecretProps>({
        name: "azure-keyvault-secret-configure-expiry",
        description:
            "Secrets carry an expiry date at most maxSecretLifetimeDays from now (366 by default, the platform's own one-year maximum) and a content type, so " +
            "stale credentials surface and consumers know what they hold. Compared against: the config cap.",
        controls: ["C2.3", "C6.3"],
        component: "keyvault",
        severity: "medium",
        remediationSteps:
            "Set properties.attributes.expires (seconds since the epoch) and properties.contentType; createVaultSecret in " +
            "components/keyvault does both.",
        appliesTo: [resourceTypes.keyvault.Secret],
        validate: (props, args, must) => {
            const expires = props.properties?.attributes?.expires;
            const cap = args.getConfig<{ maxSecretLifetimeDays: number }>().maxSecretLifetimeDays;
            if (typeof expires !== "number") must("expire (properties.attributes.expires)");
            else if (expires - Date.now() / 1000 > cap * 86_400) {
                must(`expire within ${cap} days (properties.attributes.expires is ${new Date(expires * 1000).toISOString().slice(0, 10)})`);
            }
            const contentType = props.properties?.contentType;
            if (typeof contentType !== "string" || contentType.trim() === "") must("declare a content type (properties.contentType)");
        },
    }),
    configSchema: {
        properties: {
            ...exemptionsConfigSchema.properties,
            maxSecretLifetimeDays: { type: "integer", minimum: 1, default: defaultMaxSecretLifetimeDays, description: "Longest a Key Vault secret may stay valid, in days from now." },
        },
    },
};

export const azureKeyvaultVaultMissingPrivateEndpoint = stackPolicy({
    name: "azure-keyvault-vault-missing-private-endpoint",
    description:
        "Every key vault and Managed HSM is reachable only through a private endpoint: one exists for it (sub-resource vault " +
        "or managedhsm) and its public endpoint is closed. Compared against: the stack's private endpoints (by dependency, sub-resource vault or managedhsm).",
    controls: ["C10.3", "A2"],
    component: "keyvault",
    remediationSteps:
        "Give the vault a private endpoint in the private-endpoints subnet with a DNS zone group for " +
        "privatelink.vaultcore.azure.net (createPrivateEndpoint in components/shared), and disable public network access.",
    validate: (resources, _args, must) => {
        const targets = resources.filter((r) => r.type === resourceTypes.keyvault.Vault || r.type === resourceTypes.keyvault.ManagedHsm);
        for (const target of targets) {
            const groupId = target.type === resourceTypes.keyvault.Vault ? "vault" : "managedhsm";
            if (privateEndpointsFor(resources, target, groupId).length === 0) {
                must(target, `be reachable through a private endpoint (sub-resource ${groupId})`);
            }
            for (const problem of publicAccessProblems(target.props.properties)) must(target, problem);
        }
    },
});

// Optional control (Managed HSM needs a security-domain ceremony): enforced only when the platform declares it on.
export const azureKeyvaultManagedHsmEnableManagedHsm = stackPolicy({
    name: "azure-keyvault-managedhsm-enable-managed-hsm",
    description: "When the platform turns managedHsm on, the stack has a Managed HSM with purge protection. Compared against: the declaration's optionalControls.managedHsm.",
    controls: ["C6.1"],
    component: "keyvault",
    remediationSteps:
        "Keep features.managedHsm on so components/keyvault creates the Managed HSM (purge protection, private endpoint), " +
        "or turn the feature off with a reason in featureReasons.",
    validate: (resources, _args, must) => {
        const platform = platformOf(resources);
        if (platform?.props?.optionalControls?.managedHsm?.enabled !== true) return;
        const hsms = resources.filter((r) => r.type === resourceTypes.keyvault.ManagedHsm);
        if (hsms.length === 0) must(platform, "declare a Managed HSM, since optionalControls.managedHsm is enabled");
        for (const hsm of hsms) {
            if (hsm.props.properties?.enablePurgeProtection !== true) must(hsm, "enable purge protection");
        }
    },
});
