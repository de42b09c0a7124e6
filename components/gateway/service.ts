/**
 * Pure decisions about the API Management service itself (tier, TLS settings, network access),
 * each with the Azure constraint that forces it.
 */

export type GatewaySku = "Developer" | "Premium" | "PremiumV2";

const prefix = "Microsoft.WindowsAzure.ApiManagement.Gateway";

/**
 * The TLS settings every gateway must carry, with the value each must have. `customProperties` is
 * sent as a full set: a PATCH that omits a key resets it to the service default, and for services
 * created before April 2018 that default re-enables the legacy protocol (C3.1).
 */
const requiredTlsSettings: Readonly<Record<string, "True" | "False">> = {
    [`${prefix}.Security.Protocols.Ssl30`]: "False",
    [`${prefix}.Security.Protocols.Tls10`]: "False",
    [`${prefix}.Security.Protocols.Tls11`]: "False",
    [`${prefix}.Security.Protocols.Tls13`]: "True",
    [`${prefix}.Security.Backend.Protocols.Ssl30`]: "False",
    [`${prefix}.Security.Backend.Protocols.Tls10`]: "False",
    [`${prefix}.Security.Backend.Protocols.Tls11`]: "False",
    [`${prefix}.Security.Backend.Protocols.Tls13`]: "True",
    [`${prefix}.Security.Ciphers.TripleDes168`]: "False",
};

/**
 * CBC and static-RSA (no forward secrecy) suites, switched off where the tier lets us: the classic
 * tiers accept cipher changes; the v2 tiers reject them ("don't support changes to the default
 * cipher configuration"), so PremiumV2 keeps its (already modern) defaults.
 */
const legacyCipherSuites = [
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
];

/**
 * The full `customProperties` set for `sku`. HTTP/2 stays off: the only client is the Application
 * Gateway, which speaks HTTP/1.1 to its backends, so enabling it would add protocol surface
 * (rapid-reset class attacks) that no caller uses.
 */
export function gatewayCustomProperties(sku: GatewaySku): Record<string, string> {
    const ciphers = sku === "PremiumV2" ? {} : Object.fromEntries(legacyCipherSuites.map((c) => [`${prefix}.Security.Ciphers.${c}`, "False"]));
    return { ...requiredTlsSettings, ...ciphers, [`${prefix}.Protocols.Server.Http2`]: "False" };
}

/**
 * `publicNetworkAccess` for a VNet-injected gateway: `Enabled`. `Disabled` only means "private
 * endpoints are the exclusive access method", and the classic tiers (a) reject `Disabled` when the
 * service is created and (b) support no inbound private endpoint on a VNet-injected instance, so
 * `Disabled` would fail the deployment or cut the service off. Internal mode already keeps the
 * gateway, portal and management endpoints off the internet; the setting changes nothing on them.
 */
export function decidePublicNetworkAccess(): "Enabled" {
    return "Enabled";
}

/** Availability zones where the tier supports them (Premium with ≥ 2 units; Developer has none). */
export function decideZones(sku: GatewaySku, capacity: number, zones: readonly string[]): string[] | undefined {
    if (sku !== "Premium" || zones.length === 0 || capacity < zones.length) return undefined;
    return [...zones];
}

/** Relative A-record names in `azure-api.net` for an internal service: gateway, management, SCM. */
export function privateDnsRecordNames(serviceName: string): string[] {
    return [serviceName, `${serviceName}.management`, `${serviceName}.scm`];
}
