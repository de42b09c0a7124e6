import { untaggableAzureTypes } from "./untaggableTypes.generated";

/**
 * Which Azure resource types carry the platform tags: every `azure-native:` type except those the
 * SDK gives no `tags` input (untaggableTypes.generated.ts, derived from the installed
 * @pulumi/azure-native by test/policy-pack/taggable.test.ts, which fails when the SDK changes). A
 * type the list does not know (a newer SDK) is treated as taggable, so the tag policy fails closed.
 */
const untaggable = new Set(untaggableAzureTypes);

export function isTaggableAzureType(type: string): boolean {
    return type.startsWith("azure-native:") && !untaggable.has(type);
}
