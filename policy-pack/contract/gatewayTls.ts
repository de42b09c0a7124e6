/**
 * The API Management TLS settings (C3.1): what components/gateway writes into `customProperties`
 * and what the pack requires there. Keys are Azure's; values are the secure ones.
 */
export const gatewaySettingPrefix = "Microsoft.WindowsAzure.ApiManagement.Gateway";

/** Every key must be present: a PATCH that omits one resets it to the service default (legacy protocols on for services created before April 2018). */
export const requiredGatewayTlsSettings: Readonly<Record<string, boolean>> = {
    [`${gatewaySettingPrefix}.Security.Protocols.Ssl30`]: false,
    [`${gatewaySettingPrefix}.Security.Protocols.Tls10`]: false,
    [`${gatewaySettingPrefix}.Security.Protocols.Tls11`]: false,
    [`${gatewaySettingPrefix}.Security.Protocols.Tls13`]: true,
    [`${gatewaySettingPrefix}.Security.Backend.Protocols.Ssl30`]: false,
    [`${gatewaySettingPrefix}.Security.Backend.Protocols.Tls10`]: false,
    [`${gatewaySettingPrefix}.Security.Backend.Protocols.Tls11`]: false,
    [`${gatewaySettingPrefix}.Security.Backend.Protocols.Tls13`]: true,
    [`${gatewaySettingPrefix}.Security.Ciphers.TripleDes168`]: false,
};

/**
 * CBC and static-RSA (no forward secrecy) suites. The classic tiers accept cipher changes, so they
 * are set off there; the v2 tiers reject any change ("don't support changes to the default cipher
 * configuration") and ship without them.
 */
export const legacyCipherSuites = [
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_RSA_WITH_AES_256_CBC_SHA256",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
] as const;

export const cipherSettingKey = (suite: string): string => `${gatewaySettingPrefix}.Security.Ciphers.${suite}`;
