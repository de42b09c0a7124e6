import type { PolicyConfigSchema, PolicyResource } from "@pulumi/policy";
import { declaredProfile } from "../contract/declaration";
import { exemptionsConfigSchema } from "./exemptions";

/**
 * The profile a stack runs under, for the policies whose rule differs between dev and prod. The
 * platform component declares it; a program without that component (one that uses the pack as a
 * gate for its own resources) declares it with the pack config of the policy:
 *
 *     { "<policy name>": { "profile": "dev" } }
 *
 * Without either the profile is unknown and the prod rule applies (fail closed), and the message
 * says how to declare it.
 */
const profiles = ["dev", "prod"] as const;

export function effectiveProfile(resources: readonly PolicyResource[], config: { profile?: string }): string | undefined {
    return declaredProfile(resources) ?? config.profile;
}

/** How a message names an undeclared profile. */
export const undeclaredProfile = "an undeclared profile (treated as prod; a stack without the platform component declares it with the pack config profile)";

/** The config schema of a profile-dependent policy: exemptions plus `profile`. */
export const profileConfigSchema: PolicyConfigSchema = {
    properties: {
        ...exemptionsConfigSchema.properties,
        profile: { type: "string", enum: [...profiles], description: "The stack's profile when it has no McpPlatform component to declare it." },
    },
};
