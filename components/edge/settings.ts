import * as network from "@pulumi/azure-native/network";
import type * as inputs from "@pulumi/azure-native/types/input";

/**
 * Pure helpers of the edge: the WAF policy's settings and rules, sub-resource ids inside the
 * Application Gateway, and Key Vault secret ids. Unit-tested without mocks.
 */

/** Managed rule sets: Microsoft's Default Rule Set 2.1 (OWASP CRS 3.3 based, C1.1) and bot protection. */
export const managedRuleSets = [
    { ruleSetType: "Microsoft_DefaultRuleSet", ruleSetVersion: "2.1" },
    { ruleSetType: "Microsoft_BotManagerRuleSet", ruleSetVersion: "1.1" },
] as const;

/** Azure's bounds for body inspection with CRS 3.2+/DRS 2.1 (2 MB body, 128 KB inspected by default). */
const maxRequestBodyKbLimit = 2000;
const minRequestBodyKb = 8;

/**
 * The WAF body limit that admits what the gateway's own size check admits (the gateway decides
 * precisely, C1.1), within Azure's bounds.
 */
export function wafBodyLimitKbFor(gatewayMaxRequestBytes: number): number {
    return Math.min(maxRequestBodyKbLimit, Math.max(minRequestBodyKb, Math.ceil(gatewayMaxRequestBytes / 1024)));
}

/** Validates and resolves the body limit: the WAF rejects larger bodies before they reach the gateway (C1.1, C9.4). */
export function resolveMaxRequestBodyKb(kb: number | undefined): number {
    const value = kb ?? 1024;
    if (!Number.isInteger(value) || value < minRequestBodyKb || value > maxRequestBodyKbLimit) {
        throw new Error(`maxRequestBodyKb: got ${value}, expected a whole number from ${minRequestBodyKb} to ${maxRequestBodyKbLimit} (Application Gateway's limit with DRS 2.1)`);
    }
    return value;
}

/** Validates the per-client-IP rate limit (requests per minute). */
export function resolveClientIpRequestsPerMinute(limit: number | undefined): number {
    const value = limit ?? 600;
    if (!Number.isInteger(value) || value < 10) {
        throw new Error(`clientIpRequestsPerMinute: got ${value}, expected a whole number ≥ 10 (Application Gateway's minimum rate threshold)`);
    }
    return value;
}

/** Policy settings: enabled, Prevention, request bodies inspected and enforced, secrets scrubbed from logs. */
export function wafPolicySettings(maxRequestBodyKb: number): inputs.network.PolicySettingsArgs {
    return {
        state: network.WebApplicationFirewallEnabledState.Enabled,
        mode: network.WebApplicationFirewallMode.Prevention,
        requestBodyCheck: true,
        requestBodyEnforcement: true,
        maxRequestBodySizeInKb: maxRequestBodyKb,
        requestBodyInspectLimitInKB: Math.min(128, maxRequestBodyKb),
        // MCP has no file uploads; 1 MB is the smallest limit Azure accepts.
        fileUploadEnforcement: true,
        fileUploadLimitInMb: 1,
        // WAF logs must not keep bearer tokens or cookies (C5.3).
        logScrubbing: {
            state: network.WebApplicationFirewallScrubbingState.Enabled,
            scrubbingRules: [
                scrub(network.ScrubbingRuleEntryMatchVariable.RequestHeaderNames, "Authorization"),
                scrub(network.ScrubbingRuleEntryMatchVariable.RequestHeaderNames, "Cookie"),
                {
                    matchVariable: network.ScrubbingRuleEntryMatchVariable.RequestCookieNames,
                    selectorMatchOperator: network.ScrubbingRuleEntryMatchOperator.EqualsAny,
                    state: network.ScrubbingRuleEntryState.Enabled,
                },
            ],
        },
    };
}

function scrub(matchVariable: string, selector: string): inputs.network.WebApplicationFirewallScrubbingRulesArgs {
    return {
        matchVariable,
        selector,
        selectorMatchOperator: network.ScrubbingRuleEntryMatchOperator.Equals,
        state: network.ScrubbingRuleEntryState.Enabled,
    };
}

/**
 * A rate-limit rule counting requests per client address (C4.1, C4.4). The match condition selects
 * every request (a negated match on an address no client has), the grouping makes it per IP.
 */
export function clientIpRateLimitRule(requestsPerMinute: number): inputs.network.WebApplicationFirewallCustomRuleArgs {
    return {
        name: "RateLimitPerClientIp",
        priority: 10,
        ruleType: network.WebApplicationFirewallRuleType.RateLimitRule,
        state: network.WebApplicationFirewallState.Enabled,
        action: network.WebApplicationFirewallAction.Block,
        rateLimitDuration: network.ApplicationGatewayFirewallRateLimitDuration.OneMin,
        rateLimitThreshold: requestsPerMinute,
        groupByUserSession: [{ groupByVariables: [{ variableName: network.ApplicationGatewayFirewallUserSessionVariable.ClientAddr }] }],
        matchConditions: [
            {
                matchVariables: [{ variableName: network.WebApplicationFirewallMatchVariable.RemoteAddr }],
                operator: network.WebApplicationFirewallOperator.IPMatch,
                negationConditon: true,
                matchValues: ["255.255.255.255/32"],
            },
        ],
    };
}

/** The id of a sub-resource (listener, port, pool…) inside an Application Gateway, which ARM wants as a reference. */
export function subResourceId(subscriptionId: string, resourceGroupName: string, gatewayName: string, collection: string, name: string): string {
    return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.Network/applicationGateways/${gatewayName}/${collection}/${name}`;
}

/**
 * Splits a versionless Key Vault secret id (`https://<vault>.vault.azure.net/secrets/<name>`) into
 * vault URI and secret name. A versioned id would pin the certificate and stop rotation (C3.3).
 */
export function parseVersionlessSecretId(secretId: string): { vaultUri: string; secretName: string; secretId: string } {
    const match = /^(https:\/\/[a-z0-9-]+\.vault\.azure\.net\/)secrets\/([A-Za-z0-9-]+)\/?$/.exec(secretId);
    if (!match) {
        throw new Error(
            `certificateSecretId: got ${JSON.stringify(secretId)}, expected a versionless Key Vault secret id ` +
                "(https://<vault>.vault.azure.net/secrets/<name>, no version) so renewals are picked up automatically",
        );
    }
    return { vaultUri: match[1], secretName: match[2], secretId: `${match[1]}secrets/${match[2]}` };
}

/** `https://<vault>.vault.azure.net/` + `secrets/<name>`, tolerating a vault URI without the trailing slash. */
export function versionlessSecretId(vaultUri: string, secretName: string): string {
    return `${vaultUri.replace(/\/?$/, "/")}secrets/${secretName}`;
}
