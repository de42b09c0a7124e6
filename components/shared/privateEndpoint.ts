import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import { PlacementArgs, PrivateEndpointArgs } from "./inputs";
import { resourceName } from "./naming";

/**
 * A private endpoint for `targetId` (sub-resource `groupId`) with its DNS zone group, so the
 * service's public name resolves to the private address inside the VNet (C10.3, A2).
 * Child names: `${name}-pep` and `${name}-pep-dns`.
 */
export function createPrivateEndpoint(
    parent: pulumi.Resource,
    name: string,
    placement: PlacementArgs,
    endpoint: PrivateEndpointArgs,
    target: { id: pulumi.Input<string>; groupId: string; qualifier: string },
): network.PrivateEndpoint {
    const endpointName = resourceName(placement.naming, "privateEndpoint", `${target.qualifier}-${target.groupId}`);
    const pep = new network.PrivateEndpoint(
        `${name}-pep`,
        {
            privateEndpointName: endpointName,
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
            subnet: { id: endpoint.subnetId },
            privateLinkServiceConnections: [
                { name: endpointName, privateLinkServiceId: target.id, groupIds: [target.groupId] },
            ],
        },
        { parent },
    );
    new network.PrivateDnsZoneGroup(
        `${name}-pep-dns`,
        {
            privateDnsZoneGroupName: "default",
            privateEndpointName: pep.name,
            resourceGroupName: placement.resourceGroupName,
            privateDnsZoneConfigs: [{ name: target.groupId, privateDnsZoneId: endpoint.privateDnsZoneId }],
        },
        { parent },
    );
    return pep;
}
