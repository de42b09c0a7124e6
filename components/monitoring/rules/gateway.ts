import { AlertSeverity, AttackTactic, EntityMappingType } from "@pulumi/azure-native/types/enums/securityinsights";
import { securityEvents } from "../../../policy-pack/contract/events";
import { gatewayEvents } from "./gatewayEvents";
import { AnalyticsRule } from "./types";

/** Detections over the gateway's security events (ApiManagementGatewayLogs.TraceRecords). */

const table = ["ApiManagementGatewayLogs"] as const;
const ip = { type: EntityMappingType.IP, fields: { Address: "ClientIp" } } as const;
const account = { type: EntityMappingType.Account, fields: { AadUserId: "CallerObjectId" } } as const;
const clientApp = { type: EntityMappingType.CloudApplication, fields: { AppId: "ClientAppId" } } as const;

export const tokenFailuresFromOneSource: AnalyticsRule = {
    id: "mcp-token-failures-one-source",
    title: "Token validation failures from one source",
    description:
        "One client address presented 20 or more tokens the gateway rejected (missing, bad signature, expired, wrong " +
        "tenant) within 10 minutes: token guessing, replay of stolen tokens or a misconfigured client (M1, M2).",
    controls: ["M1", "M2", "C5.2"],
    severity: AlertSeverity.Medium,
    tactics: [AttackTactic.CredentialAccess, AttackTactic.InitialAccess],
    techniques: ["T1110", "T1078"],
    events: [securityEvents.tokenRejected],
    query: [
        gatewayEvents([securityEvents.tokenRejected]),
        "| summarize Failures = count(), Servers = make_set(Server, 10), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated) by ClientIp",
        "| where Failures >= 20",
    ].join("\n"),
    tables: table,
    frequency: "PT10M",
    lookback: "PT10M",
    threshold: 0,
    suppression: "PT1H",
    entities: [ip],
    customDetails: { Failures: "Failures" },
};

export const audienceOrIssuerMismatch: AnalyticsRule = {
    id: "mcp-token-audience-mismatch",
    title: "Token for another audience or issuer presented to an MCP server",
    description:
        "A valid Entra ID token issued for another audience or by another issuer reached an MCP API: token " +
        "passthrough or a confused-deputy attempt; the gateway refused it (M1, C7.1, C7.2).",
    controls: ["M1", "C7.1", "C7.2", "C5.2"],
    severity: AlertSeverity.High,
    tactics: [AttackTactic.DefenseEvasion, AttackTactic.LateralMovement],
    techniques: ["T1550"],
    events: [securityEvents.audienceMismatch],
    query: [
        gatewayEvents([securityEvents.audienceMismatch]),
        "| summarize Attempts = count(), Servers = make_set(Server, 10), Details = make_set(Detail, 10), LastSeen = max(TimeGenerated) by CallerObjectId, ClientAppId, ClientIp",
    ].join("\n"),
    tables: table,
    frequency: "PT5M",
    lookback: "PT5M",
    threshold: 0,
    suppression: "PT1H",
    entities: [account, clientApp, ip],
    customDetails: { Attempts: "Attempts" },
};

export const sessionBindingViolation: AnalyticsRule = {
    id: "mcp-session-binding-violation",
    title: "MCP session presented by a user other than its owner",
    description:
        "A session id bound to one user was presented with another user's token: session hijacking or a leaked " +
        "session id; the gateway refused the request (M4, C8.2).",
    controls: ["M4", "C8.2", "C7.4", "C5.2"],
    severity: AlertSeverity.High,
    tactics: [AttackTactic.CredentialAccess, AttackTactic.LateralMovement],
    techniques: ["T1539", "T1550"],
    events: [securityEvents.sessionUserMismatch],
    query: [
        gatewayEvents([securityEvents.sessionUserMismatch]),
        "| summarize Attempts = count(), Sessions = make_set(SessionHash, 10), LastSeen = max(TimeGenerated) by CallerObjectId, ClientAppId, ClientIp, Server",
    ].join("\n"),
    tables: table,
    frequency: "PT5M",
    lookback: "PT5M",
    threshold: 0,
    suppression: "PT1H",
    entities: [account, clientApp, ip],
    customDetails: { Server: "Server", Attempts: "Attempts" },
};

export const rateLimitAbusePerUser: AnalyticsRule = {
    id: "mcp-rate-limit-abuse",
    title: "One user repeatedly exceeds the MCP rate limits",
    description:
        "A user hit the gateway's per-user, per-session or per-tool limits 50 or more times in 15 minutes: " +
        "automated abuse, a runaway agent loop or resource exhaustion (C4.1).",
    controls: ["C4.1", "C5.2"],
    severity: AlertSeverity.Medium,
    tactics: [AttackTactic.Impact],
    techniques: ["T1499"],
    events: [securityEvents.rateLimited],
    query: [
        gatewayEvents([securityEvents.rateLimited]),
        "| summarize Refusals = count(), Servers = make_set(Server, 10), Tools = make_set(Tool, 20), Addresses = make_set(ClientIp, 10) by CallerObjectId, ClientAppId",
        "| where Refusals >= 50",
    ].join("\n"),
    tables: table,
    frequency: "PT15M",
    lookback: "PT15M",
    threshold: 0,
    suppression: "PT2H",
    entities: [account, clientApp],
    customDetails: { Refusals: "Refusals" },
};

export const promptShieldsDetection: AnalyticsRule = {
    id: "mcp-prompt-attack",
    title: "Prompt Shields flagged tool-call arguments",
    description:
        "Azure AI Content Safety Prompt Shields detected a prompt-injection attack in tools/call arguments; the " +
        "gateway blocked the call (C1.3, C9.1).",
    controls: ["C1.3", "C9.1", "C5.2"],
    severity: AlertSeverity.Medium,
    tactics: [AttackTactic.InitialAccess, AttackTactic.Execution],
    events: [securityEvents.promptAttackDetected],
    query: [
        gatewayEvents([securityEvents.promptAttackDetected]),
        "| summarize Detections = count(), Tools = make_set(Tool, 20), Addresses = make_set(ClientIp, 10), LastSeen = max(TimeGenerated) by CallerObjectId, ClientAppId, Server",
    ].join("\n"),
    tables: table,
    frequency: "PT5M",
    lookback: "PT5M",
    threshold: 0,
    suppression: "PT1H",
    entities: [account, clientApp],
    customDetails: { Server: "Server", Detections: "Detections" },
};

export const toolManifestDrift: AnalyticsRule = {
    id: "mcp-tool-manifest-drift",
    title: "MCP server tool manifest differs from the approved digest",
    description:
        "A tools/list result did not match the approved manifest digest: the server's tools changed without " +
        "approval (tool poisoning or an unreviewed deployment) (C9.2).",
    controls: ["C9.2", "C10.4", "C5.2"],
    severity: AlertSeverity.High,
    tactics: [AttackTactic.InitialAccess, AttackTactic.Persistence],
    techniques: ["T1195"],
    events: [securityEvents.manifestDrift],
    query: [
        gatewayEvents([securityEvents.manifestDrift]),
        "| summarize Occurrences = count(), Digests = make_set(Detail, 10), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated) by Server",
    ].join("\n"),
    tables: table,
    frequency: "PT5M",
    lookback: "PT5M",
    threshold: 0,
    suppression: "PT6H",
    entities: [],
    customDetails: { Server: "Server", Digests: "Digests" },
};

export const callVolumeAnomaly: AnalyticsRule = {
    id: "mcp-call-volume-anomaly",
    title: "Anomalous MCP call volume for one user",
    description:
        "A user's hourly MCP call volume (from the gateway's per-call audit events) rose far above that user's own " +
        "14-day baseline (seasonal decomposition, series_decompose_anomalies): a compromised account or client, a " +
        "runaway agent, or bulk data collection through tools below the static rate limits (C4.2, C10.4).",
    controls: ["C4.2", "C10.4", "C5.2"],
    severity: AlertSeverity.Medium,
    tactics: [AttackTactic.Collection, AttackTactic.Impact],
    techniques: ["T1119", "T1499"],
    events: [securityEvents.auditCall],
    query: [
        gatewayEvents([securityEvents.auditCall]),
        "| where isnotempty(CallerObjectId)",
        "| make-series Calls = count() default = 0 on TimeGenerated from ago(14d) to now() step 1h by CallerObjectId",
        '| extend (Anomalies, Score, Baseline) = series_decompose_anomalies(Calls, 3.0, -1, "linefit")',
        "| mv-expand TimeGenerated to typeof(datetime), Calls to typeof(long), Anomalies to typeof(int), Score to typeof(real), Baseline to typeof(real)",
        // The newest hourly bin only (the rule runs hourly); a floor keeps tiny absolute counts quiet.
        "| where TimeGenerated >= ago(1h) and Anomalies > 0 and Calls >= 30",
        "| project CallerObjectId, TimeGenerated, Calls, Baseline, Score",
    ].join("\n"),
    tables: table,
    frequency: "PT1H",
    lookback: "P14D",
    threshold: 0,
    suppression: "PT3H",
    entities: [account],
    customDetails: { Calls: "Calls", Baseline: "Baseline" },
};

export const gatewayRules: readonly AnalyticsRule[] = [
    tokenFailuresFromOneSource,
    audienceOrIssuerMismatch,
    sessionBindingViolation,
    rateLimitAbusePerUser,
    promptShieldsDetection,
    toolManifestDrift,
    callVolumeAnomaly,
];
