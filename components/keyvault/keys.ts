import * as pulumi from "@pulumi/pulumi";
import * as keyvault from "@pulumi/azure-native/keyvault";
import { defaultKeyLifetime, expiryTimestamp, KeyLifetime, validateKeyLifetime, validateSecretLifetime } from "./rotation";

/** The vault a key or secret goes into. */
export interface VaultRef {
    readonly name: pulumi.Input<string>;
    readonly resourceGroupName: pulumi.Input<string>;
}

export interface HsmKeyArgs {
    readonly vault: VaultRef;
    /** Key name in the vault: one key per purpose (C6.2), e.g. `registry-cmk`. */
    readonly keyName: string;
    /** `RSA-HSM` (3072 or 4096 bits) or `EC-HSM` on P-384. Defaults to RSA-HSM. */
    readonly keyType?: "RSA-HSM" | "EC-HSM";
    /** RSA modulus size; ignored for EC-HSM. Defaults to 3072. */
    readonly keySize?: 3072 | 4096;
    /** Operations the key allows. Defaults to wrapKey/unwrapKey for RSA (envelope encryption), sign/verify for EC. */
    readonly keyOps?: readonly keyvault.JsonWebKeyOperation[];
    /** Expiry and rotation (ISO 8601). Defaults to expire after P1Y, rotate P30D before expiry. */
    readonly lifetime?: KeyLifetime;
    /** Tags of the key: the platform tags (C6.4). Required, so no caller can forget them. */
    readonly tags: Record<string, string>;
    /** `protect: true` (prod). Defaults to false. */
    readonly protect?: boolean;
}

/**
 * An HSM-protected key (C6.1) with a rotation policy (C6.2, C2.3): Key Vault creates the next
 * version `rotateBeforeExpiry` before the current one expires, and every version expires after at
 * most a year. Consumers reference the versionless URI, so rotation needs no redeploy.
 *
 * Created through ARM (`Microsoft.KeyVault/vaults/keys/write`): a control-plane call, allowed by the
 * deployer's management role and not subject to the vault firewall, so no data-plane role and no
 * network line of sight are needed. ARM creates keys but never updates them: a changed size or
 * policy after creation is applied with the data plane (`az keyvault key rotation-policy update`)
 * from inside the VNet. The first version's expiry is stamped at creation and ignored afterwards, so
 * a plan is stable; Key Vault stamps every later version itself from the rotation policy.
 */
export function createHsmKey(parent: pulumi.Resource, name: string, args: HsmKeyArgs): keyvault.Key {
    const lifetime = args.lifetime ?? defaultKeyLifetime;
    const { expiryDays } = validateKeyLifetime(args.keyName, lifetime);
    const keyType = args.keyType ?? keyvault.JsonWebKeyType.RSA_HSM;
    const isRsa = keyType === keyvault.JsonWebKeyType.RSA_HSM;
    const shape = isRsa
        ? { kty: keyvault.JsonWebKeyType.RSA_HSM, keySize: args.keySize ?? 3072 }
        : { kty: keyvault.JsonWebKeyType.EC_HSM, curveName: keyvault.JsonWebKeyCurveName.P_384 };
    const keyOps =
        args.keyOps ??
        (isRsa
            ? [keyvault.JsonWebKeyOperation.WrapKey, keyvault.JsonWebKeyOperation.UnwrapKey]
            : [keyvault.JsonWebKeyOperation.Sign, keyvault.JsonWebKeyOperation.Verify]);
    return new keyvault.Key(
        name,
        {
            keyName: args.keyName,
            vaultName: args.vault.name,
            resourceGroupName: args.vault.resourceGroupName,
            tags: args.tags,
            properties: {
                ...shape,
                keyOps: [...keyOps],
                attributes: { enabled: true, exportable: false, expires: expiryTimestamp(new Date(), expiryDays) },
                rotationPolicy: {
                    attributes: { expiryTime: lifetime.expiresAfter },
                    lifetimeActions: [
                        { action: { type: keyvault.KeyRotationPolicyActionType.Rotate }, trigger: { timeBeforeExpiry: lifetime.rotateBeforeExpiry } },
                    ],
                },
            },
        },
        { parent, protect: args.protect ?? false, ignoreChanges: ["properties.attributes.expires"] },
    );
}

export interface VaultSecretArgs {
    readonly vault: VaultRef;
    /** Secret name in the vault (lowercase letters, digits, '-'). */
    readonly secretName: string;
    /** The value; wrapped in `pulumi.secret` again here so it can never reach state in plain text. */
    readonly value: pulumi.Output<string>;
    /** MIME type or a short description of the value, e.g. `text/plain` or `application/x-pkcs12`. */
    readonly contentType: string;
    /** Days until the secret expires (1–365). */
    readonly expiresInDays: number;
    /** Tags of the secret: the platform tags (C6.4). Required, so no caller can forget them. */
    readonly tags: Record<string, string>;
    /** `protect: true` (prod). Defaults to false. */
    readonly protect?: boolean;
}

/**
 * A Key Vault secret (C6.3) that always carries a content type and an expiry (C2.3). The expiry is
 * stamped when the secret is created and then ignored, so plans stay stable; rotation writes a new
 * version with a new expiry through the rotation runbook (Key Vault's near-expiry event), not
 * through a redeploy. Like keys, secrets are written through ARM (control plane).
 */
export function createVaultSecret(parent: pulumi.Resource, name: string, args: VaultSecretArgs): keyvault.Secret {
    validateSecretLifetime(args.secretName, args.expiresInDays);
    if (!args.contentType.trim()) throw new Error(`secret ${args.secretName}: contentType got "", expected a MIME type or description`);
    return new keyvault.Secret(
        name,
        {
            secretName: args.secretName,
            vaultName: args.vault.name,
            resourceGroupName: args.vault.resourceGroupName,
            tags: args.tags,
            properties: {
                value: pulumi.secret(args.value),
                contentType: args.contentType,
                attributes: { enabled: true, expires: expiryTimestamp(new Date(), args.expiresInDays) },
            },
        },
        { parent, protect: args.protect ?? false, ignoreChanges: ["properties.attributes.expires"] },
    );
}
