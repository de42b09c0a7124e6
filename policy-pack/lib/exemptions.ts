import type { PolicyConfigSchema } from "@pulumi/policy";

/**
 * Exemptions: a policy can be waived for one resource (by logical name) only with a written reason.
 * The engine validates the config against this schema; the offline plan lists every exemption used.
 */
export interface Exemption {
    readonly resource: string;
    readonly reason: string;
}

export const exemptionsConfigSchema: PolicyConfigSchema = {
    properties: {
        exemptions: {
            type: "array",
            description: "Resources (by logical name) this policy does not apply to, each with the reason.",
            items: {
                type: "object",
                properties: {
                    resource: { type: "string", minLength: 1 },
                    reason: { type: "string", minLength: 20 },
                },
                required: ["resource", "reason"],
                additionalProperties: false,
            },
            default: [],
        },
    },
};

export function exemptionFor(config: unknown, resourceName: string): Exemption | undefined {
    const list = (config as { exemptions?: Exemption[] } | undefined)?.exemptions ?? [];
    return list.find((e) => e.resource === resourceName && typeof e.reason === "string" && e.reason.trim().length >= 20);
}

export interface UsedExemption {
    readonly policy: string;
    readonly urn: string;
    readonly reason: string;
}

// The engine has no channel for "exempted", so the offline plan collects them here.
const used: UsedExemption[] = [];

export function recordExemption(policy: string, urn: string, reason: string): void {
    used.push({ policy, urn, reason });
}

/** Returns and clears the exemptions recorded since the last call. */
export function takeUsedExemptions(): UsedExemption[] {
    return used.splice(0, used.length);
}
