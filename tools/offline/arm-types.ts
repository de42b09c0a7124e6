/**
 * What a type spec may ask of the mock cloud. Declared here (the mock cloud implements it) so the
 * specs and the cloud do not import each other.
 */
export interface ArmContext {
    readonly subscriptionId: string;
    readonly tenantId: string;
    guid(seed: string): string;
    resourceGroupId(inputs: Record<string, any>): string;
    allocatePrivateIp(subnetId: string | undefined): string;
    lookup(id: string | undefined): Record<string, any> | undefined;
}

/**
 * How the mock cloud names and answers each Azure resource type the program uses: which input is
 * the resource's own name, its ARM id, and the outputs Azure computes (FQDNs, URIs, private IPs).
 * A type missing here still gets a well-formed id; add a spec when a component reads its outputs.
 */
export interface ArmTypeSpec {
    readonly nameInput: string;
    readonly id: (inputs: Record<string, any>, azureName: string, cloud: ArmContext) => string;
    readonly outputs?: (inputs: Record<string, any>, azureName: string, id: string, cloud: ArmContext) => Record<string, any>;
}

/** A resource directly under a resource group: `<rg>/providers/<providerType>/<name>`. */
function inGroup(nameInput: string, providerType: string, outputs?: ArmTypeSpec["outputs"]): ArmTypeSpec {
    return {
        nameInput,
        id: (inputs, name, cloud) => `${cloud.resourceGroupId(inputs)}/providers/${providerType}/${name}`,
        outputs,
    };
}

/** A child of a resource in a group: `<rg>/providers/<parentType>/<parent>/<childType>/<name>`. */
function childOf(parentInput: string, parentType: string, nameInput: string, childType: string, outputs?: ArmTypeSpec["outputs"]): ArmTypeSpec {
    return {
        nameInput,
        id: (inputs, name, cloud) =>
            `${cloud.resourceGroupId(inputs)}/providers/${parentType}/${inputs[parentInput]}/${childType}/${name}`,
        outputs,
    };
}

/** An extension resource: `<scope>/providers/<type>/<name>`. */
function extensionOf(scopeInput: string, providerType: string, nameInput: string, outputs?: ArmTypeSpec["outputs"]): ArmTypeSpec {
    return {
        nameInput,
        id: (inputs, name) => `${inputs[scopeInput]}/providers/${providerType}/${name}`,
        outputs,
    };
}

export const armResourceTypes: Record<string, ArmTypeSpec> = {
    "azure-native:resources:ResourceGroup": {
        nameInput: "resourceGroupName",
        id: (_inputs, name, cloud) => `/subscriptions/${cloud.subscriptionId}/resourceGroups/${name}`,
        outputs: (inputs) => ({ properties: { provisioningState: "Succeeded" }, location: inputs.location }),
    },
    "azure-native:authorization:RoleAssignment": extensionOf("scope", "Microsoft.Authorization/roleAssignments", "roleAssignmentName"),
    "azure-native:insights:DiagnosticSetting": extensionOf("resourceUri", "Microsoft.Insights/diagnosticSettings", "name"),
    "azure-native:monitor:DiagnosticSetting": extensionOf("resourceUri", "Microsoft.Insights/diagnosticSettings", "name"),
    "azure-native:network:PrivateEndpoint": inGroup("privateEndpointName", "Microsoft.Network/privateEndpoints", (inputs, _name, _id, cloud) => {
        const ip = cloud.allocatePrivateIp(inputs.subnet?.id);
        return { customDnsConfigs: [{ ipAddresses: [ip] }], provisioningState: "Succeeded" };
    }),
    // Azure fills each zone config's record sets (the A record it registered for the endpoint);
    // programs export `privateDnsZoneConfigs[0].recordSets[0].fqdn`.
    "azure-native:network:PrivateDnsZoneGroup": childOf(
        "privateEndpointName",
        "Microsoft.Network/privateEndpoints",
        "privateDnsZoneGroupName",
        "privateDnsZoneGroups",
        (inputs, _name, _id, cloud) => ({
            privateDnsZoneConfigs: (inputs.privateDnsZoneConfigs ?? []).map((config: Record<string, any>) => {
                const zone = String(config.privateDnsZoneId ?? "").split("/").pop() ?? "";
                return {
                    ...config,
                    recordSets: [
                        { recordSetName: inputs.privateEndpointName, recordType: "A", fqdn: `${inputs.privateEndpointName}.${zone}`, ipAddresses: [cloud.allocatePrivateIp(undefined)], ttl: 10 },
                    ],
                };
            }),
        }),
    ),
    // Container Apps (components/runtime, components/workload): the environment's generated domain
    // and internal load balancer address, the apps' FQDNs under it, the session pools' endpoints.
    "azure-native:app:ManagedEnvironment": inGroup("environmentName", "Microsoft.App/managedEnvironments", (inputs, name, _id, cloud) => ({
        defaultDomain: containerAppsDomain(cloud, name, inputs.location),
        staticIp: cloud.allocatePrivateIp(inputs.vnetConfiguration?.infrastructureSubnetId),
        provisioningState: "Succeeded",
    })),
    "azure-native:app:ContainerApp": inGroup("containerAppName", "Microsoft.App/containerApps", (inputs, name, _id, cloud) => {
        const domain = environmentDomain(cloud, inputs.managedEnvironmentId ?? inputs.environmentId, inputs.location);
        const ingress = inputs.configuration?.ingress;
        // Azure: ingress limited to the environment gets `<app>.internal.<domain>`; VNet-wide ingress `<app>.<domain>`.
        const host = (app: string) => (ingress?.external === true ? `${app}.${domain}` : `${app}.internal.${domain}`);
        return {
            latestRevisionName: `${name}--rev1`,
            latestRevisionFqdn: ingress ? host(`${name}--rev1`) : "",
            configuration: { ...inputs.configuration, ...(ingress ? { ingress: { ...ingress, fqdn: host(name) } } : {}) },
            outboundIpAddresses: [],
            provisioningState: "Succeeded",
        };
    }),
    "azure-native:app:ContainerAppsSessionPool": inGroup("sessionPoolName", "Microsoft.App/sessionPools", (inputs, name, _id, cloud) => ({
        poolManagementEndpoint: `https://${name}.${environmentDomain(cloud, inputs.environmentId, inputs.location)}`,
        provisioningState: "Succeeded",
    })),
    // Monitoring (components/monitoring): the workspace's customer id is a GUID Azure assigns.
    "azure-native:operationalinsights:Workspace": inGroup("workspaceName", "Microsoft.OperationalInsights/workspaces", (inputs, name, _id, cloud) => ({
        customerId: cloud.guid(`workspace/${name}/customer-id`),
        provisioningState: "Succeeded",
        retentionInDays: inputs.retentionInDays,
    })),
    "azure-native:securityinsights:SentinelOnboardingState": childOf(
        "workspaceName",
        "Microsoft.OperationalInsights/workspaces",
        "sentinelOnboardingStateName",
        "providers/Microsoft.SecurityInsights/onboardingStates",
    ),
    "azure-native:securityinsights:ScheduledAlertRule": childOf(
        "workspaceName",
        "Microsoft.OperationalInsights/workspaces",
        "ruleId",
        "providers/Microsoft.SecurityInsights/alertRules",
    ),
    "azure-native:securityinsights:AutomationRule": childOf(
        "workspaceName",
        "Microsoft.OperationalInsights/workspaces",
        "automationRuleId",
        "providers/Microsoft.SecurityInsights/automationRules",
    ),
    // Shared by every component that creates a user-assigned identity (registry, identity, workload).
    "azure-native:managedidentity:UserAssignedIdentity": inGroup("resourceName", "Microsoft.ManagedIdentity/userAssignedIdentities", (_inputs, _name, id, cloud) => ({
        principalId: cloud.guid(`${id}/principal`),
        clientId: cloud.guid(`${id}/client`),
        tenantId: cloud.tenantId,
    })),
    // Registry (components/registry).
    "azure-native:containerregistry:Registry": inGroup("registryName", "Microsoft.ContainerRegistry/registries", (_inputs, name) => ({
        loginServer: `${name.toLowerCase()}.azurecr.io`,
        provisioningState: "Succeeded",
    })),
    // Defender plans are subscription-scoped: `scopeId` is `/subscriptions/<id>`.
    "azure-native:security:Pricing": {
        nameInput: "pricingName",
        id: (inputs, name) => `/${String(inputs.scopeId ?? "").replace(/^\/+/, "")}/providers/Microsoft.Security/pricings/${name}`,
    },
    // Network (components/network). A subnet keeps its `addressPrefix` so private IPs land inside it.
    "azure-native:network:VirtualNetwork": inGroup("virtualNetworkName", "Microsoft.Network/virtualNetworks", (inputs, _name, _id, cloud) => ({
        resourceGuid: cloud.guid(`vnet/${inputs.virtualNetworkName}`),
        provisioningState: "Succeeded",
    })),
    "azure-native:network:Subnet": childOf("virtualNetworkName", "Microsoft.Network/virtualNetworks", "subnetName", "subnets", (inputs) => ({
        addressPrefix: inputs.addressPrefix,
        provisioningState: "Succeeded",
    })),
    "azure-native:network:NetworkSecurityGroup": inGroup("networkSecurityGroupName", "Microsoft.Network/networkSecurityGroups"),
    // Egress firewall (components/firewall): the private address the runtime route points at, in AzureFirewallSubnet.
    "azure-native:network:AzureFirewall": inGroup("azureFirewallName", "Microsoft.Network/azureFirewalls", (inputs, _name, _id, cloud) => ({
        ipConfigurations: (inputs.ipConfigurations ?? []).map((c: Record<string, any>) => ({ ...c, privateIPAddress: cloud.allocatePrivateIp(c.subnet?.id) })),
        provisioningState: "Succeeded",
    })),
    "azure-native:network:FirewallPolicy": inGroup("firewallPolicyName", "Microsoft.Network/firewallPolicies"),
    "azure-native:network:FirewallPolicyRuleCollectionGroup": childOf(
        "firewallPolicyName",
        "Microsoft.Network/firewallPolicies",
        "ruleCollectionGroupName",
        "ruleCollectionGroups",
    ),
    "azure-native:network:RouteTable": inGroup("routeTableName", "Microsoft.Network/routeTables"),
    "azure-native:network:DdosProtectionPlan": inGroup("ddosProtectionPlanName", "Microsoft.Network/ddosProtectionPlans"),
    "azure-native:network:FlowLog": childOf("networkWatcherName", "Microsoft.Network/networkWatchers", "flowLogName", "flowLogs"),
    "azure-native:privatedns:PrivateZone": inGroup("privateZoneName", "Microsoft.Network/privateDnsZones"),
    "azure-native:privatedns:VirtualNetworkLink": childOf(
        "privateZoneName",
        "Microsoft.Network/privateDnsZones",
        "virtualNetworkLinkName",
        "virtualNetworkLinks",
    ),
    "azure-native:storage:StorageAccount": inGroup("accountName", "Microsoft.Storage/storageAccounts", (_inputs, name) => ({
        // Every endpoint Azure returns: programs read `primaryEndpoints.web` (static websites) and `.dfs`.
        primaryEndpoints: Object.fromEntries(
            ["blob", "dfs", "file", "queue", "table", "web"].map((kind) => [kind, `https://${name}.${kind === "web" ? "z6.web" : kind}.core.windows.net/`]),
        ),
        provisioningState: "Succeeded",
    })),
    // Key Vault (components/keyvault): the URIs consumers reference; a secret's value is never echoed.
    "azure-native:keyvault:Vault": inGroup("vaultName", "Microsoft.KeyVault/vaults", (inputs, name) => ({
        properties: { ...inputs.properties, vaultUri: `https://${name}.vault.azure.net/` },
    })),
    "azure-native:keyvault:Key": childOf("vaultName", "Microsoft.KeyVault/vaults", "keyName", "keys", (inputs, name, id, cloud) => ({
        keyUri: `https://${inputs.vaultName}.vault.azure.net/keys/${name}`,
        keyUriWithVersion: `https://${inputs.vaultName}.vault.azure.net/keys/${name}/${cloud.guid(id).replace(/-/g, "")}`,
    })),
    "azure-native:keyvault:Secret": childOf("vaultName", "Microsoft.KeyVault/vaults", "secretName", "secrets", (inputs, name, id, cloud) => ({
        properties: {
            contentType: inputs.properties?.contentType,
            attributes: inputs.properties?.attributes,
            secretUri: `https://${inputs.vaultName}.vault.azure.net/secrets/${name}`,
            secretUriWithVersion: `https://${inputs.vaultName}.vault.azure.net/secrets/${name}/${cloud.guid(id).replace(/-/g, "")}`,
        },
    })),
    "azure-native:keyvault:ManagedHsm": inGroup("name", "Microsoft.KeyVault/managedHSMs", (inputs, name) => ({
        properties: { ...inputs.properties, hsmUri: `https://${name}.managedhsm.azure.net/` },
    })),
    // Content Safety (components/safety): the custom subdomain is the endpoint (the regional one accepts keys only).
    "azure-native:cognitiveservices:Account": inGroup("accountName", "Microsoft.CognitiveServices/accounts", (inputs) => ({
        properties: {
            ...inputs.properties,
            endpoint: inputs.properties?.customSubDomainName
                ? `https://${inputs.properties.customSubDomainName}.cognitiveservices.azure.com/`
                : `https://${inputs.location ?? "swedencentral"}.api.cognitive.microsoft.com/`,
            provisioningState: "Succeeded",
        },
    })),
    // Edge (components/edge): a static address from TEST-NET-3 (RFC 5737), stable per resource id.
    "azure-native:network:PublicIPAddress": inGroup("publicIpAddressName", "Microsoft.Network/publicIPAddresses", (_inputs, _name, id, cloud) => ({
        ipAddress: `203.0.113.${(parseInt(cloud.guid(id).slice(0, 2), 16) % 254) + 1}`,
        provisioningState: "Succeeded",
    })),
    "azure-native:network:ApplicationGateway": inGroup("applicationGatewayName", "Microsoft.Network/applicationGateways", () => ({
        operationalState: "Running",
        provisioningState: "Succeeded",
    })),
    "azure-native:network:WebApplicationFirewallPolicy": inGroup(
        "policyName",
        "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies",
        () => ({ provisioningState: "Succeeded", resourceState: "Enabled" }),
    ),
    // API Management (components/gateway): gateway URL and a private address in the gateway subnet
    // (internal VNet mode); children are addressed under the service.
    "azure-native:apimanagement:ApiManagementService": inGroup("serviceName", "Microsoft.ApiManagement/service", (inputs, name, _id, cloud) => ({
        gatewayUrl: `https://${name}.azure-api.net`,
        managementApiUrl: `https://${name}.management.azure-api.net`,
        scmUrl: `https://${name}.scm.azure-api.net`,
        privateIPAddresses: [cloud.allocatePrivateIp(inputs.virtualNetworkConfiguration?.subnetResourceId)],
        publicIPAddresses: [],
        provisioningState: "Succeeded",
    })),
    "azure-native:apimanagement:Api": childOf("serviceName", "Microsoft.ApiManagement/service", "apiId", "apis"),
    "azure-native:apimanagement:ApiOperation": {
        nameInput: "operationId",
        id: (inputs, name, cloud) =>
            `${cloud.resourceGroupId(inputs)}/providers/Microsoft.ApiManagement/service/${inputs.serviceName}/apis/${inputs.apiId}/operations/${name}`,
    },
    "azure-native:apimanagement:ApiPolicy": {
        nameInput: "policyId",
        id: (inputs, name, cloud) =>
            `${cloud.resourceGroupId(inputs)}/providers/Microsoft.ApiManagement/service/${inputs.serviceName}/apis/${inputs.apiId}/policies/${name}`,
    },
    "azure-native:apimanagement:ApiDiagnostic": {
        nameInput: "diagnosticId",
        id: (inputs, name, cloud) =>
            `${cloud.resourceGroupId(inputs)}/providers/Microsoft.ApiManagement/service/${inputs.serviceName}/apis/${inputs.apiId}/diagnostics/${name}`,
    },
    "azure-native:apimanagement:PolicyFragment": childOf("serviceName", "Microsoft.ApiManagement/service", "id", "policyFragments"),
    "azure-native:apimanagement:Backend": childOf("serviceName", "Microsoft.ApiManagement/service", "backendId", "backends"),
    "azure-native:apimanagement:NamedValue": childOf("serviceName", "Microsoft.ApiManagement/service", "namedValueId", "namedValues"),
    "azure-native:apimanagement:Diagnostic": childOf("serviceName", "Microsoft.ApiManagement/service", "diagnosticId", "diagnostics"),
    "azure-native:apimanagement:Policy": childOf("serviceName", "Microsoft.ApiManagement/service", "policyId", "policies"),
    "azure-native:privatedns:PrivateRecordSet": {
        nameInput: "relativeRecordSetName",
        id: (inputs, name, cloud) =>
            `${cloud.resourceGroupId(inputs)}/providers/Microsoft.Network/privateDnsZones/${inputs.privateZoneName}/${inputs.recordType}/${name}`,
        outputs: (inputs, name) => ({ fqdn: `${name}.${inputs.privateZoneName}.` }),
    },
};

/** `<adjective><noun>-<8 hex>.<region>.azurecontainerapps.io`, the shape Azure generates, stable per name. */
function containerAppsDomain(cloud: ArmContext, name: string, location: string | undefined): string {
    const words = ["happyhill", "bluesky", "calmriver", "greenfield", "proudwave", "kindstone"];
    const hash = cloud.guid(`cae/${name}`).replace(/-/g, "");
    return `${words[parseInt(hash.slice(0, 2), 16) % words.length]}-${hash.slice(2, 10)}.${location ?? "swedencentral"}.azurecontainerapps.io`;
}

function environmentDomain(cloud: ArmContext, environmentId: string | undefined, location: string | undefined): string {
    return cloud.lookup(environmentId)?.defaultDomain ?? `unknown-environment.${location ?? "swedencentral"}.azurecontainerapps.io`;
}
