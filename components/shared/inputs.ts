import * as pulumi from "@pulumi/pulumi";
import { Naming } from "./naming";

/**
 * The small set of inputs every component that owns Azure resources accepts, in the same shape
 * everywhere (the idea of Azure Verified Modules' standard interfaces). Defined once, here.
 */

/** Where and how a component's resources are created. Required on every component. */
export interface PlacementArgs {
    /** Resource group that holds the component's resources. */
    readonly resourceGroupName: pulumi.Input<string>;
    /** Azure region, e.g. `swedencentral`. */
    readonly location: string;
    /** Tags for every taggable child; must include the platform tags (C6.4). */
    readonly tags: Record<string, string>;
    /** Naming context: every Azure name comes from `resourceName(naming, kind, qualifier)`. */
    readonly naming: Naming;
    /** Subscription id, for role definition ids. */
    readonly subscriptionId: pulumi.Input<string>;
}

/** Send all logs and metrics to the platform workspace (C5.1). Required where the service supports it. */
export interface DiagnosticsArgs {
    /** Resource id of the Log Analytics workspace. */
    readonly workspaceId: pulumi.Input<string>;
}

/** Reach the service only through a private endpoint in this subnet, resolved by this zone (C10.3, A2). */
export interface PrivateEndpointArgs {
    readonly subnetId: pulumi.Input<string>;
    readonly privateDnsZoneId: pulumi.Input<string>;
}

/** A built-in role granted on the component's main resource to someone who needs access. */
export interface RoleAssignmentArgs {
    /** Object id of the principal. */
    readonly principalId: pulumi.Input<string>;
    /** The GUID of a built-in role; see `builtInRoles`. */
    readonly roleDefinitionId: string;
    readonly principalType: "ServicePrincipal" | "Group" | "User";
    /** Short role name used in the child's logical name, e.g. `secrets-user`. */
    readonly role: string;
}
