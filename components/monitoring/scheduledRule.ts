import * as pulumi from "@pulumi/pulumi";
import type * as securityinsights from "@pulumi/azure-native/securityinsights";
import { MatchingMethod, TriggerOperator, EventGroupingAggregationKind } from "@pulumi/azure-native/types/enums/securityinsights";
import { v5 as uuidv5 } from "uuid";
import { AnalyticsRule, ruleDisplayName } from "./rules";

/** Namespace for the rules' Azure names: a GUID per rule id, the same on every run and every stack. */
const ruleNamespace = "2d4b8f6e-0c3a-4f7e-9a51-6e2f1b8c7d30";

/** Sentinel accepts alert rule names as GUIDs; derive one from the stable rule id. */
export function ruleGuid(ruleId: string): string {
    return uuidv5(ruleId, ruleNamespace);
}

/**
 * The ScheduledAlertRule inputs of one rule: enabled, an incident per alert with grouping by the
 * mapped entities (C5.4), suppression after a trigger, one alert per result row.
 */
export function scheduledRuleArgs(
    rule: AnalyticsRule,
    target: { resourceGroupName: pulumi.Input<string>; workspaceName: pulumi.Input<string> },
): securityinsights.ScheduledAlertRuleArgs {
    validateRule(rule);
    return {
        resourceGroupName: target.resourceGroupName,
        workspaceName: target.workspaceName,
        ruleId: ruleGuid(rule.id),
        kind: "Scheduled",
        displayName: ruleDisplayName(rule),
        description: `${rule.description} Controls: ${rule.controls.join(", ")}.`,
        enabled: true,
        query: rule.query,
        queryFrequency: rule.frequency,
        queryPeriod: rule.lookback,
        severity: rule.severity,
        tactics: [...rule.tactics],
        techniques: rule.techniques ? [...rule.techniques] : undefined,
        triggerOperator: TriggerOperator.GreaterThan,
        triggerThreshold: rule.threshold,
        suppressionEnabled: true,
        suppressionDuration: rule.suppression,
        eventGroupingSettings: { aggregationKind: EventGroupingAggregationKind.AlertPerResult },
        entityMappings: rule.entities.length
            ? rule.entities.map((e) => ({
                  entityType: e.type,
                  fieldMappings: Object.entries(e.fields).map(([identifier, columnName]) => ({ identifier, columnName })),
              }))
            : undefined,
        customDetails: rule.customDetails ? { ...rule.customDetails } : undefined,
        incidentConfiguration: {
            createIncident: true,
            groupingConfiguration: {
                enabled: true,
                lookbackDuration: "PT5H",
                matchingMethod: rule.entities.length ? MatchingMethod.AllEntities : MatchingMethod.AnyAlert,
                reopenClosedIncident: false,
            },
        },
    };
}

/** Limits Sentinel enforces on scheduled rules, checked before anything is registered. */
export function validateRule(rule: AnalyticsRule): void {
    const problems: string[] = [];
    const frequency = isoMinutes(rule.frequency);
    const lookback = isoMinutes(rule.lookback);
    const suppression = isoMinutes(rule.suppression);
    if (frequency === undefined || frequency < 5 || frequency > 14 * 24 * 60) problems.push(`frequency: got ${rule.frequency}, expected PT5M to P14D`);
    if (lookback === undefined || lookback > 14 * 24 * 60) problems.push(`lookback: got ${rule.lookback}, expected at most P14D`);
    if (frequency !== undefined && lookback !== undefined && lookback < frequency) {
        problems.push(`lookback: got ${rule.lookback}, expected at least the frequency ${rule.frequency} (gaps would go unseen)`);
    }
    if (suppression === undefined || suppression < 5) problems.push(`suppression: got ${rule.suppression}, expected an ISO 8601 duration of at least PT5M`);
    if (!/^mcp-[a-z0-9-]+$/.test(rule.id)) problems.push(`id: got "${rule.id}", expected mcp-<lowercase words>`);
    if (rule.tactics.length === 0) problems.push("tactics: got none, expected at least one MITRE ATT&CK tactic");
    for (const t of rule.techniques ?? []) if (!/^T\d{4}(\.\d{3})?$/.test(t)) problems.push(`techniques: got "${t}", expected T<4 digits>`);
    if (problems.length) throw new Error(`analytics rule ${rule.id}: ${problems.join("; ")}`);
}

/** Minutes in an ISO 8601 duration of days/hours/minutes (`P1D`, `PT1H30M`); undefined when not one. */
export function isoMinutes(duration: string): number | undefined {
    const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(duration);
    if (!m || duration === "P" || duration.endsWith("T")) return undefined;
    return Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}
