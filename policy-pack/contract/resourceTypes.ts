/**
 * Every azure-native type token the pack reads, by SDK module and class name
 * (`resourceTypes.keyvault.Vault` is `@pulumi/azure-native/keyvault`'s `Vault`). Strings, not the
 * classes' `__pulumiType`: the pack is published alone and runs without azure-native, which it
 * only imports as types. test/policy-pack/resourceTypes.test.ts holds each one to the installed SDK.
 */
export const resourceTypes = {
    apimanagement: {
        Api: "azure-native:apimanagement:Api",
        ApiDiagnostic: "azure-native:apimanagement:ApiDiagnostic",
        ApiManagementService: "azure-native:apimanagement:ApiManagementService",
        ApiOperation: "azure-native:apimanagement:ApiOperation",
        ApiOperationPolicy: "azure-native:apimanagement:ApiOperationPolicy",
        ApiPolicy: "azure-native:apimanagement:ApiPolicy",
        Backend: "azure-native:apimanagement:Backend",
        Diagnostic: "azure-native:apimanagement:Diagnostic",
        NamedValue: "azure-native:apimanagement:NamedValue",
        PolicyFragment: "azure-native:apimanagement:PolicyFragment",
    },
    app: {
        ContainerApp: "azure-native:app:ContainerApp",
        ContainerAppsSessionPool: "azure-native:app:ContainerAppsSessionPool",
        ManagedEnvironment: "azure-native:app:ManagedEnvironment",
    },
    authorization: {
        RoleAssignment: "azure-native:authorization:RoleAssignment",
    },
    cognitiveservices: {
        Account: "azure-native:cognitiveservices:Account",
    },
    containerregistry: {
        Registry: "azure-native:containerregistry:Registry",
    },
    keyvault: {
        Key: "azure-native:keyvault:Key",
        ManagedHsm: "azure-native:keyvault:ManagedHsm",
        Secret: "azure-native:keyvault:Secret",
        Vault: "azure-native:keyvault:Vault",
    },
    monitor: {
        DiagnosticSetting: "azure-native:monitor:DiagnosticSetting",
    },
    network: {
        ApplicationGateway: "azure-native:network:ApplicationGateway",
        AzureFirewall: "azure-native:network:AzureFirewall",
        FirewallPolicy: "azure-native:network:FirewallPolicy",
        FirewallPolicyRuleCollectionGroup: "azure-native:network:FirewallPolicyRuleCollectionGroup",
        FlowLog: "azure-native:network:FlowLog",
        NetworkSecurityGroup: "azure-native:network:NetworkSecurityGroup",
        PrivateEndpoint: "azure-native:network:PrivateEndpoint",
        PublicIPAddress: "azure-native:network:PublicIPAddress",
        Route: "azure-native:network:Route",
        RouteTable: "azure-native:network:RouteTable",
        SecurityRule: "azure-native:network:SecurityRule",
        Subnet: "azure-native:network:Subnet",
        VirtualNetwork: "azure-native:network:VirtualNetwork",
        WebApplicationFirewallPolicy: "azure-native:network:WebApplicationFirewallPolicy",
    },
    operationalinsights: {
        Workspace: "azure-native:operationalinsights:Workspace",
    },
    security: {
        Pricing: "azure-native:security:Pricing",
    },
    securityinsights: {
        AutomationRule: "azure-native:securityinsights:AutomationRule",
        ScheduledAlertRule: "azure-native:securityinsights:ScheduledAlertRule",
        SentinelOnboardingState: "azure-native:securityinsights:SentinelOnboardingState",
    },
    storage: {
        StorageAccount: "azure-native:storage:StorageAccount",
    },
} as const;

/**
 * Tokens of azure-native v2 that v3 moved to another module, with their v3 token. A program still on
 * v2 creates resources under the old token, and the pack gates such programs too; the v3 class keeps
 * the old token as an alias, which the test checks.
 */
export const formerResourceTypes = {
    insightsDiagnosticSetting: { v2: "azure-native:insights:DiagnosticSetting", v3: resourceTypes.monitor.DiagnosticSetting },
} as const;

/** A diagnostic setting under either SDK major. */
export const diagnosticSettingTypes: readonly string[] = [resourceTypes.monitor.DiagnosticSetting, formerResourceTypes.insightsDiagnosticSetting.v2];
