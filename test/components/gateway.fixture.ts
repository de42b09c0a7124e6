import * as pulumi from "@pulumi/pulumi";
import { McpGateway, McpGatewayArgs } from "../../components/gateway";
import { createNaming } from "../../components/shared/naming";

const tenantId = "11111111-2222-4333-8444-555555555555";
const approvedDigest = `sha256:${"ab".repeat(32)}`;

/** A typed, compliant set of gateway args, as the platform would pass them. */
export function gatewayArgs(overrides: Partial<McpGatewayArgs> = {}): McpGatewayArgs {
    const naming = createNaming({ project: "mcp-platform", stack: "test", tenantId, location: "swedencentral", workload: "mcp" });
    return {
        placement: {
            resourceGroupName: "rg-mcp-test",
            location: "swedencentral",
            tags: { workload: "mcp", environment: "test", "data-classification": "confidential", owner: "team@contoso.com" },
            naming,
            subscriptionId: "00000000-0000-0000-0000-000000000001",
        },
        diagnostics: { workspaceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log" },
        sku: "Developer",
        capacity: 1,
        publisherEmail: "platform@contoso.com",
        publisherName: "Platform team",
        subnetId: "/subscriptions/s/resourceGroups/rg-mcp-test/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-gateway",
        apiManagementDnsZoneId: "/subscriptions/s/resourceGroups/rg-mcp-test/providers/Microsoft.Network/privateDnsZones/azure-api.net",
        gatewayIdentity: {
            id: "/subscriptions/s/resourceGroups/rg-mcp-test/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-gateway",
            clientId: "99999999-8888-4777-8666-555555555555",
        },
        tenantId,
        contentSafetyEndpoint: pulumi.output("https://cs-mcp-test.cognitiveservices.azure.com/"),
        publicBaseUrl: "https://mcp.contoso.com",
        policy: {
            protocolVersions: ["2025-11-25", "2026-07-28"],
            allowedOrigins: ["https://vscode.dev"],
            maxRequestBytes: 1_048_576,
            sessionIdleMinutes: 30,
            sessionAbsoluteMinutes: 480,
            promptShieldsFailureMode: "closed",
            manifestMode: "block",
        },
        servers: [
            {
                name: "docs",
                backendFqdn: "ca-mcp-test-docs.internal.bluesky-1234.swedencentral.azurecontainerapps.io",
                apiAppClientId: "aaaaaaaa-0000-4000-8000-000000000001",
                apiIdentifierUri: `api://${tenantId}/docs`,
                backendIdentifierUri: `api://${tenantId}/docs-backend`,
                requiredScope: "mcp.access",
                appRoleValues: ["Docs.Read", "Docs.Write"],
                clientApplicationIds: ["aebc6443-996d-45c2-90f0-388ff96faa56", pulumi.output("cccccccc-0000-4000-8000-000000000003")],
                tools: { search_docs: "Docs.Read", get_page: "Docs.Read", update_page: "Docs.Write" },
                manifestDigest: approvedDigest,
                rateLimits: { perUserPerMinute: 60, perSessionPerMinute: 30, perUserToolPerMinute: 20, perUserDailyQuota: 5000 },
            },
        ],
        ...overrides,
    };
}

export const buildGateway = (overrides: Partial<McpGatewayArgs> = {}) => () => {
    new McpGateway("gw", gatewayArgs(overrides));
};
