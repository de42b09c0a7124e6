import { NetworkRuleBypassOptions } from "@pulumi/azure-native/types/enums/containerregistry";

/**
 * Trusted Azure services may pass the registry's network rules only when Defender for Containers
 * scans it: Defender reaches a private registry as a trusted service. Otherwise nothing bypasses
 * the private endpoint.
 */
export function decideNetworkBypass(defenderForContainers: boolean): NetworkRuleBypassOptions {
    return defenderForContainers ? NetworkRuleBypassOptions.AzureServices : NetworkRuleBypassOptions.None;
}

/** ACR accepts 0–365 days for the untagged-manifest retention policy; 0 would delete at once. */
export function validateRetentionDays(days: number): void {
    if (!Number.isInteger(days) || days < 1 || days > 365) {
        throw new Error(`untaggedRetentionDays: got ${days}, expected a whole number of days from 1 to 365`);
    }
}
