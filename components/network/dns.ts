import * as pulumi from "@pulumi/pulumi";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { PlacementArgs } from "../shared/inputs";
import { resourceName } from "../shared/naming";

/**
 * The private DNS zones the platform's private endpoints and internal services resolve through
 * (A2, C10.3). `apiManagement` is the internal-mode gateway's own domain: API Management in an
 * internal VNet publishes no public DNS, so its host names are A records in this zone.
 */
export const privateDnsZoneNames = {
    keyVault: "privatelink.vaultcore.azure.net",
    registry: "privatelink.azurecr.io",
    contentSafety: "privatelink.cognitiveservices.azure.com",
    apiManagement: "azure-api.net",
} as const;

export type PrivateDnsZoneKey = keyof typeof privateDnsZoneNames;

/** Zone of a Managed HSM's private endpoint (only when the Managed HSM feature is on). */
export const managedHsmZoneName = "privatelink.managedhsm.azure.net";

/**
 * A private DNS zone linked to the VNet without auto-registration, for zones known only at deploy
 * time (the Container Apps environment's default domain) as well as the fixed ones above.
 * Child names: `${name}-zone` and `${name}-link`.
 */
export function createLinkedPrivateZone(
    parent: pulumi.Resource,
    name: string,
    placement: PlacementArgs,
    zoneName: pulumi.Input<string>,
    vnetId: pulumi.Input<string>,
): { zone: privatedns.PrivateZone; link: privatedns.VirtualNetworkLink } {
    const zone = new privatedns.PrivateZone(
        `${name}-zone`,
        { privateZoneName: zoneName, resourceGroupName: placement.resourceGroupName, location: "global", tags: placement.tags },
        { parent },
    );
    const link = new privatedns.VirtualNetworkLink(
        `${name}-link`,
        {
            virtualNetworkLinkName: resourceName(placement.naming, "virtualNetworkLink"),
            privateZoneName: zone.name,
            resourceGroupName: placement.resourceGroupName,
            location: "global",
            virtualNetwork: { id: vnetId },
            // Records come from private endpoints' zone groups and explicit A records only.
            registrationEnabled: false,
            tags: placement.tags,
        },
        { parent },
    );
    return { zone, link };
}
