import * as pulumi from "@pulumi/pulumi";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { privateDnsRecordNames } from "./service";

/**
 * Diagnostic settings of the gateway and of every MCP API (C5.3): no request or response bodies,
 * `Authorization` and cookies masked, all requests sampled, traces from `information` up (the
 * security events).
 */
export function gatewayDiagnosticSettings() {
    const masked = (...names: string[]) => names.map((value) => ({ value, mode: apimanagement.DataMaskingMode.Mask }));
    const request = { headers: [] as string[], body: { bytes: 0 }, dataMasking: { headers: masked("Authorization", "Cookie") } };
    const response = { headers: [] as string[], body: { bytes: 0 }, dataMasking: { headers: masked("Set-Cookie", "WWW-Authenticate") } };
    return {
        alwaysLog: apimanagement.AlwaysLog.AllErrors,
        logClientIp: true,
        verbosity: apimanagement.Verbosity.Information,
        sampling: { samplingType: apimanagement.SamplingType.Fixed, percentage: 100 },
        frontend: { request, response },
        backend: { request, response },
    };
}

export interface ZoneRef {
    readonly zoneName: pulumi.Output<string>;
    readonly resourceGroupName: pulumi.Output<string>;
}

/** `/subscriptions/…/resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/<zone>` → parts. */
export function parseZoneId(zoneId: pulumi.Input<string>): ZoneRef {
    const parts = pulumi.output(zoneId).apply((id) => {
        const m = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/privateDnsZones\/([^/]+)$/i.exec(id);
        if (!m) throw new Error(`apiManagementDnsZoneId: got "${id}", expected a private DNS zone resource id`);
        return { resourceGroupName: m[1], zoneName: m[2] };
    });
    return { zoneName: parts.zoneName, resourceGroupName: parts.resourceGroupName };
}

/** A records `<service>`, `<service>.management`, `<service>.scm` in `azure-api.net` → the private IP. */
export function createGatewayDnsRecords(parent: pulumi.Resource, name: string, zone: ZoneRef, serviceName: string, privateIp: pulumi.Output<string>) {
    return privateDnsRecordNames(serviceName).map(
        (record) =>
            new privatedns.PrivateRecordSet(
                `${name}-dns-${record === serviceName ? "gateway" : record.slice(serviceName.length + 1)}`,
                {
                    privateZoneName: zone.zoneName,
                    resourceGroupName: zone.resourceGroupName,
                    recordType: "A",
                    relativeRecordSetName: record,
                    ttl: 300,
                    aRecords: [{ ipv4Address: privateIp }],
                },
                { parent },
            ),
    );
}
