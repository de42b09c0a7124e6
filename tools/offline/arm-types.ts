import type { MockCloud } from "./mock-cloud";

/**
 * How the mock cloud names and answers each Azure resource type the program uses: which input is
 * the resource's own name, its ARM id, and the outputs Azure computes (FQDNs, URIs, private IPs).
 * A type missing here still gets a well-formed id; add a spec when a component reads its outputs.
 */
export interface ArmTypeSpec {
    readonly nameInput: string;
    readonly id: (inputs: Record<string, any>, azureName: string, cloud: MockCloud) => string;
    readonly outputs?: (inputs: Record<string, any>, azureName: string, id: string, cloud: MockCloud) => Record<string, any>;
}

/** A resource directly under a resource group: `<rg>/providers/<providerType>/<name>`. */
export function inGroup(nameInput: string, providerType: string, outputs?: ArmTypeSpec["outputs"]): ArmTypeSpec {
    return {
        nameInput,
        id: (inputs, name, cloud) => `${cloud.resourceGroupId(inputs)}/providers/${providerType}/${name}`,
        outputs,
    };
}

/** A child of a resource in a group: `<rg>/providers/<parentType>/<parent>/<childType>/<name>`. */
export function childOf(parentInput: string, parentType: string, nameInput: string, childType: string, outputs?: ArmTypeSpec["outputs"]): ArmTypeSpec {
    return {
        nameInput,
        id: (inputs, name, cloud) =>
            `${cloud.resourceGroupId(inputs)}/providers/${parentType}/${inputs[parentInput]}/${childType}/${name}`,
        outputs,
    };
}

/** An extension resource: `<scope>/providers/<type>/<name>`. */
export function extensionOf(scopeInput: string, providerType: string, nameInput: string, outputs?: ArmTypeSpec["outputs"]): ArmTypeSpec {
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
    "azure-native:network:PrivateDnsZoneGroup": childOf(
        "privateEndpointName",
        "Microsoft.Network/privateEndpoints",
        "privateDnsZoneGroupName",
        "privateDnsZoneGroups",
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
};

/** `<adjective><noun>-<8 hex>.<region>.azurecontainerapps.io`, the shape Azure generates, stable per name. */
function containerAppsDomain(cloud: MockCloud, name: string, location: string | undefined): string {
    const words = ["happyhill", "bluesky", "calmriver", "greenfield", "proudwave", "kindstone"];
    const hash = cloud.guid(`cae/${name}`).replace(/-/g, "");
    return `${words[parseInt(hash.slice(0, 2), 16) % words.length]}-${hash.slice(2, 10)}.${location ?? "swedencentral"}.azurecontainerapps.io`;
}

function environmentDomain(cloud: MockCloud, environmentId: string | undefined, location: string | undefined): string {
    return cloud.lookup(environmentId)?.defaultDomain ?? `unknown-environment.${location ?? "swedencentral"}.azurecontainerapps.io`;
}
