import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import { DiagnosticsArgs } from "./inputs";

export interface DiagnosticSettingOptions {
    /**
     * Log categories: `allLogs` (the default, or what the service's row in `serviceDiagnostics`
     * says), `none`, or an explicit list for services without category groups.
     */
    readonly logCategories?: "allLogs" | "none" | readonly string[];
    /** Whether to send platform metrics. Defaults to the service's row in `serviceDiagnostics`, else true. */
    readonly metrics?: boolean;
}

/**
 * What Azure Monitor accepts per resource provider type (lowercase ARM type), where it differs from
 * "allLogs + AllMetrics": a setting asking for a category the service lacks is rejected at deploy.
 */
const serviceDiagnostics: Readonly<Record<string, { readonly logs: boolean; readonly metrics: boolean }>> = {
    // NSGs have event and rule-counter logs but no exportable metrics.
    "microsoft.network/networksecuritygroups": { logs: true, metrics: false },
    // A storage account itself has only metrics; its logs live on the blob/queue/table/file services.
    "microsoft.storage/storageaccounts": { logs: false, metrics: true },
};

/** `…/providers/Microsoft.Network/networkSecurityGroups/x` → `microsoft.network/networksecuritygroups`. */
export function armTypeOf(resourceUri: string): string | undefined {
    const m = /\/providers\/([^/]+)\/([^/]+)\/[^/]+(?:\/([^/]+)\/[^/]+)?$/i.exec(resourceUri);
    if (!m) return undefined;
    return [m[1], m[2], m[3]].filter(Boolean).join("/").toLowerCase();
}

/** The `logs` and `metrics` lists of a setting for `resourceUri`, from the options and the service table. */
export function diagnosticCategories(resourceUri: string, options: DiagnosticSettingOptions = {}) {
    const service = serviceDiagnostics[armTypeOf(resourceUri) ?? ""];
    const categories = options.logCategories ?? (service?.logs === false ? "none" : "allLogs");
    const logs =
        categories === "none"
            ? []
            : categories === "allLogs"
              ? [{ categoryGroup: "allLogs", enabled: true }]
              : categories.map((category) => ({ category, enabled: true }));
    const sendMetrics = options.metrics ?? service?.metrics ?? true;
    return { logs, metrics: sendMetrics ? [{ category: "AllMetrics", enabled: true }] : [] };
}

/**
 * Sends a resource's logs and metrics to the platform workspace in resource-specific tables
 * (`logAnalyticsDestinationType: Dedicated`), the shape Sentinel rules query (C5.1).
 * Child name: `${name}-diag`.
 */
export function createDiagnosticSetting(
    parent: pulumi.Resource,
    name: string,
    resourceUri: pulumi.Input<string>,
    diagnostics: DiagnosticsArgs,
    options: DiagnosticSettingOptions = {},
): monitor.DiagnosticSetting {
    const categories = pulumi.output(resourceUri).apply((uri) => diagnosticCategories(uri, options));
    return new monitor.DiagnosticSetting(
        `${name}-diag`,
        {
            name: "to-platform-workspace",
            resourceUri,
            workspaceId: diagnostics.workspaceId,
            logAnalyticsDestinationType: "Dedicated",
            logs: categories.logs,
            metrics: categories.metrics,
        },
        { parent },
    );
}
