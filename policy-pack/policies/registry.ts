import type { RegistryArgs } from "@pulumi/azure-native/containerregistry";
import type { Inputs } from "../lib/inputs";
import { platformOf } from "../contract/declaration";
import { resourcePolicy, stackPolicy } from "../lib/policy";
import { privateEndpointsFor } from "../lib/references";
import { resourceTypes } from "../contract/resourceTypes";

/**
 * Container registry policies (C12.1, C12.3, C12.4, C3.2, C11.2). Type tokens only.
 */
type RegistryProps = Inputs<RegistryArgs>;

const remediation = "Use the McpRegistry component (components/registry), which sets this by default.";

export const azureContainerregistryRegistryEnforcePremiumSku = resourcePolicy<RegistryProps>({
    name: "azure-containerregistry-registry-enforce-premium-sku",
    description: "Container registries use the Premium SKU, the only tier with private endpoints, customer-managed keys and an export policy. Compared against: the secure default, Premium (the only tier with private endpoints and customer-managed keys).",
    controls: ["C12.3", "C10.3"],
    component: "registry",
    remediationSteps: `Set sku.name to Premium. ${remediation}`,
    appliesTo: [resourceTypes.containerregistry.Registry],
    validate: (props, _args, must) => {
        if (props.sku?.name !== "Premium") must(`use the Premium SKU (got ${props.sku?.name ?? "nothing"})`);
    },
});

export const azureContainerregistryRegistryDisableAdminUser = resourcePolicy<RegistryProps>({
    name: "azure-containerregistry-registry-disable-admin-user",
    description: "Container registries have the admin user disabled (a shared username and password with push rights). Compared against: the secure default, adminUserEnabled false (absent is a violation).",
    controls: ["C12.3", "C6.3"],
    component: "registry",
    remediationSteps: `Set adminUserEnabled to false; pull with managed identities (AcrPull). ${remediation}`,
    appliesTo: [resourceTypes.containerregistry.Registry],
    validate: (props, _args, must) => {
        // Absent is Azure's default (off), but the policy fails closed: the setting must be explicit.
        if (props.adminUserEnabled !== false) must(`disable the admin user (adminUserEnabled false, got ${props.adminUserEnabled ?? "nothing"})`);
    },
});

export const azureContainerregistryRegistryDisableAnonymousPull = resourcePolicy<RegistryProps>({
    name: "azure-containerregistry-registry-disable-anonymous-pull",
    description: "Container registries refuse anonymous (unauthenticated) pulls. Compared against: the secure default, anonymousPullEnabled false.",
    controls: ["C12.3"],
    component: "registry",
    remediationSteps: `Set anonymousPullEnabled to false. ${remediation}`,
    appliesTo: [resourceTypes.containerregistry.Registry],
    validate: (props, _args, must) => {
        if (props.anonymousPullEnabled !== false) must(`disable anonymous pull (anonymousPullEnabled false, got ${props.anonymousPullEnabled ?? "nothing"})`);
    },
});

export const azureContainerregistryRegistryDisablePublicNetworkAccess = resourcePolicy<RegistryProps>({
    name: "azure-containerregistry-registry-disable-public-network-access",
    description:
        "Container registries are not reachable from public networks (publicNetworkAccess Disabled), and a network rule set, when stated, denies by default " +
        "with no IP rule (so re-enabling public access later opens nothing). Compared against: the secure default, deny.",
    controls: ["C12.3", "C10.3", "A2"],
    component: "registry",
    remediationSteps: `Set publicNetworkAccess to Disabled and reach the registry through its private endpoint. ${remediation}`,
    appliesTo: [resourceTypes.containerregistry.Registry],
    validate: (props, _args, must) => {
        if (props.publicNetworkAccess !== "Disabled") {
            must(`disable public network access (publicNetworkAccess Disabled, got ${props.publicNetworkAccess ?? "nothing, i.e. Enabled"})`);
        }
        const rules = props.networkRuleSet;
        if (rules !== undefined && (rules.defaultAction !== "Deny" || (rules.ipRules ?? []).length > 0)) {
            must(`deny by default in its network rule set (networkRuleSet.defaultAction Deny with no ipRules, got ${JSON.stringify(rules.defaultAction ?? null)})`);
        }
    },
});

export const azureContainerregistryRegistryDisableExport = resourcePolicy<RegistryProps>({
    name: "azure-containerregistry-registry-disable-export",
    description: "Container registries forbid exporting artifacts (policies.exportPolicy.status disabled). Compared against: the secure default, exportPolicy disabled (absent = enabled).",
    controls: ["C12.3", "C12.1"],
    component: "registry",
    remediationSteps: `Set policies.exportPolicy.status to disabled (requires publicNetworkAccess Disabled). ${remediation}`,
    appliesTo: [resourceTypes.containerregistry.Registry],
    validate: (props, _args, must) => {
        const status = props.policies?.exportPolicy?.status;
        if (status !== "disabled") must(`disable artifact export (policies.exportPolicy.status disabled, got ${status ?? "nothing, i.e. enabled"})`);
    },
});

const versionlessKeyUri = /^https:\/\/[a-z0-9-]+\.(vault|managedhsm)\.azure\.net\/keys\/[A-Za-z0-9-]+\/?$/;

export const azureContainerregistryRegistryEnableCmkEncryption = resourcePolicy<RegistryProps>({
    name: "azure-containerregistry-registry-enable-cmk-encryption",
    description:
        "Container registries are encrypted with a customer-managed key (encryption.status enabled, a versionless Key Vault key " +
        "URI) read through a user-assigned identity. Compared against: the secure default, a versionless Key Vault key and a user-assigned identity.",
    controls: ["C3.2", "C6.4", "C12.3"],
    component: "registry",
    remediationSteps:
        "Set encryption.status to enabled with keyVaultProperties.keyIdentifier = the versionless key URI and " +
        "keyVaultProperties.identity = the client id of a user-assigned identity attached to the registry and granted " +
        `Key Vault Crypto Service Encryption User on the key. ${remediation}`,
    appliesTo: [resourceTypes.containerregistry.Registry],
    validate: (props, _args, must) => {
        const encryption = props.encryption;
        if (encryption?.status !== "enabled") {
            must(`be encrypted with a customer-managed key (encryption.status enabled, got ${encryption?.status ?? "nothing"})`);
            return;
        }
        const key = encryption.keyVaultProperties?.keyIdentifier;
        if (!key || !versionlessKeyUri.test(key)) {
            must(`name its key by a versionless Key Vault key URI (got ${key ?? "nothing"}), so rotated versions are used`);
        }
        const userAssigned = Object.keys(props.identity?.userAssignedIdentities ?? {});
        if (!String(props.identity?.type ?? "").includes("UserAssigned") || userAssigned.length === 0) {
            must("carry a user-assigned identity for its encryption key (identity.type UserAssigned)");
        }
        if (!encryption.keyVaultProperties?.identity) must("name the user-assigned identity that reads its key (keyVaultProperties.identity)");
    },
});

export const azureContainerregistryRegistryMissingPrivateEndpoint = stackPolicy({
    name: "azure-containerregistry-registry-missing-private-endpoint",
    description: "Every container registry has a private endpoint for its `registry` sub-resource, its only network path. Compared against: the stack's private endpoints (by dependency, sub-resource registry).",
    controls: ["C10.3", "A2", "C12.3"],
    component: "registry",
    remediationSteps:
        "Create a private endpoint with groupIds [registry] whose privateLinkServiceId is the registry's id, with a DNS zone group " +
        "on privatelink.azurecr.io (createPrivateEndpoint in components/shared/privateEndpoint.ts).",
    validate: (resources, _args, must) => {
        for (const registry of resources.filter((r) => r.type === resourceTypes.containerregistry.Registry)) {
            if (privateEndpointsFor(resources, registry, "registry").length === 0) {
                must(registry, "be reachable through a private endpoint (groupIds [registry]) that targets it");
            }
        }
    },
});

export const azureDefenderContainersEnablePlan = stackPolicy({
    name: "azure-defender-containers-enable-plan",
    description:
        "When the platform declares optionalControls.defenderForContainers enabled, the stack turns on the Defender for " +
        "Containers plan (security Pricing Containers, tier Standard). Compared against: the declaration's optionalControls.defenderForContainers.",
    controls: ["C11.2", "C12.4"],
    component: "registry",
    remediationSteps:
        "Set features.defenderForContainers (the McpRegistry component then creates the Pricing), or turn the feature off with a " +
        "featureReasons.defenderForContainers sentence.",
    validate: (resources, _args, must) => {
        const platform = platformOf(resources);
        // Optional control: enforced only when the platform declares it on.
        if (platform?.props.optionalControls?.defenderForContainers?.enabled !== true) return;
        const plan = resources.find(
            (r) => r.type === resourceTypes.security.Pricing && r.props.pricingName === "Containers" && r.props.pricingTier === "Standard",
        );
        if (!plan) must(platform, "turn on Microsoft Defender for Containers (security Pricing Containers, tier Standard), as it declares");
    },
});
