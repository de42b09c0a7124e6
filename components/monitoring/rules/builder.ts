import type { SecurityEventName } from "../../../policy-pack/contract/events";
import { isoDuration, isoMinutes, kqlTimespan } from "./durations";
import { gatewayEventStages, gatewayTable } from "./gatewayEvents";
import { AnalyticsRule } from "./types";

/**
 * Margin for ingestion delay: each run reads `frequency + margin` of TimeGenerated but counts only
 * rows ingested during the last `frequency`, so a late row is seen by exactly one run and no row by
 * two (https://learn.microsoft.com/azure/sentinel/ingestion-delay). Azure Monitor's typical latency
 * is 20 s to 3 min (https://learn.microsoft.com/azure/azure-monitor/logs/data-ingestion-time);
 * resource logs occasionally take longer, so the margin is 10 minutes.
 */
const ingestionDelayMarginMinutes = 10;

/** What a rule states once; the builder derives `query`, `tables`, `events` and `lookback`. */
export type RuleSpec = Omit<AnalyticsRule, "query" | "tables" | "events" | "lookback" | "threshold"> & {
    /** Alert when more rows than this come back; default 0 (per-entity thresholds live in the KQL). */
    readonly threshold?: number;
    /** The rule's own KQL stages after the head, each starting with `|`. */
    readonly stages: readonly string[];
    /** `let` statements placed before the head (values the stack declares, as datatables). */
    readonly lets?: readonly string[];
    /**
     * A baseline rule reads this whole period (ISO 8601, e.g. P14D) instead of the margin window,
     * and its stages evaluate only `evaluatedBin`, the newest complete bin of width `frequency`
     * that ended at least the margin ago: consecutive runs evaluate consecutive bins, each once.
     */
    readonly baseline?: string;
};

/** A rule over the gateway's security events: the events are named once and select the rows. */
export function gatewayRule(spec: RuleSpec & { readonly events: readonly SecurityEventName[] }): AnalyticsRule {
    const { events, ...rest } = spec;
    return build(rest, [gatewayTable], [...events], [...gatewayEventStages(events), ...spec.stages]);
}

/** A rule over one or more Azure Monitor tables (unioned when several). */
export function tableRule(spec: RuleSpec & { readonly tables: readonly string[] }): AnalyticsRule {
    const { tables, ...rest } = spec;
    return build(rest, tables, [], spec.stages);
}

function build(spec: RuleSpec, tables: readonly string[], events: SecurityEventName[], stages: readonly string[]): AnalyticsRule {
    if (tables.length === 0) throw new Error(`analytics rule ${spec.id}: expected at least one table`);
    const frequency = isoMinutes(spec.frequency);
    if (frequency === undefined) throw new Error(`analytics rule ${spec.id}: frequency: got "${spec.frequency}", expected an ISO 8601 duration`);
    const lookback = spec.baseline ?? isoDuration(frequency + ingestionDelayMarginMinutes);
    const window = spec.baseline
        ? `where TimeGenerated > ago(${kqlTimespan(lookback)})`
        : `where TimeGenerated > ago(${kqlTimespan(lookback)}) and ingestion_time() > ago(${kqlTimespan(spec.frequency)})`;
    const head =
        tables.length === 1 ? [tables[0], `| ${window}`] : [`union ${tables.map((t) => `(${t} | ${window})`).join(", ")}`];
    const lets = [
        ...(spec.baseline
            ? [`let evaluatedBin = bin(now() - ${ingestionDelayMarginMinutes}m, ${kqlTimespan(spec.frequency)}) - ${kqlTimespan(spec.frequency)};`]
            : []),
        ...(spec.lets ?? []),
    ];
    const { stages: _stages, lets: _lets, baseline: _baseline, ...rule } = spec;
    return { ...rule, threshold: spec.threshold ?? 0, query: [...lets, ...head, ...stages].join("\n"), tables: [...tables], events, lookback };
}
