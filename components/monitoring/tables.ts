import { securityEventFields } from "../../policy-pack/contract/events";

/**
 * The Log Analytics tables and columns the analytics rules may use, each with the Microsoft
 * reference page it was copied from. Resource-specific tables only: every diagnostic setting uses
 * `logAnalyticsDestinationType: Dedicated` (components/shared/diagnostics.ts). The KQL test
 * (test/components/monitoring-kql.test.ts) fails when a rule names a table or column not listed.
 */
export interface TableSchema {
    /** Microsoft's table reference (the source of `columns`). */
    readonly source: string;
    readonly columns: readonly string[];
    /** Keys inside dynamic columns, with the page documenting them. */
    readonly dynamic?: Readonly<Record<string, { readonly source: string; readonly fields: readonly string[] }>>;
}

/** Columns every Azure Monitor table has (https://learn.microsoft.com/azure/azure-monitor/logs/log-standard-columns). */
const standardColumns = ["TimeGenerated", "Type", "TenantId", "SourceSystem", "_ResourceId", "_SubscriptionId", "_IsBillable", "_BilledSize"];

export const allowedTables: Readonly<Record<string, TableSchema>> = {
    ApiManagementGatewayLogs: {
        source: "https://learn.microsoft.com/azure/azure-monitor/reference/tables/apimanagementgatewaylogs",
        columns: [
            ...standardColumns,
            "ApiId", "ApimSubscriptionId", "ApiRevision", "BackendId", "BackendMethod", "BackendProtocol", "BackendRequestBody",
            "BackendRequestHeaders", "BackendResponseBody", "BackendResponseCode", "BackendResponseHeaders", "BackendTime",
            "BackendUrl", "Cache", "CacheTime", "CallerIpAddress", "Category", "ClientProtocol", "ClientTime", "ClientTlsVersion",
            "CorrelationId", "Errors", "IsMasterTrace", "IsRequestSuccess", "IsTraceAllowed", "IsTraceExpired", "IsTraceRequested",
            "LastErrorElapsed", "LastErrorMessage", "LastErrorReason", "LastErrorScope", "LastErrorSection", "LastErrorSource",
            "Method", "OperationId", "OperationName", "ProductId", "Region", "RequestBody", "RequestHeaders", "RequestSize",
            "ResponseBody", "ResponseCode", "ResponseHeaders", "ResponseSize", "Timestamp", "TotalTime", "TraceRecords", "Url", "UserId",
        ],
        dynamic: {
            // Each `<trace>` policy adds one record; the MCP gateway's message is the JSON security event.
            TraceRecords: {
                source: "https://learn.microsoft.com/azure/api-management/trace-policy",
                fields: ["source", "severity", "message", "timestamp", "metadata"],
            },
            // Fields of the gateway's security event JSON (components/shared/securityEvents.ts).
            "TraceRecords.message": { source: "components/shared/securityEvents.ts", fields: [...securityEventFields] },
        },
    },
    AZKVAuditLogs: {
        source: "https://learn.microsoft.com/azure/azure-monitor/reference/tables/azkvauditlogs",
        columns: [
            ...standardColumns,
            "AddressAuthorizationType", "Algorithm", "AppliedAssignmentId", "CallerIpAddress", "ClientInfo", "CorrelationId", "DurationMs",
            "EnabledForDeployment", "EnabledForDiskEncryption", "EnabledForTemplateDeployment", "EnablePurgeProtection",
            "EnableRbacAuthorization", "EnableSoftDelete", "HsmPoolResourceId", "HttpStatusCode", "Id", "Identity",
            "IsAccessPolicyMatch", "IsAddressAuthorized", "IsRbacAuthorized", "Nsp", "OperationName", "Properties", "RequestUri",
            "ResultDescription", "ResultSignature", "ResultType", "SoftDeleteRetentionInDays", "SubnetId", "Tlsversion", "TrustedService",
        ],
        dynamic: {
            // The caller's token claims (`identity.claim.oid` / `appid` in the Key Vault logging schema).
            Identity: {
                source: "https://learn.microsoft.com/azure/key-vault/general/logging",
                fields: ["claim", "oid", "appid", "upn"],
            },
        },
    },
    AGWFirewallLogs: {
        source: "https://learn.microsoft.com/azure/azure-monitor/reference/tables/agwfirewalllogs",
        columns: [
            ...standardColumns,
            "Action", "ClientIp", "ClientPort", "DetailedData", "DetailedMessage", "FileDetails", "Hostname", "InstanceId",
            "LineDetails", "Message", "OperationName", "RequestUri", "RuleId", "RuleSetType", "RuleSetVersion", "Site", "TransactionId",
        ],
    },
};
