import { describe, expect, it } from "vitest";

/** Expiry timestamps relative to now: the secret policy compares with the current date. */
const inAMonth = Math.floor(Date.now() / 1000) + 30 * 86_400;
import {
    azureKeyvaultKeyConfigureRotationPolicy,
    azureKeyvaultKeyEnforceHsmKeyType,
    azureKeyvaultManagedHsmEnableManagedHsm,
    azureKeyvaultSecretConfigureExpiry,
    azureKeyvaultVaultConfigureSoftDeleteRetention,
    azureKeyvaultVaultDisablePublicNetworkAccess,
    azureKeyvaultVaultEnablePurgeProtection,
    azureKeyvaultVaultEnableRbacAuthorization,
    azureKeyvaultVaultEnforcePremiumSku,
    azureKeyvaultVaultMissingPrivateEndpoint,
} from "../../policy-pack/policies/keyvault";
import type { PlannedResource } from "../../tools/offline/types";
import { violationsOf } from "../helpers/policy";
import { planned } from "../helpers/resources";

const T = {
    vault: "azure-native:keyvault:Vault",
    key: "azure-native:keyvault:Key",
    secret: "azure-native:keyvault:Secret",
    hsm: "azure-native:keyvault:ManagedHsm",
    pep: "azure-native:network:PrivateEndpoint",
    platform: "mcp:platform:McpPlatform",
};

/** The compliant vault fixture; each test breaks one property. */
const vaultProperties = () => ({
    tenantId: "22222222-2222-2222-2222-222222222222",
    sku: { family: "A", name: "premium" },
    enableRbacAuthorization: true,
    enableSoftDelete: true,
    softDeleteRetentionInDays: 90,
    enablePurgeProtection: true,
    publicNetworkAccess: "Disabled",
    networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
});
const vault = (change: Record<string, unknown> = {}) => planned(T.vault, "kv", { properties: { ...vaultProperties(), ...change } });
const without = (key: string) => {
    const properties: Record<string, unknown> = vaultProperties();
    delete properties[key];
    return planned(T.vault, "kv", { properties });
};

const keyProperties = () => ({
    kty: "RSA-HSM",
    keySize: 3072,
    rotationPolicy: {
        attributes: { expiryTime: "P1Y" },
        lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeBeforeExpiry: "P30D" } }],
    },
});
const key = (change: Record<string, unknown> = {}) => planned(T.key, "key", { properties: { ...keyProperties(), ...change } });
const rotation = (expiryTime: string | undefined, lifetimeActions: unknown[] | undefined) => key({ rotationPolicy: { attributes: { expiryTime }, lifetimeActions } });

describe("azure-keyvault-vault-enforce-premium-sku (C6.1)", () => {
    it("accepts a Premium vault", async () => {
        expect(await violationsOf(azureKeyvaultVaultEnforcePremiumSku, [vault()])).toEqual([]);
    });

    it("rejects a Standard vault", async () => {
        const [violation] = await violationsOf(azureKeyvaultVaultEnforcePremiumSku, [vault({ sku: { family: "A", name: "standard" } })]);
        expect(violation.message).toBe('Vault kv must use the Premium SKU (got "standard") (C6.1).');
    });

    it("rejects a vault without a SKU (the unset case)", async () => {
        expect(await violationsOf(azureKeyvaultVaultEnforcePremiumSku, [without("sku")])).toHaveLength(1);
    });
});

describe("azure-keyvault-vault-enable-purge-protection (C6.2, A10)", () => {
    it("accepts a vault with purge protection", async () => {
        expect(await violationsOf(azureKeyvaultVaultEnablePurgeProtection, [vault()])).toEqual([]);
    });

    it("rejects a vault without purge protection", async () => {
        const [violation] = await violationsOf(azureKeyvaultVaultEnablePurgeProtection, [vault({ enablePurgeProtection: false })]);
        expect(violation.message).toBe("Vault kv must enable purge protection (C6.2, A10).");
    });

    it("rejects a vault that leaves purge protection unset (Azure's default is off)", async () => {
        expect(await violationsOf(azureKeyvaultVaultEnablePurgeProtection, [without("enablePurgeProtection")])).toHaveLength(1);
    });
});

describe("azure-keyvault-vault-configure-soft-delete-retention (A10, A9)", () => {
    it("accepts 90 days of soft delete", async () => {
        expect(await violationsOf(azureKeyvaultVaultConfigureSoftDeleteRetention, [vault()])).toEqual([]);
    });

    it("rejects a shorter retention", async () => {
        const [violation] = await violationsOf(azureKeyvaultVaultConfigureSoftDeleteRetention, [vault({ softDeleteRetentionInDays: 7 })]);
        expect(violation.message).toBe("Vault kv must keep deleted objects for 90 days (softDeleteRetentionInDays: 90, got 7) (A10, A9).");
    });

    it("rejects soft delete turned off", async () => {
        expect(await violationsOf(azureKeyvaultVaultConfigureSoftDeleteRetention, [vault({ enableSoftDelete: false })])).toHaveLength(1);
    });

    it("rejects a retention left unset", async () => {
        expect(await violationsOf(azureKeyvaultVaultConfigureSoftDeleteRetention, [without("softDeleteRetentionInDays")])).toHaveLength(1);
    });
});

describe("azure-keyvault-vault-enable-rbac-authorization (C6.2, C10.2)", () => {
    it("accepts an RBAC vault", async () => {
        expect(await violationsOf(azureKeyvaultVaultEnableRbacAuthorization, [vault()])).toEqual([]);
    });

    it("rejects a vault on access policies", async () => {
        const violations = await violationsOf(azureKeyvaultVaultEnableRbacAuthorization, [
            vault({ enableRbacAuthorization: false, accessPolicies: [{ objectId: "x", permissions: { secrets: ["get"] } }] }),
        ]);
        expect(violations.map((v) => v.message)).toEqual([
            "Vault kv must authorize with Azure RBAC (enableRbacAuthorization: true) (C6.2, C10.2).",
            "Vault kv must carry no access policies (RBAC authorization ignores them and they mislead reviewers) (C6.2, C10.2).",
        ]);
    });

    it("rejects a vault that leaves RBAC authorization unset", async () => {
        expect(await violationsOf(azureKeyvaultVaultEnableRbacAuthorization, [without("enableRbacAuthorization")])).toHaveLength(1);
    });
});

describe("azure-keyvault-vault-disable-public-network-access (C10.3, A2)", () => {
    it("accepts a vault with public access disabled and a deny-by-default firewall", async () => {
        expect(await violationsOf(azureKeyvaultVaultDisablePublicNetworkAccess, [vault()])).toEqual([]);
    });

    it("rejects public network access enabled", async () => {
        const [violation] = await violationsOf(azureKeyvaultVaultDisablePublicNetworkAccess, [vault({ publicNetworkAccess: "Enabled" })]);
        expect(violation.message).toBe('Vault kv must disable public network access (publicNetworkAccess: Disabled, got "Enabled") (C10.3, A2).');
    });

    it("rejects network ACLs that allow by default", async () => {
        const [violation] = await violationsOf(azureKeyvaultVaultDisablePublicNetworkAccess, [vault({ networkAcls: { defaultAction: "Allow" } })]);
        expect(violation.message).toContain("deny by default in its network ACLs");
    });

    it("rejects both settings left unset (Azure's defaults are open)", async () => {
        const properties: Record<string, unknown> = vaultProperties();
        delete properties.publicNetworkAccess;
        delete properties.networkAcls;
        expect(await violationsOf(azureKeyvaultVaultDisablePublicNetworkAccess, [planned(T.vault, "kv", { properties })])).toHaveLength(2);
    });
});

describe("azure-keyvault-key-enforce-hsm-key-type (C6.1, C3.2)", () => {
    it.each([
        ["RSA-HSM 3072", { kty: "RSA-HSM", keySize: 3072 }],
        ["RSA-HSM 4096", { kty: "RSA-HSM", keySize: 4096 }],
        ["EC-HSM P-384", { kty: "EC-HSM", curveName: "P-384", keySize: undefined }],
    ])("accepts %s", async (_label, change) => {
        expect(await violationsOf(azureKeyvaultKeyEnforceHsmKeyType, [key(change)])).toEqual([]);
    });

    it("rejects a software-protected RSA key", async () => {
        const [violation] = await violationsOf(azureKeyvaultKeyEnforceHsmKeyType, [key({ kty: "RSA" })]);
        expect(violation.message).toBe('Key key must be an HSM key, RSA-HSM ≥ 3072 or EC-HSM P-384 (got kty "RSA") (C6.1, C3.2).');
    });

    it("rejects RSA-HSM 2048", async () => {
        expect(await violationsOf(azureKeyvaultKeyEnforceHsmKeyType, [key({ keySize: 2048 })])).toHaveLength(1);
    });

    it("rejects RSA-HSM without a size (Azure's default is 2048)", async () => {
        expect(await violationsOf(azureKeyvaultKeyEnforceHsmKeyType, [key({ keySize: undefined })])).toHaveLength(1);
    });

    it("rejects EC-HSM on P-256", async () => {
        expect(await violationsOf(azureKeyvaultKeyEnforceHsmKeyType, [key({ kty: "EC-HSM", curveName: "P-256" })])).toHaveLength(1);
    });

    it("rejects a key without a type (the unset case)", async () => {
        expect(await violationsOf(azureKeyvaultKeyEnforceHsmKeyType, [planned(T.key, "key", { properties: {} })])).toHaveLength(1);
    });
});

describe("azure-keyvault-key-configure-rotation-policy (C6.2, C2.3)", () => {
    it("accepts rotation 30 days before a one-year expiry", async () => {
        expect(await violationsOf(azureKeyvaultKeyConfigureRotationPolicy, [key()])).toEqual([]);
    });

    it("accepts rotation a fixed time after creation, before expiry", async () => {
        expect(await violationsOf(azureKeyvaultKeyConfigureRotationPolicy, [rotation("P12M", [{ action: { type: "Rotate" }, trigger: { timeAfterCreate: "P11M" } }])])).toEqual([]);
    });

    it("rejects an expiry longer than a year", async () => {
        const [violation] = await violationsOf(azureKeyvaultKeyConfigureRotationPolicy, [rotation("P2Y", [{ action: { type: "rotate" }, trigger: { timeBeforeExpiry: "P30D" } }])]);
        expect(violation.message).toBe('Key key must expire every version within a year (rotationPolicy.attributes.expiryTime ≤ P1Y, got "P2Y") (C6.2, C2.3).');
    });

    it("rejects a policy that only notifies", async () => {
        const violations = await violationsOf(azureKeyvaultKeyConfigureRotationPolicy, [rotation("P1Y", [{ action: { type: "notify" }, trigger: { timeBeforeExpiry: "P30D" } }])]);
        expect(violations.map((v) => v.message)).toEqual([
            "Key key must rotate automatically before expiry (a rotationPolicy lifetime action of type rotate, triggered before the expiry time) (C6.2, C2.3).",
        ]);
    });

    it("rejects a rotation triggered no earlier than expiry", async () => {
        expect(await violationsOf(azureKeyvaultKeyConfigureRotationPolicy, [rotation("P90D", [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P1Y" } }])])).toHaveLength(1);
    });

    it("rejects an unparsable expiry", async () => {
        expect(await violationsOf(azureKeyvaultKeyConfigureRotationPolicy, [rotation("one year", [{ action: { type: "rotate" }, trigger: { timeBeforeExpiry: "P30D" } }])])).toHaveLength(1);
    });

    it("rejects a key without a rotation policy (the unset case), on both counts", async () => {
        expect(await violationsOf(azureKeyvaultKeyConfigureRotationPolicy, [key({ rotationPolicy: undefined })])).toHaveLength(2);
    });
});

describe("azure-keyvault-secret-configure-expiry (C2.3, C6.3)", () => {
    const secret = (properties: Record<string, unknown>) => planned(T.secret, "secret", { properties });

    it("accepts a secret with an expiry and a content type", async () => {
        expect(await violationsOf(azureKeyvaultSecretConfigureExpiry, [secret({ contentType: "text/plain", attributes: { expires: inAMonth } })])).toEqual([]);
    });

    it("rejects a secret without an expiry", async () => {
        const [violation] = await violationsOf(azureKeyvaultSecretConfigureExpiry, [secret({ contentType: "text/plain", attributes: { enabled: true } })]);
        expect(violation.message).toBe("Secret secret must expire (properties.attributes.expires) (C2.3, C6.3).");
    });

    it("rejects a secret with a blank content type", async () => {
        expect(await violationsOf(azureKeyvaultSecretConfigureExpiry, [secret({ contentType: " ", attributes: { expires: inAMonth } })])).toHaveLength(1);
    });

    it("rejects a secret with neither (the unset case)", async () => {
        expect(await violationsOf(azureKeyvaultSecretConfigureExpiry, [secret({})])).toHaveLength(2);
    });
});

describe("azure-keyvault-vault-missing-private-endpoint (C10.3, A2)", () => {
    const endpointFor = (target: PlannedResource, groupId: string) =>
        planned(T.pep, `pep-${target.name}`, { privateLinkServiceConnections: [{ name: "c", groupIds: [groupId] }] }, {
            propertyDependencies: { privateLinkServiceConnections: [target.urn] },
        });

    it("accepts a closed vault with a private endpoint for sub-resource vault", async () => {
        const kv = vault();
        expect(await violationsOf(azureKeyvaultVaultMissingPrivateEndpoint, [kv, endpointFor(kv, "vault")])).toEqual([]);
    });

    it("rejects a vault without a private endpoint", async () => {
        const [violation] = await violationsOf(azureKeyvaultVaultMissingPrivateEndpoint, [vault()]);
        expect(violation.message).toBe("Vault kv must be reachable through a private endpoint (sub-resource vault) (C10.3, A2).");
    });

    it("rejects a private endpoint for another sub-resource", async () => {
        const kv = vault();
        expect(await violationsOf(azureKeyvaultVaultMissingPrivateEndpoint, [kv, endpointFor(kv, "blob")])).toHaveLength(1);
    });

    it("rejects a vault with a private endpoint whose public endpoint stays open", async () => {
        const kv = vault({ publicNetworkAccess: "Enabled" });
        const violations = await violationsOf(azureKeyvaultVaultMissingPrivateEndpoint, [kv, endpointFor(kv, "vault")]);
        expect(violations.map((v) => v.message)).toEqual(['Vault kv must disable public network access (publicNetworkAccess: Disabled, got "Enabled") (C10.3, A2).']);
    });

    it("applies to Managed HSMs too (sub-resource managedhsm)", async () => {
        const hsm = planned(T.hsm, "hsm", { properties: { publicNetworkAccess: "Disabled", networkAcls: { defaultAction: "Deny" } } });
        expect(await violationsOf(azureKeyvaultVaultMissingPrivateEndpoint, [hsm])).toHaveLength(1);
        expect(await violationsOf(azureKeyvaultVaultMissingPrivateEndpoint, [hsm, endpointFor(hsm, "managedhsm")])).toEqual([]);
    });
});

describe("azure-keyvault-managedhsm-enable-managed-hsm (C6.1, optional)", () => {
    const platform = (enabled: boolean) => planned(T.platform, "mcp", { optionalControls: { managedHsm: { enabled } } }, { custom: false });
    const hsm = (enablePurgeProtection?: boolean) => planned(T.hsm, "hsm", { properties: { enablePurgeProtection } });

    it("accepts a purge-protected Managed HSM when the control is on", async () => {
        expect(await violationsOf(azureKeyvaultManagedHsmEnableManagedHsm, [platform(true), hsm(true)])).toEqual([]);
    });

    it("rejects a stack without a Managed HSM when the control is on", async () => {
        const [violation] = await violationsOf(azureKeyvaultManagedHsmEnableManagedHsm, [platform(true)]);
        expect(violation.message).toBe("McpPlatform mcp must declare a Managed HSM, since optionalControls.managedHsm is enabled (C6.1).");
    });

    it("rejects a Managed HSM without purge protection (false or unset)", async () => {
        expect(await violationsOf(azureKeyvaultManagedHsmEnableManagedHsm, [platform(true), hsm(false)])).toHaveLength(1);
        expect(await violationsOf(azureKeyvaultManagedHsmEnableManagedHsm, [platform(true), hsm(undefined)])).toHaveLength(1);
    });

    it("does not require a Managed HSM when the control is off or there is no platform", async () => {
        expect(await violationsOf(azureKeyvaultManagedHsmEnableManagedHsm, [platform(false)])).toEqual([]);
        expect(await violationsOf(azureKeyvaultManagedHsmEnableManagedHsm, [])).toEqual([]);
    });
});

/** One violating case per way of weakening a Key Vault value. */
describe("Key Vault values: each weaker value is rejected", () => {
    it.each(["enabledForDeployment", "enabledForDiskEncryption", "enabledForTemplateDeployment"])("rejects a vault with %s (reads secrets outside RBAC)", async (flag) => {
        expect((await violationsOf(azureKeyvaultVaultEnableRbacAuthorization, [vault({ [flag]: true })])).map((v) => v.message)).toEqual([
            expect.stringContaining(`let no Azure service read its secrets outside RBAC (${flag} false)`),
        ]);
    });

    it.each<[string, Record<string, unknown>, string]>([
        ["RSA-HSM 2048", { kty: "RSA-HSM", keySize: 2048 }, "at least 3072 bits"],
        ["EC-HSM P-256", { kty: "EC-HSM", curveName: "P-256", keySize: undefined }, "curve P-384"],
        ["a software RSA key", { kty: "RSA" }, "be an HSM key"],
        ["a symmetric key", { kty: "oct" }, "be an HSM key"],
        ["an exportable key", { attributes: { exportable: true } }, "not be exportable"],
        ["a key with a release policy", { releasePolicy: { contentType: "application/json; charset=utf-8", data: "e30" } }, "carry no release policy"],
    ])("rejects %s", async (_what, change, expected) => {
        expect((await violationsOf(azureKeyvaultKeyEnforceHsmKeyType, [key(change)])).map((v) => v.message)).toEqual([expect.stringContaining(expected)]);
    });

    it("rejects a secret valid for more than a year from now, and accepts one within", async () => {
        const secret = (expires: number) => planned(T.secret, "secret", { properties: { contentType: "text/plain", attributes: { expires } } });
        expect((await violationsOf(azureKeyvaultSecretConfigureExpiry, [secret(4_102_444_800)])).map((v) => v.message)).toEqual([expect.stringContaining("expire within 366 days")]);
        expect(await violationsOf(azureKeyvaultSecretConfigureExpiry, [secret(Math.floor(Date.now() / 1000) + 300 * 86_400)])).toEqual([]);
    });
});
