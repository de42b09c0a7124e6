import * as pulumi from "@pulumi/pulumi";
import type * as securityinsights from "@pulumi/azure-native/securityinsights";
import { MatchingMethod, TriggerOperator, EventGroupingAggregationKind } from "@pulumi/azure-native/types/enums/securityinsights";
import { v5 as uuidv5 } from "uuid";
import { AnalyticsRule, ruleDisplayName } from "./rules";
import { isoMinutes } from "./rules/durations";
import { entityIdentifiers, scheduledRuleLimits as limits } from "./rules/entityReference";

export { isoMinutes };

/** Namespace for the rules' Azure names: a GUID per rule id, the same on every run and every stack. */
const ruleNamespace = "2d4b8f6e-0c3a-4f7e-9a51-6e2f1b8c7d30";

/** Sentinel accepts alert rule names as GUIDs; derive one from the stable rule id. */
export function ruleGuid(ruleId: string): string {
    return uuidv5(ruleId, ruleNamespace);
}

/**
 * The ScheduledAlertRule inputs of one rule: enabled, suppression OFF (a suppressed rule does not
 * run, so a second, unrelated attack in the window would never be evaluated:
 * https://learn.microsoft.com/azure/sentinel/scheduled-rules-overview), one alert per result row,
 * and an incident per alert grouped by the rule's entities within its grouping window (C5.4).
 */
export function scheduledRuleArgs(
    rule: AnalyticsRule,
    target: { resourceGroupName: pulumi.Input<string>; workspaceName: pulumi.Input<string> },
): securityinsights.ScheduledAlertRuleArgs {
    validateRule(rule);
    const grouped = rule.grouping.by && rule.grouping.by.length > 0;
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
        // The API requires a duration even when suppression is off; it is not applied.
        suppressionEnabled: false,
        suppressionDuration: "PT5H",
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
                lookbackDuration: rule.grouping.window,
                matchingMethod: grouped ? MatchingMethod.Selected : rule.entities.length ? MatchingMethod.AllEntities : MatchingMethod.AnyAlert,
                groupByEntities: grouped ? [...rule.grouping.by!] : undefined,
                reopenClosedIncident: false,
            },
        },
    };
}

/** Limits Sentinel enforces on scheduled rules, and the platform's own schedule rules, checked before anything is registered. */
export function validateRule(rule: AnalyticsRule): void {
    const problems: string[] = [];
    const frequency = isoMinutes(rule.frequency);
    const lookback = isoMinutes(rule.lookback);
    const grouping = isoMinutes(rule.grouping.window);
    if (frequency === undefined || frequency < limits.minFrequencyMinutes || frequency > limits.maxFrequencyMinutes) {
        problems.push(`frequency: got ${rule.frequency}, expected PT5M to P14D`);
    }
    if (lookback === undefined || lookback > limits.maxLookbackMinutes) problems.push(`lookback: got ${rule.lookback}, expected at most P14D`);
    if (frequency !== undefined && lookback !== undefined && lookback <= frequency) {
        problems.push(`lookback: got ${rule.lookback}, expected more than the frequency ${rule.frequency} (late rows would go unseen: ingestion delay)`);
    }
    if (grouping === undefined || grouping < limits.minGroupingMinutes || grouping > limits.maxGroupingMinutes) {
        problems.push(`grouping.window: got ${rule.grouping.window}, expected PT5M to P7D`);
    }
    if (!rule.grouping.why.trim()) problems.push("grouping.why: got nothing, expected why the window suits the rule");
    for (const type of rule.grouping.by ?? []) {
        if (!rule.entities.some((e) => e.type === type)) problems.push(`grouping.by: ${type} is not a mapped entity type`);
    }
    if (rule.entities.length > limits.maxEntityMappings) problems.push(`entities: got ${rule.entities.length}, expected at most ${limits.maxEntityMappings}`);
    for (const entity of rule.entities) {
        const allowed = entityIdentifiers[entity.type];
        const identifiers = Object.keys(entity.fields);
        if (identifiers.length === 0 || identifiers.length > limits.maxIdentifiersPerEntity) {
            problems.push(`entities.${entity.type}: got ${identifiers.length} identifiers, expected 1 to ${limits.maxIdentifiersPerEntity}`);
        }
        for (const id of identifiers) {
            if (!allowed || !(id in allowed)) {
                problems.push(`entities.${entity.type}.${id}: not an identifier of ${entity.type} (allowed: ${Object.keys(allowed ?? {}).join(", ") || "none known"})`);
            }
        }
    }
    if (Object.keys(rule.customDetails ?? {}).length > limits.maxCustomDetails) problems.push(`customDetails: expected at most ${limits.maxCustomDetails}`);
    if (rule.query.length > limits.maxQueryCharacters) problems.push(`query: ${rule.query.length} characters, expected at most ${limits.maxQueryCharacters}`);
    if (!/^mcp-[a-z0-9-]+$/.test(rule.id)) problems.push(`id: got "${rule.id}", expected mcp-<lowercase words>`);
    if (rule.tactics.length === 0) problems.push("tactics: got none, expected at least one MITRE ATT&CK tactic");
    for (const t of rule.techniques ?? []) if (!/^T\d{4}(\.\d{3})?$/.test(t)) problems.push(`techniques: got "${t}", expected T<4 digits>`);
    if (problems.length) throw new Error(`analytics rule ${rule.id}: ${problems.join("; ")}`);
}
