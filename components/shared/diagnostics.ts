import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import { DiagnosticsArgs } from "./inputs";

export interface DiagnosticSettingOptions {
    /** Log categories: `allLogs` (default) or an explicit list for services without category groups. */
    readonly logCategories?: "allLogs" | "none" | readonly string[];
    /** Whether the service emits platform metrics. Defaults to true. */
    readonly metrics?: boolean;
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
    const categories = options.logCategories ?? "allLogs";
    const logs =
        categories === "none"
            ? []
            : categories === "allLogs"
              ? [{ categoryGroup: "allLogs", enabled: true }]
              : categories.map((category) => ({ category, enabled: true }));
    return new monitor.DiagnosticSetting(
        `${name}-diag`,
        {
            name: "to-platform-workspace",
            resourceUri,
            workspaceId: diagnostics.workspaceId,
            logAnalyticsDestinationType: "Dedicated",
            logs,
            metrics: options.metrics === false ? [] : [{ category: "AllMetrics", enabled: true }],
        },
        { parent },
    );
}
