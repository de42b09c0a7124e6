import type { AlertSeverity, AttackTactic, EntityMappingType } from "@pulumi/azure-native/types/enums/securityinsights";
import type { SecurityEventName } from "../../../policy-pack/contract/events";

/**
 * One Sentinel scheduled analytics rule, as data: the component turns it into a
 * `securityinsights.ScheduledAlertRule`, the KQL test checks its tables and columns, and the policy
 * pack recognises it by `id` (the display name starts with it).
 */
export interface AnalyticsRule {
    /** Stable identifier, `mcp-<what>`; the policy pack requires the MCP detections by this id. */
    readonly id: string;
    /** Short human title; the display name is `<id>: <title>`. */
    readonly title: string;
    readonly description: string;
    /** Control ids of CONTROLS.md this detection carries. */
    readonly controls: readonly string[];
    readonly severity: AlertSeverity;
    readonly tactics: readonly AttackTactic[];
    /** MITRE ATT&CK technique ids (`T1110`), only where the mapping is sound. */
    readonly techniques?: readonly string[];
    /** The KQL; every table and column it uses must be in `../tables.ts`. */
    readonly query: string;
    /** Tables the query reads (checked against the query by the KQL test). */
    readonly tables: readonly string[];
    /** Gateway security events the query selects (names from components/shared/securityEvents.ts). */
    readonly events: readonly SecurityEventName[];
    /** ISO 8601 duration between runs (5 minutes to 14 days). */
    readonly frequency: string;
    /** ISO 8601 duration of data each run reads; at least `frequency`. */
    readonly lookback: string;
    /** Alert when the query returns more than this many rows (thresholds per entity live in the KQL). */
    readonly threshold: number;
    /** ISO 8601 duration during which a re-trigger of the rule creates no new alert. */
    readonly suppression: string;
    /** Entity mappings: entity type → identifier → result column. */
    readonly entities: readonly { readonly type: EntityMappingType; readonly fields: Readonly<Record<string, string>> }[];
    /** Result columns surfaced on the alert as custom details (key → column). */
    readonly customDetails?: Readonly<Record<string, string>>;
}

/** Prefix of every MCP rule id; the policy pack recognises the platform's rules by it. */
export const mcpRulePrefix = "mcp-";

export function ruleDisplayName(rule: Pick<AnalyticsRule, "id" | "title">): string {
    return `${rule.id}: ${rule.title}`;
}
