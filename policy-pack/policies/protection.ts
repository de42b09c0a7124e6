import { declaredProfile } from "../contract/declaration";
import { stackPolicy } from "../lib/policy";

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

export const azureStatefulResourceEnableDeletionProtection = stackPolicy({
    name: "azure-stateful-resource-enable-deletion-protection",
    description:
        "Outside the dev profile, every key vault, Managed HSM and Log Analytics workspace is created with protect: true, " +
        "so keys and audit data survive a destroy or a mistaken refactor.",
    controls: ["A9", "A10"],
    component: "platform",
    remediationSteps:
        "Use the prod profile's protectStatefulResources (components/keyvault and components/monitoring set protect), or " +
        "pass { protect: true } to the resource; removing it later takes `pulumi state unprotect` and a review.",
    validate: (resources, _args, must) => {
        if (declaredProfile(resources) === "dev") return;
        for (const resource of resources.filter((r) => (protectedTypes as readonly string[]).includes(r.type))) {
            if (resource.opts?.protect !== true) must(resource, "be protected from deletion outside dev (protect: true)");
        }
    },
});
