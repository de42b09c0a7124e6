import type { PolicyResource } from "@pulumi/policy";
import type * as input from "@pulumi/azure-native/types/input";
import type { Inputs } from "./inputs";
import { resourceTypes } from "../contract/resourceTypes";

/**
 * How stack policies find related resources: through the engine's `propertyDependencies` (which
 * resources an input was computed from). Ids are unknown during a first `pulumi preview`, so
 * matching on ids would pass or fail by accident; dependencies are known from the program itself.
 */

/** Whether `resource`'s input `property` was computed from `target`. */
export function dependsVia(resource: PolicyResource, property: string, target: PolicyResource): boolean {
    return (resource.propertyDependencies?.[property] ?? []).some((d) => d.urn === target.urn);
}

/** The resources the given inputs of `resource` were computed from. */
export function dependenciesOf(resource: PolicyResource, ...properties: string[]): PolicyResource[] {
    return properties.flatMap((p) => resource.propertyDependencies?.[p] ?? []);
}

/** The first resource of `type` that `resource`'s input `property` was computed from. */
export function dependencyOfType(resource: PolicyResource, property: string, type: string): PolicyResource | undefined {
    return (resource.propertyDependencies?.[property] ?? []).find((r) => r.type === type);
}

/** Private endpoints of the stack that connect to `target`'s sub-resource `groupId`. */
export function privateEndpointsFor(resources: readonly PolicyResource[], target: PolicyResource, groupId: string): PolicyResource[] {
    return resources.filter(
        (r) =>
            r.type === resourceTypes.network.PrivateEndpoint &&
            dependsVia(r, "privateLinkServiceConnections", target) &&
            ((r.props.privateLinkServiceConnections ?? []) as Inputs<input.network.PrivateLinkServiceConnectionArgs>[]).some((c) => (c.groupIds ?? []).includes(groupId)),
    );
}
