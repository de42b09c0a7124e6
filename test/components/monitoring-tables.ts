/**
 * Typed schemas of the Log Analytics tables the analytics rules read, each copied from its page of
 * Microsoft Learn's Azure Monitor table reference (`source`). Resource-specific tables only: every
 * diagnostic setting uses `logAnalyticsDestinationType: Dedicated` (components/shared/diagnostics.ts).
 * The KQL tests bind every rule against these with the Kusto language service, so a column that is
 * not here, or used with the wrong type, is an error.
 */
export type KustoType = "string" | "int" | "long" | "real" | "bool" | "datetime" | "dynamic" | "guid" | "timespan";

export interface TableSchema {
    /** The Learn page the columns were copied from. */
    readonly source: string;
    readonly columns: Readonly<Record<string, KustoType>>;
}

/** Columns of every Azure Monitor table (https://learn.microsoft.com/azure/azure-monitor/logs/log-standard-columns). */
const standard = {
    TimeGenerated: "datetime",
    Type: "string",
    TenantId: "string",
    SourceSystem: "string",
    _ResourceId: "string",
    _SubscriptionId: "string",
    _IsBillable: "string",
    _BilledSize: "real",
} as const satisfies Record<string, KustoType>;

export const tableSchemas: Readonly<Record<string, TableSchema>> = {
    ApiManagementGatewayLogs: {
        source: "https://learn.microsoft.com/azure/azure-monitor/reference/tables/apimanagementgatewaylogs",
        columns: {
            ...standard,
            ApiId: "string", ApimSubscriptionId: "string", ApiRevision: "string", BackendId: "string", BackendMethod: "string",
            BackendProtocol: "string", BackendRequestBody: "string", BackendRequestHeaders: "dynamic", BackendResponseBody: "string",
            BackendResponseCode: "int", BackendResponseHeaders: "dynamic", BackendTime: "long", BackendUrl: "string", Cache: "string",
            CacheTime: "long", CallerIpAddress: "string", Category: "string", ClientProtocol: "string", ClientTime: "long",
            ClientTlsVersion: "string", CorrelationId: "string", Errors: "dynamic", IsMasterTrace: "bool", IsRequestSuccess: "bool",
            IsTraceAllowed: "bool", IsTraceExpired: "bool", IsTraceRequested: "bool", LastErrorElapsed: "long", LastErrorMessage: "string",
            LastErrorReason: "string", LastErrorScope: "string", LastErrorSection: "string", LastErrorSource: "string", Method: "string",
            OperationId: "string", OperationName: "string", ProductId: "string", Region: "string", RequestBody: "string",
            RequestHeaders: "dynamic", RequestSize: "int", ResponseBody: "string", ResponseCode: "int", ResponseHeaders: "dynamic",
            ResponseSize: "int", Timestamp: "datetime", TotalTime: "long", TraceRecords: "dynamic", Url: "string", UserId: "string",
            WorkspaceId: "string",
        },
    },
    AZKVAuditLogs: {
        source: "https://learn.microsoft.com/azure/azure-monitor/reference/tables/azkvauditlogs",
        columns: {
            ...standard,
            AddressAuthorizationType: "string", Algorithm: "string", AppliedAssignmentId: "string", CallerIpAddress: "string",
            ClientInfo: "string", CorrelationId: "string", DurationMs: "int", EnabledForDeployment: "bool", EnabledForDiskEncryption: "bool",
            EnabledForTemplateDeployment: "bool", EnablePurgeProtection: "bool", EnableRbacAuthorization: "bool", EnableSoftDelete: "bool",
            HsmPoolResourceId: "string", HttpStatusCode: "int", Id: "string", Identity: "dynamic", IsAccessPolicyMatch: "bool",
            IsAddressAuthorized: "bool", IsRbacAuthorized: "bool", Nsp: "dynamic", OperationName: "string", OperationVersion: "string",
            Properties: "dynamic", RequestUri: "string", ResultDescription: "string", ResultSignature: "string", ResultType: "string",
            SoftDeleteRetentionInDays: "int", SubnetId: "string", Tlsversion: "string", TrustedService: "string",
        },
    },
    AGWFirewallLogs: {
        source: "https://learn.microsoft.com/azure/azure-monitor/reference/tables/agwfirewalllogs",
        columns: {
            ...standard,
            Action: "string", ClientIp: "string", ClientPort: "int", DetailedData: "string", DetailedMessage: "string",
            FileDetails: "string", Hostname: "string", InstanceId: "string", LineDetails: "string", Message: "string",
            OperationName: "string", RequestUri: "string", RuleId: "string", RuleSetType: "string", RuleSetVersion: "string",
            Site: "string", TransactionId: "string",
        },
    },
    AZFWApplicationRule: {
        source: "https://learn.microsoft.com/azure/azure-monitor/reference/tables/azfwapplicationrule",
        columns: {
            ...standard,
            Action: "string", ActionReason: "string", DestinationPort: "int", Fqdn: "string", IsExplicitProxyRequest: "bool",
            IsTlsInspected: "bool", Policy: "string", Protocol: "string", Rule: "string", RuleCollection: "string",
            RuleCollectionGroup: "string", SourceIp: "string", SourcePort: "int", TargetUrl: "string", WebCategory: "string",
        },
    },
    AZFWNetworkRule: {
        source: "https://learn.microsoft.com/azure/azure-monitor/reference/tables/azfwnetworkrule",
        columns: {
            ...standard,
            Action: "string", ActionReason: "string", DestinationIp: "string", DestinationPort: "int", Policy: "string",
            Protocol: "string", Rule: "string", RuleCollection: "string", RuleCollectionGroup: "string", SourceIp: "string",
            SourcePort: "int",
        },
    },
};
