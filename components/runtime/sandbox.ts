import * as pulumi from "@pulumi/pulumi";
import * as app from "@pulumi/azure-native/app";
import { createManagedIdentity } from "../shared/managedIdentity";
import { resourceName } from "../shared/naming";
import { DiagnosticsArgs, PlacementArgs, RoleAssignmentArgs } from "../shared/inputs";
import { assignRoles } from "../shared/roleAssignments";
import { builtInRoles } from "../shared/roles";
import { consumptionProfile, createInternalEnvironment } from "./environment";

/** The resource limits of every session (C4.3, C10.1). */
export interface SandboxLimits {
    /** vCPU per session. */
    readonly cpu: number;
    /** Memory per session, e.g. `1Gi`. */
    readonly memory: string;
    /** Port the session container listens on. */
    readonly port: number;
    /** Upper bound of sessions alive at the same time (cost and blast-radius cap). */
    readonly maxConcurrentSessions: number;
    /** Pre-warmed sessions kept ready. */
    readonly readySessionInstances: number;
    /** Idle seconds after which a session is destroyed (Azure allows 300–3600). */
    readonly cooldownSeconds: number;
}

export interface SandboxOptions extends SandboxLimits {
    readonly subnetId: pulumi.Input<string>;
    readonly vnetId: pulumi.Input<string>;
    readonly zoneRedundant: boolean;
    readonly image: string;
    readonly registry: { readonly id: pulumi.Input<string>; readonly loginServer: pulumi.Input<string> };
    readonly roleAssignments?: readonly RoleAssignmentArgs[];
}

/**
 * The code-execution sandbox (C10.1): a custom-container dynamic sessions pool. Custom container
 * rather than the built-in Python interpreter because (1) the session image then comes from the
 * platform registry pinned by digest like every other image (C12.1, C12.3), (2) the pool lives in
 * an internal environment of our VNet, so its management endpoint resolves privately (C10.3),
 * whereas interpreter pools are Microsoft-hosted with a public endpoint, and (3) its logs reach the
 * platform workspace through the environment. Each session is a Hyper-V sandbox with outbound
 * network disabled and a timed lifecycle; the pool's identity only pulls the image and is never
 * exposed inside a session (lifecycle `None`), so untrusted code cannot use it.
 */
export function createSandbox(parent: pulumi.Resource, name: string, placement: PlacementArgs, diagnostics: DiagnosticsArgs, options: SandboxOptions) {
    const { environment } = createInternalEnvironment(parent, `${name}-cae`, placement, diagnostics, {
        environmentName: resourceName(placement.naming, "containerAppsEnvironment", "sandbox"),
        subnetId: options.subnetId,
        vnetId: options.vnetId,
        zoneRedundant: options.zoneRedundant,
        workloadProfiles: [{ ...consumptionProfile }],
    });

    const identity = createManagedIdentity(parent, `${name}-id`, placement, "sandbox");
    const pull = assignRoles(parent, `${name}-acr`, options.registry.id, placement.subscriptionId, [
        { principalId: identity.principalId, principalType: "ServicePrincipal", roleDefinitionId: builtInRoles.acrPull, role: "acr-pull" },
    ]);

    const pool = new app.ContainerAppsSessionPool(
        `${name}-pool`,
        {
            sessionPoolName: resourceName(placement.naming, "sessionPool"),
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
            environmentId: environment.id,
            poolManagementType: app.PoolManagementType.Dynamic,
            containerType: app.ContainerType.CustomContainer,
            identity: { type: app.ManagedServiceIdentityType.UserAssigned, userAssignedIdentities: [identity.id] },
            managedIdentitySettings: [{ identity: identity.id, lifecycle: app.IdentitySettingsLifeCycle.None }],
            customContainerTemplate: {
                containers: [
                    {
                        name: "session",
                        image: pulumi.interpolate`${options.registry.loginServer}/${options.image}`,
                        resources: { cpu: options.cpu, memory: options.memory },
                    },
                ],
                ingress: { targetPort: options.port },
                registryCredentials: { server: options.registry.loginServer, identity: identity.id },
            },
            scaleConfiguration: {
                maxConcurrentSessions: options.maxConcurrentSessions,
                readySessionInstances: options.readySessionInstances,
            },
            dynamicPoolConfiguration: {
                lifecycleConfiguration: { lifecycleType: app.LifecycleType.Timed, cooldownPeriodInSeconds: options.cooldownSeconds },
            },
            sessionNetworkConfiguration: { status: app.SessionNetworkStatus.EgressDisabled },
        },
        // The first session can only start once the identity may pull the image.
        { parent, dependsOn: pull },
    );
    assignRoles(parent, `${name}-pool`, pool.id, placement.subscriptionId, options.roleAssignments ?? []);
    return { environment, identity, pool };
}
