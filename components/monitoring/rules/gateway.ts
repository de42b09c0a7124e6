import { AlertSeverity, AttackTactic, EntityMappingType } from "@pulumi/azure-native/types/enums/securityinsights";
import { SecurityEventName, securityEvents } from "../../../policy-pack/contract/events";
import { gatewayRule } from "./builder";
import { account, clientApp, ip, kqlString, server } from "./entities";
import { AnalyticsRule, RuleContext } from "./types";

/** Detections over the gateway's security events (ApiManagementGatewayLogs.TraceRecords). */

/**
 * Detail of the 401 the gateway answers to a request without a bearer token
 * (components/gateway/policy/authFragments.ts, bearerRequiredFragment). MCP clients send that
 * request on purpose to discover sign-in (RFC 9728 `resource_metadata` challenge), so it is not a
 * token failure; the test reads the generated gateway XML to keep both sides equal.
 */
export const discoveryChallengeDetail = "no bearer token";

export const tokenFailuresFromOneSource: AnalyticsRule = gatewayRule({
    id: "mcp-token-failures-one-source",
    title: "Token validation failures from one source",
    description:
        "One client address presented 20 or more tokens the gateway rejected (bad signature, expired, wrong tenant, " +
        "no oid) within 10 minutes: token guessing, replay of stolen tokens or a misconfigured client (M1, M2). The " +
        "unauthenticated first request of the RFC 9728 sign-in discovery is not counted.",
    controls: ["M1", "M2", "C5.2"],
    severity: AlertSeverity.Medium,
    tactics: [AttackTactic.CredentialAccess, AttackTactic.InitialAccess],
    techniques: ["T1110", "T1078"],
    events: [securityEvents.tokenRejected],
    stages: [
        `| where Detail != ${kqlString(discoveryChallengeDetail)}`,
        "| summarize Failures = count(), Servers = make_set(Server, 10), Reasons = make_set(Detail, 10), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated) by ClientIp",
        "| where Failures >= 20",
    ],
    frequency: "PT10M",
    grouping: { window: "PT1H", why: "A guessing or replay run from one address lasts minutes to hours: one incident per address per hour; a new address is a new incident." },
    entities: [ip],
    customDetails: { Failures: "Failures", Reasons: "Reasons" },
});

export const audienceOrIssuerMismatch: AnalyticsRule = gatewayRule({
    id: "mcp-token-audience-mismatch",
    title: "Token for another audience or issuer presented to an MCP server",
    description:
        "A token issued for another audience (another API) or by another issuer (another tenant) reached an MCP API: " +
        "token passthrough or a confused-deputy attempt; the gateway refused it (M1, C7.1, C7.2). The gateway records " +
        "the rejected token's own aud, iss, appid, oid and tid before any identity is established: they are UNVERIFIED " +
        "claims (custom detail ClaimsVerified false) and name who the token says it belongs to, not who sent it.",
    controls: ["M1", "C7.1", "C7.2", "C5.2"],
    severity: AlertSeverity.High,
    tactics: [AttackTactic.DefenseEvasion, AttackTactic.LateralMovement],
    techniques: ["T1550"],
    events: [securityEvents.audienceMismatch],
    stages: [
        // Detail is the JSON the on-error fragment writes (components/gateway/policy/responseFragments.ts).
        "| extend Token = parse_json(Detail)",
        "| extend TokenAudience = tostring(Token.aud), TokenIssuer = tostring(Token.iss), TokenAppId = tostring(Token.appid), " +
            "TokenObjectId = tostring(Token.oid), TokenTenantId = tostring(Token.tid), Reason = tostring(Token.reason), ClaimsVerified = not(tobool(Token.unverified))",
        "| summarize Attempts = count(), Servers = make_set(Server, 10), Audiences = make_set(TokenAudience, 10), Issuers = make_set(TokenIssuer, 10), " +
            "Reasons = make_set(Reason, 5), LastSeen = max(TimeGenerated) by TokenObjectId, TokenTenantId, TokenAppId, ClientIp, ClaimsVerified",
    ],
    frequency: "PT5M",
    grouping: { window: "PT6H", why: "Every attempt is high severity; the same token owner, client and address retrying within a working shift is one investigation." },
    entities: [
        { type: EntityMappingType.Account, fields: { AadUserId: "TokenObjectId", AadTenantId: "TokenTenantId" } },
        { type: EntityMappingType.CloudApplication, fields: { Name: "TokenAppId" } },
        ip,
    ],
    customDetails: { Attempts: "Attempts", Audiences: "Audiences", Issuers: "Issuers", TokenAppId: "TokenAppId", ClaimsVerified: "ClaimsVerified" },
});

const sessionBindingViolation: AnalyticsRule = gatewayRule({
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
    stages: [
        "| summarize Attempts = count(), Sessions = make_set(SessionHash, 10), LastSeen = max(TimeGenerated) by CallerObjectId, ClientAppId, ClientIp, Server",
    ],
    frequency: "PT5M",
    grouping: { window: "PT6H", why: "A stolen session id is replayed until it expires (absolute lifetime up to 8 hours): one incident per presenting user, client and address." },
    entities: [account, clientApp, ip, server],
    customDetails: { Server: "Server", Attempts: "Attempts", ClientAppId: "ClientAppId" },
});

const rateLimitAbusePerUser: AnalyticsRule = gatewayRule({
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
    stages: [
        "| summarize Refusals = count(), Servers = make_set(Server, 10), Tools = make_set(Tool, 20), Addresses = make_set(ClientIp, 10) by CallerObjectId, ClientAppId",
        "| where Refusals >= 50",
    ],
    frequency: "PT15M",
    grouping: { window: "PT3H", why: "A runaway loop keeps hitting the limit run after run: one incident per user and client for three hours instead of one every 15 minutes." },
    entities: [account, clientApp],
    customDetails: { Refusals: "Refusals", ClientAppId: "ClientAppId" },
});

const promptShieldsDetection: AnalyticsRule = gatewayRule({
    id: "mcp-prompt-attack",
    title: "Prompt Shields flagged tool-call arguments",
    description:
        "Azure AI Content Safety Prompt Shields detected a prompt-injection attack in tools/call arguments; the " +
        "gateway blocked the call (C1.3, C9.1).",
    controls: ["C1.3", "C9.1", "C5.2"],
    severity: AlertSeverity.Medium,
    tactics: [AttackTactic.InitialAccess, AttackTactic.Execution],
    events: [securityEvents.promptAttackDetected],
    stages: [
        "| summarize Detections = count(), Tools = make_set(Tool, 20), Addresses = make_set(ClientIp, 10), LastSeen = max(TimeGenerated) by CallerObjectId, ClientAppId, Server",
    ],
    frequency: "PT5M",
    grouping: { window: "PT1H", why: "An injection campaign through one user's client retries variations within minutes: one incident per user, client and server per hour." },
    entities: [account, clientApp, server],
    customDetails: { Server: "Server", Detections: "Detections", ClientAppId: "ClientAppId" },
});

/**
 * Manifest drift names the server and, from the stack's declaration, its image: the drifted tools
 * came from that image (or from a change behind it), so both are entities of the incident.
 */
function toolManifestDrift(context: RuleContext): AnalyticsRule {
    const rows = context.servers.map((s) => `${kqlString(s.name)}, ${kqlString(s.image ?? "")}`).join(", ");
    return gatewayRule({
        id: "mcp-tool-manifest-drift",
        title: "MCP server tool manifest differs from the approved digest",
        description:
            "A tools/list result did not match the approved manifest digest: the server's tools changed without " +
            "approval (tool poisoning or an unreviewed deployment) (C9.2). Entities: the server and the image digest it " +
            "is declared to run.",
        controls: ["C9.2", "C10.4", "C5.2"],
        severity: AlertSeverity.High,
        tactics: [AttackTactic.InitialAccess, AttackTactic.Persistence],
        techniques: ["T1195"],
        events: [securityEvents.manifestDrift],
        lets: [`let serverImages = datatable(Server: string, Image: string) [${rows}];`],
        stages: [
            "| summarize Occurrences = count(), Digests = make_set(Detail, 10), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated) by Server",
            "| lookup kind=leftouter serverImages on Server",
            '| extend HashAlgorithm = "SHA256", ImageDigest = extract(@"@sha256:([0-9a-f]{64})$", 1, Image)',
        ],
        frequency: "PT5M",
        grouping: { window: "P1D", why: "Drift persists until the server is rolled back or the digest re-approved, and every tools/list repeats it: one incident per server and image per day." },
        entities: [server, { type: EntityMappingType.FileHash, fields: { Algorithm: "HashAlgorithm", Value: "ImageDigest" } }],
        customDetails: { Server: "Server", Image: "Image", Digests: "Digests" },
    });
}

const callVolumeAnomaly: AnalyticsRule = gatewayRule({
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
    baseline: "P14D",
    stages: [
        "| where isnotempty(CallerObjectId)",
        "| make-series Calls = count() default = 0 on TimeGenerated from evaluatedBin - 13d to evaluatedBin + 1h step 1h by CallerObjectId",
        '| extend (Anomalies, Score, Baseline) = series_decompose_anomalies(Calls, 3.0, -1, "linefit")',
        "| mv-expand TimeGenerated to typeof(datetime), Calls to typeof(long), Anomalies to typeof(int), Score to typeof(real), Baseline to typeof(real)",
        // Only the newest complete hour (see builder.ts: each run evaluates the next bin); a floor keeps tiny counts quiet.
        "| where TimeGenerated == evaluatedBin and Anomalies > 0 and Calls >= 30",
        "| project CallerObjectId, TimeGenerated, Calls, Baseline, Score",
    ],
    frequency: "PT1H",
    grouping: { window: "PT6H", why: "Bulk collection or a runaway agent spans several hourly bins: one incident per user for six hours." },
    entities: [account],
    customDetails: { Calls: "Calls", Baseline: "Baseline" },
});

/** The gateway rules for a stack (the manifest rule reads its server declarations). */
export function gatewayRules(context: RuleContext): AnalyticsRule[] {
    return [
        tokenFailuresFromOneSource,
        audienceOrIssuerMismatch,
        sessionBindingViolation,
        rateLimitAbusePerUser,
        promptShieldsDetection,
        toolManifestDrift(context),
        callVolumeAnomaly,
    ];
}

/**
 * Security events the gateway emits that no analytics rule reads, and why: each is an ordinary
 * refusal of a misbehaving or misconfigured client that the gateway already answered, with no
 * attack signal on its own; they stay in ApiManagementGatewayLogs for hunting and for the incident
 * timelines of the rules above. The KQL test fails when the gateway emits an event that is neither
 * read by a rule nor listed here.
 */
export const eventsWithoutRule: Readonly<Partial<Record<SecurityEventName, string>>> = {
    [securityEvents.claimMissing]: "A signed-in caller without the scope or app role: a missing assignment far more often than an attack; the caller is known and refused.",
    [securityEvents.clientNotAllowed]: "A client app outside the server's allow-list: a valid token for a known tenant app, refused; review in hunting when a new app appears.",
    [securityEvents.protocolVersionRejected]: "An outdated or future MCP client revision: a compatibility event, not an attack.",
    [securityEvents.headerBodyMismatch]: "A client whose Mcp-Method header contradicts its body: a client bug or a probe, refused before authorisation matters.",
    [securityEvents.envelopeRejected]: "Malformed or oversized requests: the WAF rule mcp-waf-block-spike covers floods of them at the edge.",
    [securityEvents.originRejected]: "A browser page from another origin (DNS rebinding, C1.1): refused; the user behind it is not identified.",
    [securityEvents.sessionUnknown]: "An expired or unknown session id: the normal end of a session; hijacking shows as mcp-session-binding-violation.",
    [securityEvents.sessionMalformed]: "A session id of the wrong shape: a client bug or a probe, refused.",
    [securityEvents.toolForbidden]: "A tools/call for a tool the caller's role lacks: refused; repeated attempts also hit the rate limits (mcp-rate-limit-abuse).",
    [securityEvents.contentSafetyUnavailable]: "Content Safety unreachable: an availability event for Azure Monitor alerts, not a Sentinel detection (fail-closed in prod).",
};
