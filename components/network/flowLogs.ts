import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as storage from "@pulumi/azure-native/storage";
import { createManagedIdentity } from "../shared/managedIdentity";
import { DiagnosticsArgs, PlacementArgs } from "../shared/inputs";
import { createDiagnosticSetting } from "../shared/diagnostics";
import { assignRoles } from "../shared/roleAssignments";
import { resourceName } from "../shared/naming";

/** Storage Blob Data Contributor: what the flow log's identity needs on its storage account. */
const storageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

export interface VnetFlowLogArgs {
    /** Days the flow log blobs are kept. Defaults to 90. */
    readonly retentionDays?: number;
    /**
     * The region's Network Watcher. Azure allows one per region and subscription and creates it
     * itself (`NetworkWatcher_<region>` in `NetworkWatcherRG`) when the first VNet appears, so the
     * platform uses it rather than creating a second one, which Azure would reject.
     * Defaults to that automatic watcher.
     */
    readonly networkWatcher?: { readonly name: string; readonly resourceGroupName: string };
}

/**
 * VNet flow logs (C4.4): a storage account that accepts no anonymous access, no shared keys and
 * nothing but TLS 1.2+, written by Network Watcher through a user-assigned identity with Storage
 * Blob Data Contributor (shared-key-free, which flow logs support only through an identity).
 * Child names: `${name}-flowlogs-st`, `${name}-flowlogs-id`, `${name}-flowlogs-ra-blob-writer`,
 * `${name}-flowlogs` and the storage account's diagnostic settings.
 */
export function createVnetFlowLog(
    parent: pulumi.Resource,
    name: string,
    placement: PlacementArgs,
    diagnostics: DiagnosticsArgs,
    vnetId: pulumi.Input<string>,
    args: VnetFlowLogArgs,
    protect: boolean,
): network.FlowLog {
    const base = `${name}-flowlogs`;
    const account = new storage.StorageAccount(
        `${base}-st`,
        {
            accountName: resourceName(placement.naming, "storageAccount", "flowlogs"),
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
            kind: storage.Kind.StorageV2,
            sku: { name: storage.SkuName.Standard_LRS },
            allowBlobPublicAccess: false,
            allowSharedKeyAccess: false,
            defaultToOAuthAuthentication: true,
            allowCrossTenantReplication: false,
            isLocalUserEnabled: false,
            isSftpEnabled: false,
            enableHttpsTrafficOnly: true,
            minimumTlsVersion: storage.MinimumTlsVersion.TLS1_2,
            // Network Watcher writes as a trusted Microsoft service. That exception is honoured only
            // behind the firewall (default Deny + AzureServices bypass); `publicNetworkAccess:
            // Disabled` would drop the writer too. Nothing else reaches the account: no IP or VNet
            // rules, no anonymous access, no shared keys.
            publicNetworkAccess: storage.PublicNetworkAccess.Enabled,
            networkRuleSet: { defaultAction: storage.DefaultAction.Deny, bypass: storage.Bypass.AzureServices, ipRules: [], virtualNetworkRules: [] },
        },
        // Flow logs are audit data (A9): protected from deletion in prod.
        { parent, protect },
    );
    createDiagnosticSetting(parent, `${base}-st`, account.id, diagnostics, { logCategories: "none" });
    createDiagnosticSetting(parent, `${base}-st-blob`, pulumi.interpolate`${account.id}/blobServices/default`, diagnostics);

    const identity = createManagedIdentity(parent, `${base}-id`, placement, "flowlogs");
    const [writer] = assignRoles(parent, base, account.id, placement.subscriptionId, [
        { principalId: identity.principalId, principalType: "ServicePrincipal", roleDefinitionId: storageBlobDataContributor, role: "blob-writer" },
    ]);

    const watcher = args.networkWatcher ?? { name: `NetworkWatcher_${placement.location}`, resourceGroupName: "NetworkWatcherRG" };
    return new network.FlowLog(
        base,
        {
            flowLogName: resourceName(placement.naming, "flowLog", "vnet"),
            networkWatcherName: watcher.name,
            resourceGroupName: watcher.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
            targetResourceId: vnetId,
            storageId: account.id,
            enabled: true,
            format: { type: network.FlowLogFormatType.JSON, version: 2 },
            retentionPolicy: { enabled: true, days: args.retentionDays ?? 90 },
            identity: { type: network.ResourceIdentityType.UserAssigned, userAssignedIdentities: [identity.id] },
        },
        { parent, dependsOn: [writer] },
    );
}
