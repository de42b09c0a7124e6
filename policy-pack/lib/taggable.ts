/**
 * Azure resource types that take no `tags` input in azure-native (sub-resources, extension
 * resources). Every other `azure-native:` type must carry the platform tags; a type missing from
 * this list is treated as taggable, so the tag policy fails closed on a new type.
 * `test/policy-pack/taggable.test.ts` checks this list against the SDK's own type definitions.
 */
export const untaggableTypes = new Set<string>([
    "azure-native:network:Subnet",
    "azure-native:network:SecurityRule",
    "azure-native:network:FirewallPolicyRuleCollectionGroup",
    "azure-native:network:PrivateDnsZoneGroup",
    "azure-native:privatedns:PrivateRecordSet",
    "azure-native:privatedns:RecordSet",
    "azure-native:authorization:RoleAssignment",
    "azure-native:insights:DiagnosticSetting",
    "azure-native:monitor:DiagnosticSetting",
    "azure-native:operationalinsights:Table",
    "azure-native:securityinsights:SentinelOnboardingState",
    "azure-native:securityinsights:ScheduledAlertRule",
    "azure-native:securityinsights:AutomationRule",
    "azure-native:apimanagement:Api",
    "azure-native:apimanagement:ApiPolicy",
    "azure-native:apimanagement:ApiOperation",
    "azure-native:apimanagement:ApiOperationPolicy",
    "azure-native:apimanagement:Backend",
    "azure-native:apimanagement:NamedValue",
    "azure-native:apimanagement:Logger",
    "azure-native:apimanagement:ApiDiagnostic",
    "azure-native:apimanagement:Diagnostic",
    "azure-native:apimanagement:PolicyFragment",
    "azure-native:apimanagement:Policy",
    "azure-native:apimanagement:Product",
    "azure-native:apimanagement:ProductApi",
    "azure-native:apimanagement:Subscription",
    "azure-native:security:Pricing",
]);

export function isTaggableAzureType(type: string): boolean {
    return type.startsWith("azure-native:") && !untaggableTypes.has(type);
}
