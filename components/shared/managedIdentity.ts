import * as pulumi from "@pulumi/pulumi";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { resourceName } from "./naming";
import { PlacementArgs } from "./inputs";

/**
 * A user-assigned managed identity for one platform role or workload (C10.2: one identity per role,
 * never shared), named `id-<workload>-<env>-<qualifier>-<suffix>`. Identities are user-assigned
 * rather than system-assigned so a role can be granted before the resource that uses it exists.
 */
export function createManagedIdentity(
    parent: pulumi.Resource,
    logicalName: string,
    placement: PlacementArgs,
    qualifier: string,
): managedidentity.UserAssignedIdentity {
    return new managedidentity.UserAssignedIdentity(
        logicalName,
        {
            resourceName: resourceName(placement.naming, "managedIdentity", qualifier),
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
        },
        { parent },
    );
}
