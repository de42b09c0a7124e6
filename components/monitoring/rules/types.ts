import type { AlertSeverity, AttackTactic, EntityMappingType } from "@pulumi/azure-native/types/enums/securityinsights";
import type { SecurityEventName } from "../../../policy-pack/contract/events";

/** One entity mapping: entity type → identifier → result column (Sentinel allows up to three identifiers). */
export interface EntityMapping {
    readonly type: EntityMappingType;
    readonly fields: Readonly<Record<string, string>>;
}

/**
 * How a rule's alerts become incidents: alerts with the same entities (or, with `by`, the same
 * entities of those types) within `window` join one open incident.
 */
export interface IncidentGrouping {
    /** ISO 8601 duration (Sentinel allows PT5M to P7D). */
    readonly window: string;
    /** Why this window suits the rule's attack (shown to reviewers, kept in the docs). */
    readonly why: string;
    /** Group only on these entity types (matching method `Selected`); default: all mapped entities. */
    readonly by?: readonly EntityMappingType[];
}

/**
 * One Sentinel scheduled analytics rule, as data: the component turns it into a
 * `securityinsights.ScheduledAlertRule`, the KQL tests parse and bind its query with the Kusto
 * language service, and the policy pack recognises it by `id` (the display name starts with it).
 * Build rules with `gatewayRule()` / `tableRule()` (./builder.ts): they derive `tables`, `events`,
 * the query head and the look-back from what the rule says once.
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
    /** The KQL (the builder's head plus the rule's own stages). */
    readonly query: string;
    /** Tables the query reads (derived by the builder; the KQL test checks them against the query). */
    readonly tables: readonly string[];
    /** Gateway security events the query selects (derived by `gatewayRule()` from its `events`). */
    readonly events: readonly SecurityEventName[];
    /** ISO 8601 duration between runs (5 minutes to 14 days). */
    readonly frequency: string;
    /**
     * ISO 8601 duration of data each run reads: the run interval plus the ingestion-delay margin
     * (rows are counted once, by ingestion time; https://learn.microsoft.com/azure/sentinel/ingestion-delay).
     */
    readonly lookback: string;
    /** Alert when the query returns more than this many rows (thresholds per entity live in the KQL). */
    readonly threshold: number;
    /**
     * How repeated alerts become one incident. Suppression is never used: while a rule is suppressed
     * it does not run, so a second, unrelated attack in that window is never evaluated
     * (https://learn.microsoft.com/azure/sentinel/scheduled-rules-overview#alert-suppression). Alerts
     * are grouped into one incident per set of entities within `window` instead; `why` says why
     * that window suits the rule.
     */
    readonly grouping: IncidentGrouping;
    /** Entity mappings (identifiers from https://learn.microsoft.com/azure/sentinel/entities-reference). */
    readonly entities: readonly EntityMapping[];
    /** Result columns surfaced on the alert as custom details (key → column). */
    readonly customDetails?: Readonly<Record<string, string>>;
}

export function ruleDisplayName(rule: Pick<AnalyticsRule, "id" | "title">): string {
    return `${rule.id}: ${rule.title}`;
}

/** A destination a server declared it calls (`servers[].egress`). */
export interface DeclaredEgress {
    readonly host: string;
    readonly port: number;
}

/**
 * What the stack declares that some rules read (as KQL datatables): the MCP servers with their
 * image and declared egress, and, when the egress firewall is deployed, the runtime subnet's
 * address ranges the servers leave from.
 */
export interface RuleContext {
    readonly servers: readonly { readonly name: string; readonly image?: string; readonly egress?: readonly DeclaredEgress[] }[];
    /** Set when the stack deploys the egress firewall (features.egressFirewall); adds mcp-egress-denied. */
    readonly egressFirewall?: { readonly runtimeCidrs: readonly string[] };
}
