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
};
