import { resourcePolicy } from "../lib/policy";
import { isTaggableAzureType } from "../lib/taggable";

/** The tag keys every taggable resource carries, and the classification scale (C6.4). */
export const requiredTagKeys = ["workload", "environment", "data-classification", "owner"] as const;
export const dataClassifications = ["public", "internal", "confidential", "restricted"] as const;

export const azureResourceEnforceRequiredTags = resourcePolicy<{ tags?: Record<string, string> }>({
    name: "azure-resource-enforce-required-tags",
    description:
        "Every taggable Azure resource carries the tags workload, environment, data-classification and owner, " +
        "and data-classification is one of public, internal, confidential, restricted. Compared against: requiredTagKeys and dataClassifications; the types come from the SDK (untaggableTypes.generated.ts).",
    controls: ["C6.4"],
    component: "platform",
    severity: "medium",
    remediationSteps:
        "Pass the platform tags (components/platform/tags.ts) to the resource, or add the missing keys; " +
        "classification decides which protections apply, so it must travel with every resource.",
    appliesTo: isTaggableAzureType,
    validate: (props, _args, must) => {
        const tags = props.tags ?? {};
        const missing = requiredTagKeys.filter((key) => !tags[key]);
        if (missing.length > 0) must(`carry the tags ${missing.join(", ")}`);
        const classification = tags["data-classification"];
        if (classification && !(dataClassifications as readonly string[]).includes(classification)) {
            must(`use a data-classification of ${dataClassifications.join(", ")} (got "${classification}")`);
        }
    },
});
