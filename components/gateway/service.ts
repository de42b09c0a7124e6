/**
 * Pure decisions about the API Management service itself (tier, TLS settings, network access),
 * each with the Azure constraint that forces it.
 */

import { cipherSettingKey, gatewaySettingPrefix, legacyCipherSuites, requiredGatewayTlsSettings } from "../../policy-pack/contract/gatewayTls";

export type GatewaySku = "Developer" | "Premium" | "PremiumV2";

/**
 * The full `customProperties` set for `sku`. HTTP/2 stays off: the only client is the Application
 * Gateway, which speaks HTTP/1.1 to its backends, so enabling it would add protocol surface
 * (rapid-reset class attacks) that no caller uses.
 */
export function gatewayCustomProperties(sku: GatewaySku): Record<string, string> {
    const required = Object.fromEntries(Object.entries(requiredGatewayTlsSettings).map(([key, on]) => [key, on ? "True" : "False"]));
    // The v2 tiers reject any cipher change (their defaults already exclude the legacy suites).
    const ciphers = sku === "PremiumV2" ? {} : Object.fromEntries(legacyCipherSuites.map((suite) => [cipherSettingKey(suite), "False"]));
    return { ...required, ...ciphers, [`${gatewaySettingPrefix}.Protocols.Server.Http2`]: "False" };
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
