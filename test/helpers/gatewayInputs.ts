import type { ServerPolicyInput } from "../../components/gateway/policy/apiPolicy";
import type { FragmentSettings } from "../../components/gateway/policy/settings";

/**
 * The one gateway-policy fixture: the settings of the fragments and the inputs of one server's API
 * policy ("docs", two tools), as components/platform would pass them. Tests override what they vary.
 */
export const tenantId = "11111111-2222-4333-8444-555555555555";
export const gatewayIdentityClientId = "99999999-8888-4777-8666-555555555555";
/** Visual Studio Code's public client id, on the server's client allow-list. */
export const userClientId = "aebc6443-996d-45c2-90f0-388ff96faa56";

export function fragmentSettings(overrides: Partial<FragmentSettings> = {}): FragmentSettings {
    return {
        protocolVersions: ["2025-11-25", "2026-07-28"],
        allowedOrigins: ["https://vscode.dev"],
        maxRequestBytes: 1_048_576,
        sessionIdleSeconds: 1800,
        sessionAbsoluteSeconds: 28800,
        promptShieldsFailureMode: "closed",
        manifestMode: "block",
        contentSafetyEndpoint: "https://cs-mcp-test.cognitiveservices.azure.com/",
        gatewayIdentityClientId,
        ...overrides,
    };
}

export function serverPolicyInput(overrides: Partial<ServerPolicyInput> = {}): ServerPolicyInput {
    return {
        server: "docs",
        tenantId,
        apiAppClientId: "aaaaaaaa-0000-4000-8000-000000000001",
        apiIdentifierUri: `api://${tenantId}/docs`,
        requiredScope: "mcp.access",
        appRoleValues: ["Docs.Read", "Docs.Write"],
        clientApplicationIds: [userClientId],
        tools: { search_docs: "Docs.Read", update_page: "Docs.Write" },
        manifestDigest: `sha256:${"ab".repeat(32)}`,
        backendIdentifierUri: `api://${tenantId}/docs-backend`,
        backendId: "mcp-docs",
        gatewayIdentityClientId,
        publicBaseUrl: "https://mcp.contoso.com",
        rateLimits: { perUserPerMinute: 60, perSessionPerMinute: 30, perUserToolPerMinute: 20, perUserDailyQuota: 5000 },
        ...overrides,
    };
}
