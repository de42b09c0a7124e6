import * as pulumi from "@pulumi/pulumi";
import * as app from "@pulumi/azure-native/app";
import type * as inputs from "@pulumi/azure-native/types/input";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { createDiagnosticSetting } from "../shared/diagnostics";
import { DiagnosticsArgs, PlacementArgs } from "../shared/inputs";
import { createLinkedPrivateZone } from "../network/dns";

/** The Consumption profile every environment has: apps scale to zero and bill per use. */
export const consumptionProfile = { name: "Consumption", workloadProfileType: "Consumption" } as const;

export interface InternalEnvironmentOptions {
    /** Azure name of the environment. */
    readonly environmentName: string;
    /** Subnet the environment's infrastructure (nodes, internal load balancer) lives in. */
    readonly subnetId: pulumi.Input<string>;
    /** VNet the environment's private DNS zone is linked to. */
    readonly vnetId: pulumi.Input<string>;
    readonly zoneRedundant: boolean;
    readonly workloadProfiles: readonly inputs.app.WorkloadProfileArgs[];
}

export interface InternalEnvironment {
    readonly environment: app.ManagedEnvironment;
    readonly zone: ReturnType<typeof createLinkedPrivateZone>["zone"];
}

/**
 * A Container Apps environment that has no public endpoint (C10.3): VNet-integrated with an
 * internal load balancer, public network access disabled, mTLS-encrypted traffic between apps
 * (C3.2), logs through Azure Monitor into the platform workspace (C5.1, C10.4), and a private DNS
 * zone for its generated default domain so names under it resolve to the load balancer inside the
 * VNet. Child names: `${name}`, `${name}-diag`, the zone's children, `${name}-dns-wildcard`, `${name}-dns-apex`.
 */
export function createInternalEnvironment(
    parent: pulumi.Resource,
    name: string,
    placement: PlacementArgs,
    diagnostics: DiagnosticsArgs,
    options: InternalEnvironmentOptions,
): InternalEnvironment {
    const environment = new app.ManagedEnvironment(
        name,
        {
            environmentName: options.environmentName,
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
            vnetConfiguration: { internal: true, infrastructureSubnetId: options.subnetId },
            publicNetworkAccess: app.PublicNetworkAccess.Disabled,
            workloadProfiles: [...options.workloadProfiles],
            peerTrafficConfiguration: { encryption: { enabled: true } },
            // azure-monitor: the diagnostic setting below routes the logs; no shared key in the environment.
            appLogsConfiguration: { destination: "azure-monitor" },
            zoneRedundant: options.zoneRedundant,
        },
        { parent },
    );
    createDiagnosticSetting(parent, name, environment.id, diagnostics);

    const { zone } = createLinkedPrivateZone(parent, `${name}-dns`, placement, environment.defaultDomain, options.vnetId);
    // Every app name under the default domain (and the domain itself) resolves to the environment's
    // internal load balancer; the environment routes by host name.
    for (const [role, record] of [["wildcard", "*"], ["apex", "@"]] as const) {
        new privatedns.PrivateRecordSet(
            `${name}-dns-${role}`,
            {
                resourceGroupName: placement.resourceGroupName,
                privateZoneName: zone.name,
                recordType: "A",
                relativeRecordSetName: record,
                ttl: 300,
                aRecords: [{ ipv4Address: environment.staticIp }],
            },
            { parent },
        );
    }
    return { environment, zone };
}
