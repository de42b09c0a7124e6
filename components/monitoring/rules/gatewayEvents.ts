import { SecurityEventName, securityEventFields, traceSource } from "../../../policy-pack/contract/events";

/**
 * The gateway's security events as rows: API Management writes each `<trace source="mcp-gateway">`
 * record into `ApiManagementGatewayLogs.TraceRecords` (a dynamic array of `{ source, severity,
 * message, timestamp, metadata }`); the message is the JSON event with `securityEventFields`.
 * Every gateway rule's query continues from these stages (./builder.ts puts the table and the time
 * window in front), so the parsing lives in one place.
 */
export function gatewayEventStages(events: readonly SecurityEventName[]): string[] {
    if (events.length === 0) throw new Error("gatewayEventStages: expected at least one security event name");
    const names = events.map((e) => `"${e}"`).join(", ");
    return [
        "| mv-expand Trace = TraceRecords",
        `| where tostring(Trace.source) == "${traceSource}"`,
        "| extend Event = parse_json(tostring(Trace.message))",
        `| extend ${eventColumns.map(([column, field]) => `${column} = tostring(Event.${field})`).join(", ")}`,
        `| where EventName in (${names})`,
    ];
}

/** Result column ← event field (every field of `securityEventFields`, renamed for readability). */
const eventColumns: readonly (readonly [string, (typeof securityEventFields)[number]])[] = [
    ["EventName", "event"],
    ["Server", "server"],
    ["CallerObjectId", "oid"],
    ["ClientAppId", "appid"],
    ["ClientIp", "ip"],
    ["RpcMethod", "method"],
    ["Tool", "tool"],
    ["SessionHash", "sessionHash"],
    ["Detail", "detail"],
];

/** The table the gateway's diagnostics write (resource-specific, `logAnalyticsDestinationType: Dedicated`). */
export const gatewayTable = "ApiManagementGatewayLogs";
