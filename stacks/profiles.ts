/**
 * Dev and prod profiles: the defaults a stack gets before its own config is applied. Secure values
 * are the defaults in both; the profiles differ only in cost, scale and in how hard a drift blocks.
 * An optional control that is off carries a reason, which the plan and docs/controls.md show.
 */
import { featureNames, type FeatureName } from "../policy-pack/contract/features";
import type { McpPlatformConfig } from "../components/platform/config";

export const profileNames = ["dev", "prod"] as const;
export type ProfileName = (typeof profileNames)[number];

// The feature table (which flag carries which control) has one home, in the pack's contract.
export { featureNames, type FeatureName };

export interface ProfileDefaults {
    features: Record<FeatureName, boolean>;
    featureReasons: Partial<Record<FeatureName, string>>;
    gateway: Omit<McpPlatformConfig["gateway"], "publisherEmail" | "publisherName">;
    edge: Omit<McpPlatformConfig["edge"], "hostname" | "certificateSecretId">;
    monitoring: McpPlatformConfig["monitoring"];
    /** `sandbox` has no profile default (it needs an image); it comes from the stack config only. */
    runtime: McpPlatformConfig["runtime"];
    conditionalAccessState: McpPlatformConfig["conditionalAccessState"];
    protectStatefulResources: boolean;
}

const managedHsmReason =
    "Managed HSM activation needs an offline security-domain ceremony (3+ officers' RSA keys) that a " +
    "deployment cannot perform; Key Vault Premium keys are HSM-backed (FIPS 140-3 Level 3) and carry C6.1";

export const profiles: Record<ProfileName, ProfileDefaults> = {
    dev: {
        features: {
            ddosProtection: false,
            conditionalAccess: false,
            managedHsm: false,
            dynamicSessions: false,
            defenderForContainers: false,
            vnetFlowLogs: false,
            egressFirewall: false,
        },
        featureReasons: {
            ddosProtection: "dev profile: a DDoS Network Protection plan bills per month per plan; the WAF and its per-IP rate rule still apply",
            conditionalAccess: "dev profile: Conditional Access needs Entra ID P1 in the tenant; enable it where the licence exists",
            managedHsm: managedHsmReason,
            dynamicSessions: "no code-executing tools are configured; every tool runs in its own limited container",
            defenderForContainers: "dev profile: Defender for Containers bills per vCore; enable it on the subscription used for prod",
            vnetFlowLogs: "dev profile: flow logs need a storage account and Traffic Analytics cost; NSG diagnostics still go to the workspace",
            egressFirewall:
                "dev profile: Azure Firewall Standard bills about 900 USD a month; every MCP tier's NSG still denies Internet outbound, " +
                "so no server may declare egress in dev",
        },
        gateway: {
            sku: "Developer",
            capacity: 1,
            zones: [],
            promptShieldsFailureMode: "closed",
            manifestMode: "detect",
            maxRequestBytes: 1_048_576,
            sessionIdleMinutes: 30,
            sessionAbsoluteMinutes: 480,
            allowedOrigins: [],
        },
        edge: { zones: [], minCapacity: 0, maxCapacity: 2 },
        monitoring: { retentionDays: 30 },
        runtime: { zoneRedundant: false },
        conditionalAccessState: "enabledForReportingButNotEnforced",
        protectStatefulResources: false,
    },
    prod: {
        features: {
            ddosProtection: true,
            conditionalAccess: true,
            managedHsm: false,
            dynamicSessions: false,
            defenderForContainers: true,
            vnetFlowLogs: true,
            egressFirewall: true,
        },
        featureReasons: {
            managedHsm: managedHsmReason,
            dynamicSessions: "no code-executing tools are configured; every tool runs in its own limited container",
        },
        gateway: {
            sku: "Premium",
            capacity: 1,
            // One unit cannot span zones; raise capacity to 3 and set zones [1, 2, 3] for a zonal gateway.
            zones: [],
            promptShieldsFailureMode: "closed",
            manifestMode: "block",
            maxRequestBytes: 1_048_576,
            sessionIdleMinutes: 30,
            sessionAbsoluteMinutes: 480,
            allowedOrigins: [],
        },
        edge: { zones: ["1", "2", "3"], minCapacity: 2, maxCapacity: 10 },
        monitoring: { retentionDays: 365 },
        runtime: { zoneRedundant: true },
        conditionalAccessState: "enabled",
        protectStatefulResources: true,
    },
};
