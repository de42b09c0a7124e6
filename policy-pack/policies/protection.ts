import { McpStackPolicy, stackPolicy } from "../lib/policy";
import { effectiveProfile, profileConfigSchema, undeclaredProfile } from "../lib/profile";
import { resourceTypes } from "../contract/resourceTypes";

/**
 * Stateful resources that hold keys or audit evidence cannot be deleted by a `pulumi destroy` or a
 * refactor in prod: they carry `protect: true` (A9 forensic readiness, A10 recovery). Only the dev
 * profile may leave them unprotected; a stack without the platform component is treated as prod.
 */
export const protectedTypes = [
    resourceTypes.keyvault.Vault,
    resourceTypes.keyvault.ManagedHsm,
    resourceTypes.operationalinsights.Workspace,
] as const;

export const azureStatefulResourceEnableDeletionProtection: McpStackPolicy = {
    ...stackPolicy({
        name: "azure-stateful-resource-enable-deletion-protection",
        description:
            "Outside the dev profile, every key vault, Managed HSM and Log Analytics workspace is created with protect: true, " +
            "so keys and audit data survive a destroy or a mistaken refactor. Compared against: the declared profile (McpPlatform, or the pack config " +
            "profile for a stack without it); an undeclared profile gets the prod rule.",
        controls: ["A9", "A10"],
        component: "platform",
        remediationSteps:
            "Use the prod profile's protectStatefulResources (components/keyvault and components/monitoring set protect), or " +
            "pass { protect: true } to the resource; removing it later takes `pulumi state unprotect` and a review.",
        validate: (resources, args, must) => {
            const profile = effectiveProfile(resources, args.getConfig<{ profile?: string }>());
            if (profile === "dev") return;
            for (const resource of resources.filter((r) => (protectedTypes as readonly string[]).includes(r.type))) {
                if (resource.opts?.protect !== true) must(resource, `be protected from deletion outside dev (protect: true; the stack runs under ${profile ? `the ${profile} profile` : undeclaredProfile})`);
            }
        },
    }),
    configSchema: profileConfigSchema,
};

/** Reasons that say nothing: an optional control switched off needs the why, in words a reviewer can check. */
const placeholderReason = /^(n\/?a|none|todo|tbd|-|off|disabled|no|x+)$/i;

export const mcpPlatformOptionalControlEnforceReason: McpStackPolicy = {
    ...stackPolicy({
        name: "mcp-platform-optional-control-enforce-reason",
        description:
            "Every optional control the platform declares off carries a reason (at least a sentence, not a placeholder such as TODO or n/a), and outside " +
            "the dev profile that reason is not the dev profile's own default (\"dev profile: …\"). Compared against: the declaration's optionalControls and profile.",
        controls: ["C2.4", "A3", "C4.4", "C11.2", "C6.1", "C10.1"],
        component: "platform",
        severity: "medium",
        remediationSteps:
            "Set featureReasons.<feature> in the stack config when you turn a feature off (stacks/config.ts carries it into the declaration), or turn the " +
            "feature on; a prod stack states its own reason, not the dev default.",
        validate: (resources, args, must) => {
            const platform = resources.find((r) => r.type === "mcp:platform:McpPlatform");
            const controls = platform?.props?.optionalControls;
            if (!platform || typeof controls !== "object" || controls === null) return;
            const profile = effectiveProfile(resources, args.getConfig<{ profile?: string }>());
            for (const [feature, declared] of Object.entries(controls as Record<string, { enabled?: unknown; reason?: unknown }>)) {
                if (declared?.enabled === true) continue;
                const reason = typeof declared?.reason === "string" ? declared.reason.trim() : "";
                if (reason.length < 10 || placeholderReason.test(reason)) {
                    must(platform, `state why the optional control ${feature} is off (featureReasons.${feature}; got ${JSON.stringify(declared?.reason ?? null)})`);
                } else if (profile !== "dev" && /^dev profile:/i.test(reason)) {
                    must(platform, `give its own reason for ${feature} being off outside dev (the reason is the dev profile's default: ${JSON.stringify(reason)})`);
                }
            }
        },
    }),
    configSchema: profileConfigSchema,
};
