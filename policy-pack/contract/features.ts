/**
 * The platform's optional controls: the one table of which feature flag carries which control.
 * `stacks/` validates the flags, `components/platform` declares them to the pack, the pack enforces
 * a feature's policies when the declaration says it is on, and `tools/controls` derives each
 * control's status from this table (docs/controls.md).
 *
 * - `carries`: controls that exist only when the feature is on; their status is "optional".
 * - `strengthens`: controls that a mandatory policy enforces on every stack anyway; the feature
 *   adds a stronger form (their status stays "enforced").
 */
export interface FeatureDefinition {
    readonly carries: readonly string[];
    readonly strengthens: readonly string[];
    /** Why the control is optional rather than enforced everywhere: the constraint (licence, cost, ceremony). */
    readonly why: string;
}

export const platformFeatures = {
    ddosProtection: {
        carries: ["C4.4"],
        strengthens: [],
        why: "A DDoS Network Protection plan bills per month per plan: `features.ddosProtection` (prod on); the WAF and its per-IP rate rule are enforced on every stack.",
    },
    conditionalAccess: {
        carries: ["C2.4", "A3"],
        strengthens: ["C7.4"],
        why: "Conditional Access needs Entra ID P1 in the tenant: `features.conditionalAccess` (prod on; report-only allowed in dev).",
    },
    managedHsm: {
        carries: [],
        strengthens: ["C6.1"],
        why: "Managed HSM activation needs an offline security-domain ceremony; Key Vault Premium HSM keys carry C6.1 on every stack.",
    },
    dynamicSessions: {
        carries: [],
        strengthens: ["C10.1"],
        why: "Hyper-V isolated sessions are for code-executing tools only; every tool runs in its own limited container on every stack.",
    },
    defenderForContainers: {
        carries: ["C11.2"],
        strengthens: ["C12.4"],
        why: "Defender for Containers bills per vCore: `features.defenderForContainers` (prod on); the dependency audit runs in the template's CI on every change.",
    },
    vnetFlowLogs: {
        carries: ["C4.4"],
        strengthens: [],
        why: "VNet flow logs need a storage account and Traffic Analytics cost: `features.vnetFlowLogs` (prod on); NSG diagnostics go to the workspace on every stack.",
    },
    egressFirewall: {
        carries: [],
        strengthens: ["C10.3", "A2"],
        why:
            "Azure Firewall Standard bills about USD 912 a month: `features.egressFirewall` (prod on) allows each server's declared hosts; " +
            "every MCP tier's NSG denies Internet outbound on every stack, and no server may declare egress without the firewall.",
    },
} as const satisfies Record<string, FeatureDefinition>;

export type FeatureName = keyof typeof platformFeatures;
export const featureNames = Object.keys(platformFeatures) as FeatureName[];

/** Every control a feature touches (carried or strengthened), as the platform declaration lists them. */
export function controlsOf(feature: FeatureName): string[] {
    const { carries, strengthens } = platformFeatures[feature] as FeatureDefinition;
    return [...carries, ...strengthens];
}

/** The features that carry a control (empty when the control does not depend on a flag). */
export function featuresCarrying(controlId: string): FeatureName[] {
    return featureNames.filter((f) => (platformFeatures[f] as FeatureDefinition).carries.includes(controlId));
}
