import { McpStackPolicy, stackPolicy } from "../lib/policy";
import { effectiveProfile, profileConfigSchema, undeclaredProfile } from "../lib/profile";

/**
 * Stateful resources that hold keys or audit evidence cannot be deleted by a `pulumi destroy` or a
 * refactor in prod: they carry `protect: true` (A9 forensic readiness, A10 recovery). Only the dev
 * profile may leave them unprotected; a stack without the platform component is treated as prod.
 */
export const protectedTypes = [
    "azure-native:keyvault:Vault",
    "azure-native:keyvault:ManagedHsm",
    "azure-native:operationalinsights:Workspace",
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
