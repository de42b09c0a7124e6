import * as proxy from "@pulumi/policy/proxy";
import { describe, expect, it } from "vitest";
import { azureKeyvaultVaultEnforcePremiumSku } from "../../policy-pack/policies/keyvault";
import { azureApimanagementApiEnforceTokenValidation } from "../../policy-pack/policies/gateway/mcpApiAccess";

/**
 * A value unknown during preview (computed from a resource not yet created) must fail closed: the
 * engine would report an advisory "can't run" note and let the control pass unchecked.
 */
// The engine's own proxy and sentinel (its type declarations omit them).
const { unknownCheckingProxy, unknownStringValue } = proxy as unknown as { unknownCheckingProxy: <T>(props: T) => T; unknownStringValue: string };

describe("values the policy cannot evaluate fail closed", () => {
    const config = () => ({ exemptions: [] });

    it("a resource policy reports a violation naming the unknown value", () => {
        const messages: string[] = [];
        (azureKeyvaultVaultEnforcePremiumSku.validateResource as (args: never, report: (message: string) => void) => void)(
            {
                type: "azure-native:keyvault:Vault",
                name: "kv",
                urn: "urn:pulumi:dev::p::azure-native:keyvault:Vault::kv",
                props: unknownCheckingProxy({ properties: { sku: { name: unknownStringValue } } }),
                getConfig: config,
                notApplicable: () => undefined,
            } as never,
            (message: string) => messages.push(message),
        );
        expect(messages).toEqual([expect.stringMatching(/^Vault kv must have values the policy can evaluate \(.*properties\.sku\.name.*fails closed/)]);
    });

    it("a stack policy reports a violation when an MCP API policy document is unknown", () => {
        const messages: string[] = [];
        const resource = (type: string, name: string, props: Record<string, unknown>) => ({
            type,
            name,
            urn: `urn:pulumi:dev::p::${type}::${name}`,
            props: unknownCheckingProxy(props),
            propertyDependencies: {},
            dependencies: [],
            isComponent: false,
            opts: {},
        });
        const api = resource("azure-native:apimanagement:Api", "api", { apiId: "mcp-docs", path: "mcp/docs", serviceName: "apim" });
        const policy = resource("azure-native:apimanagement:ApiPolicy", "api-policy", { apiId: "mcp-docs", serviceName: "apim", value: unknownStringValue });
        (azureApimanagementApiEnforceTokenValidation.validateStack as (args: never, report: (message: string) => void) => void)(
            { resources: [api, policy], getConfig: config } as never,
            (message: string) => messages.push(message),
        );
        expect(messages).toEqual([expect.stringContaining("must have values the policy can evaluate")]);
        expect(messages[0]).toContain("fails closed");
    });
});
