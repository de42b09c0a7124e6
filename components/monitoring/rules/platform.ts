import { AlertSeverity, AttackTactic, EntityMappingType } from "@pulumi/azure-native/types/enums/securityinsights";
import { tableRule } from "./builder";
import { AnalyticsRule } from "./types";

/** Detections over Key Vault audit logs and the edge WAF (resource-specific tables). */

/** Key Vault data-plane purge operations (AZKVAuditLogs.OperationName). */
const keyVaultPurgeOperations = ["SecretPurge", "KeyPurge", "CertificatePurge"] as const;

/**
 * The caller's object id and client id from `Identity.claim`. The Key Vault logging reference
 * documents the object id only under its full claim URI; tokens with short claim names carry
 * `oid`: read both (https://learn.microsoft.com/azure/key-vault/general/logging).
 */
const keyVaultCallerColumns =
    '| extend CallerObjectId = coalesce(tostring(Identity.claim.oid), tostring(Identity.claim["http://schemas.microsoft.com/identity/claims/objectidentifier"])), ' +
    'ClientAppId = coalesce(tostring(Identity.claim.appid), tostring(Identity.claim["http://schemas.microsoft.com/identity/claims/appid"]))';

const keyVaultCaller = [
    { type: EntityMappingType.Account, fields: { AadUserId: "CallerObjectId" } },
    { type: EntityMappingType.CloudApplication, fields: { Name: "ClientAppId" } },
    { type: EntityMappingType.IP, fields: { Address: "CallerIpAddress" } },
    { type: EntityMappingType.AzureResource, fields: { ResourceId: "_ResourceId" } },
] as const;

export const keyVaultAccessDenied: AnalyticsRule = tableRule({
    id: "mcp-keyvault-access-denied",
    title: "Repeated access denied on the platform Key Vault",
    description:
        "One caller was refused (HTTP 403) five or more times within 15 minutes: an identity probing for keys or " +
        "secrets it was not granted, or a broken role assignment (C6.2, C6.3).",
    controls: ["C6.2", "C6.3", "C5.2"],
    severity: AlertSeverity.Medium,
    tactics: [AttackTactic.CredentialAccess, AttackTactic.Discovery],
    techniques: ["T1555"],
    tables: ["AZKVAuditLogs"],
    stages: [
        "| where HttpStatusCode == 403",
        keyVaultCallerColumns,
        "| summarize Denied = count(), Operations = make_set(OperationName, 20), Items = make_set(Id, 20) by CallerObjectId, ClientAppId, CallerIpAddress, _ResourceId",
        "| where Denied >= 5",
    ],
    frequency: "PT15M",
    grouping: { window: "PT3H", why: "Probing or a broken assignment repeats every run until fixed: one incident per caller and vault for three hours." },
    entities: keyVaultCaller,
    customDetails: { Denied: "Denied", Operations: "Operations", ClientAppId: "ClientAppId" },
});

const keyVaultPurgeAttempt: AnalyticsRule = tableRule({
    id: "mcp-keyvault-purge-attempt",
    title: "Purge attempted on a key, secret or certificate of the platform Key Vault",
    description:
        "Someone tried to purge a deleted key, secret or certificate. Purge protection refuses it, but nobody " +
        "operating the platform purges: destruction of key material or cover-up (C6.2, A10).",
    controls: ["C6.2", "A10", "C5.2"],
    severity: AlertSeverity.High,
    tactics: [AttackTactic.Impact, AttackTactic.DefenseEvasion],
    techniques: ["T1485"],
    tables: ["AZKVAuditLogs"],
    stages: [
        `| where OperationName in (${keyVaultPurgeOperations.map((o) => `"${o}"`).join(", ")})`,
        keyVaultCallerColumns,
        "| summarize Attempts = count(), Items = make_set(Id, 20), Results = make_set(HttpStatusCode, 5) by CallerObjectId, ClientAppId, CallerIpAddress, _ResourceId",
    ],
    frequency: "PT5M",
    grouping: { window: "PT6H", why: "A destruction attempt usually sweeps several items in a row: one incident per caller and vault for six hours." },
    entities: keyVaultCaller,
    customDetails: { Attempts: "Attempts", Items: "Items", ClientAppId: "ClientAppId" },
});

export const wafBlockSpike: AnalyticsRule = tableRule({
    id: "mcp-waf-block-spike",
    title: "Spike of WAF blocks from one client",
    description:
        "The edge WAF blocked 100 or more requests from one client address within 15 minutes: scanning, injection " +
        "attempts or a flood against the MCP endpoint (C1.1, C4.4).",
    controls: ["C1.1", "C4.4", "C5.2"],
    severity: AlertSeverity.Medium,
    tactics: [AttackTactic.Reconnaissance, AttackTactic.InitialAccess],
    techniques: ["T1595", "T1190"],
    tables: ["AGWFirewallLogs"],
    stages: [
        '| where Action == "Blocked"',
        "| summarize Blocked = count(), Rules = make_set(RuleId, 20), Uris = make_set(RequestUri, 10), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated) by ClientIp, Hostname",
        "| where Blocked >= 100",
    ],
    frequency: "PT15M",
    grouping: { window: "PT1H", why: "A scan from one address runs for minutes to an hour: one incident per address and host per hour." },
    entities: [
        { type: EntityMappingType.IP, fields: { Address: "ClientIp" } },
        { type: EntityMappingType.DNS, fields: { DomainName: "Hostname" } },
    ],
    customDetails: { Blocked: "Blocked", Rules: "Rules" },
});

export const platformRules: readonly AnalyticsRule[] = [keyVaultAccessDenied, keyVaultPurgeAttempt, wafBlockSpike];
