import { describe, expect, it } from "vitest";
import {
    azureApimanagementApiDisableTokenPassthrough,
    azureApimanagementApiEnableSessionBinding,
    azureApimanagementApiEnableUserRateLimit,
    azureApimanagementApiEnforceProtocolVersion,
    azureApimanagementApiEnforceTokenValidation,
    azureApimanagementServiceDisableLegacyTls,
    azureApimanagementServiceEnableInternalVnet,
} from "../../policy-pack/policies/gateway";
import { buildApiPolicy, ServerPolicyInput } from "../../components/gateway/policy/apiPolicy";
import { buildFragments, fragmentId } from "../../components/gateway/policy/fragments";
import { FragmentSettings } from "../../components/gateway/policy/settings";
import { gatewayCustomProperties } from "../../components/gateway/service";
import { el, serialize, XmlElement } from "../../components/gateway/policy/xml";
import { violationsOf } from "../helpers/policy";
import { planned } from "../helpers/resources";
import type { PlannedResource } from "../../tools/offline/types";

const tenantId = "11111111-2222-4333-8444-555555555555";
const settings: FragmentSettings = {
    protocolVersions: ["2025-11-25", "2026-07-28"],
    allowedOrigins: [],
    maxRequestBytes: 1_048_576,
    sessionIdleSeconds: 1800,
    sessionAbsoluteSeconds: 28800,
    promptShieldsFailureMode: "closed",
    manifestMode: "block",
    contentSafetyEndpoint: "https://cs.cognitiveservices.azure.com/",
    gatewayIdentityClientId: "99999999-8888-4777-8666-555555555555",
};
const server: ServerPolicyInput = {
    server: "docs",
    tenantId,
    apiAppClientId: "aaaaaaaa-0000-4000-8000-000000000001",
    apiIdentifierUri: `api://${tenantId}/docs`,
    requiredScope: "mcp.access",
    appRoleValues: ["Docs.Read"],
    clientApplicationIds: ["aebc6443-996d-45c2-90f0-388ff96faa56"],
    tools: { search_docs: "Docs.Read" },
    manifestDigest: `sha256:${"ab".repeat(32)}`,
    backendIdentifierUri: `api://${tenantId}/docs-backend`,
    backendId: "mcp-docs",
    gatewayIdentityClientId: settings.gatewayIdentityClientId,
    publicBaseUrl: "https://mcp.contoso.com",
    rateLimits: { perUserPerMinute: 60, perSessionPerMinute: 30, perUserToolPerMinute: 20, perUserDailyQuota: 5000 },
    fragmentIdPrefix: "gw",
};

const api = planned("azure-native:apimanagement:Api", "gw-api-docs", { apiId: "mcp-docs", path: "mcp/docs", serviceName: "apim" });
const fragments = (s: FragmentSettings = settings): PlannedResource[] =>
    buildFragments(s).map((f) => planned("azure-native:apimanagement:PolicyFragment", fragmentId("gw", f.id), { serviceName: "apim", format: "xml", value: serialize(f.root) }));
const apiPolicy = (value: string | undefined) =>
    planned("azure-native:apimanagement:ApiPolicy", "gw-api-docs-policy", { apiId: "mcp-docs", serviceName: "apim", format: "xml", value });
const platform = (protocolVersions: string[]) => planned("mcp:platform:McpPlatform", "platform", { protocolVersions }, { custom: false });

/** The generated policy with `edit` applied to the inbound section's children. */
function editedPolicy(edit: (inbound: XmlElement[]) => XmlElement[]): string {
    const root = buildApiPolicy(server);
    const children = root.children.map((c) => ("name" in c && c.name === "inbound" ? { ...c, children: edit(c.children as XmlElement[]) } : c));
    return serialize({ ...root, children });
}
const without = (name: string, pred: (e: XmlElement) => boolean = () => true) => (inbound: XmlElement[]) => inbound.filter((e) => !(e.name === name && pred(e)));
const compliant = () => [api, apiPolicy(serialize(buildApiPolicy(server))), ...fragments()];
const messages = async (policy: Parameters<typeof violationsOf>[0], resources: PlannedResource[]) => (await violationsOf(policy, resources)).map((v) => v.message);

const apiPolicies = [
    azureApimanagementApiEnforceTokenValidation,
    azureApimanagementApiDisableTokenPassthrough,
    azureApimanagementApiEnforceProtocolVersion,
    azureApimanagementApiEnableSessionBinding,
    azureApimanagementApiEnableUserRateLimit,
];

describe("MCP API policies (shared cases)", () => {
    for (const policy of apiPolicies) {
        it(`${policy.name} accepts the gateway's generated policy with its fragments resolved`, async () => {
            expect(await violationsOf(policy, compliant())).toEqual([]);
            expect(await violationsOf(policy, [...compliant(), platform(["2025-11-25", "2026-07-28"])])).toEqual([]);
        });
        it(`${policy.name} rejects an MCP API without an API policy (unset)`, async () => {
            expect(await messages(policy, [api, ...fragments()])).toEqual([expect.stringContaining("Api gw-api-docs must have an API policy (none is attached)")]);
        });
        it(`${policy.name} rejects an API policy whose fragments do not exist`, async () => {
            expect(await messages(policy, [api, apiPolicy(serialize(buildApiPolicy(server)))])).toEqual([
                expect.stringContaining("must include only policy fragments that exist (missing: gw-mcp-resource-metadata"),
            ]);
        });
    }

    it("ignores APIs that are not MCP APIs", async () => {
        const other = planned("azure-native:apimanagement:Api", "echo", { apiId: "echo", path: "echo", serviceName: "apim" });
        expect(await violationsOf(azureApimanagementApiEnforceTokenValidation, [other])).toEqual([]);
    });
});

describe("azure-apimanagement-api-enforce-token-validation (M1, M2, M3, C7.2, C7.3)", () => {
    it("rejects an API policy without token validation", async () => {
        const policy = apiPolicy(editedPolicy(without("validate-azure-ad-token")));
        expect(await messages(azureApimanagementApiEnforceTokenValidation, [api, policy, ...fragments()])).toEqual([
            "Api gw-api-docs must validate every request's token with validate-azure-ad-token in inbound, outside any condition (M1, M2, M3, C7.2, C7.3).",
        ]);
    });

    it("rejects validation hidden inside a condition", async () => {
        const policy = apiPolicy(
            editedPolicy((inbound) => inbound.map((e) => (e.name === "validate-azure-ad-token" ? el("choose", {}, el("when", { condition: "@(false)" }, e)) : e))),
        );
        expect(await violationsOf(azureApimanagementApiEnforceTokenValidation, [api, policy, ...fragments()])).toHaveLength(1);
    });

    it("rejects an audience taken from the request instead of pinned", async () => {
        const policy = apiPolicy(
            editedPolicy((inbound) =>
                inbound.map((e) =>
                    e.name === "validate-azure-ad-token"
                        ? { ...e, children: e.children.map((c) => ("name" in c && c.name === "audiences" ? el("audiences", {}, el("audience", {}, "@(context.Request.OriginalUrl.Host)")) : c)) }
                        : e,
                ),
            ),
        );
        expect(await messages(azureApimanagementApiEnforceTokenValidation, [api, policy, ...fragments()])).toEqual([expect.stringContaining("pin the token audience to literal values")]);
    });

    it("rejects a tenant given by expression", async () => {
        const policy = apiPolicy(
            editedPolicy((inbound) => inbound.map((e) => (e.name === "validate-azure-ad-token" ? { ...e, attributes: { ...e.attributes, "tenant-id": "@(context.Request.Headers.GetValueOrDefault(\"t\",\"\"))" } } : e))),
        );
        expect(await messages(azureApimanagementApiEnforceTokenValidation, [api, policy, ...fragments()])).toEqual([expect.stringContaining("pin the token tenant")]);
    });

    it("rejects a policy document that is not XML", async () => {
        expect(await messages(azureApimanagementApiEnforceTokenValidation, [api, apiPolicy("<policies><inbound>"), ...fragments()])).toEqual([
            expect.stringContaining("must have a well-formed <policies> API policy"),
        ]);
    });
});

describe("azure-apimanagement-api-disable-token-passthrough (C7.1)", () => {
    it("rejects a policy that forwards the caller's Authorization header", async () => {
        const policy = apiPolicy(editedPolicy(without("set-header", (e) => e.attributes.name === "Authorization")));
        expect(await messages(azureApimanagementApiDisableTokenPassthrough, [api, policy, ...fragments()])).toEqual([
            "Api gw-api-docs must delete the caller's Authorization header before forwarding (no token passthrough) (C7.1).",
        ]);
    });

    it("rejects a policy without managed-identity authentication to the backend", async () => {
        const policy = apiPolicy(editedPolicy(without("authentication-managed-identity")));
        expect(await messages(azureApimanagementApiDisableTokenPassthrough, [api, policy, ...fragments()])).toEqual([
            expect.stringContaining("authenticate to the backend with authentication-managed-identity"),
        ]);
    });
});

describe("azure-apimanagement-api-enforce-protocol-version (C3.4)", () => {
    it("rejects an API whose protocol-version fragment is swapped for an empty one", async () => {
        const emptied = fragments().map((f) =>
            f.name.endsWith("mcp-protocol-version") || f.name.endsWith("mcp-envelope") ? { ...f, inputs: { ...f.inputs, value: "<fragment/>" } } : f,
        );
        const [message] = await messages(azureApimanagementApiEnforceProtocolVersion, [api, apiPolicy(serialize(buildApiPolicy(server))), ...emptied]);
        expect(message).toContain("must check the MCP protocol version in inbound (nothing reads MCP-Protocol-Version");
    });

    it("requires the 2026-07-28 header checks only when the platform allows that revision", async () => {
        const legacyOnly = fragments({ ...settings, protocolVersions: ["2025-11-25"] });
        const policy = apiPolicy(serialize(buildApiPolicy(server)));
        expect(await violationsOf(azureApimanagementApiEnforceProtocolVersion, [api, policy, ...legacyOnly, platform(["2025-11-25"])])).toEqual([]);
        // Without a platform declaration every revision is assumed (fail closed).
        const stripped = legacyOnly.map((f) => ({ ...f, inputs: { ...f.inputs, value: String(f.inputs.value).replace(/Mcp-Name/g, "X") } }));
        expect(await messages(azureApimanagementApiEnforceProtocolVersion, [api, policy, ...stripped])).toEqual([expect.stringContaining("Mcp-Name")]);
    });
});

describe("azure-apimanagement-api-enable-session-binding (M4, C8.2, C8.3)", () => {
    it("rejects an API that never stores the session binding", async () => {
        const noBind = fragments().map((f) => (f.name.endsWith("mcp-session-bind") ? { ...f, inputs: { ...f.inputs, value: "<fragment/>" } } : f));
        expect(await messages(azureApimanagementApiEnableSessionBinding, [api, apiPolicy(serialize(buildApiPolicy(server))), ...noBind])).toEqual([
            expect.stringContaining("store each session binding keyed by the caller's oid and the session id (cache-store-value)"),
        ]);
    });

    it("does not require sessions when the platform allows only the stateless revision", async () => {
        const stateless = [api, apiPolicy(serialize(buildApiPolicy(server))), ...fragments().map((f) => ({ ...f, inputs: { ...f.inputs, value: "<fragment/>" } }))];
        expect(await violationsOf(azureApimanagementApiEnableSessionBinding, [...stateless, platform(["2026-07-28"])])).toEqual([]);
        expect(await violationsOf(azureApimanagementApiEnableSessionBinding, stateless)).toHaveLength(1);
    });
});

describe("azure-apimanagement-api-enable-user-rate-limit (C4.1)", () => {
    it("rejects an API without a per-user rate limit", async () => {
        const policy = apiPolicy(editedPolicy(without("rate-limit-by-key")));
        expect(await messages(azureApimanagementApiEnableUserRateLimit, [api, policy, ...fragments()])).toEqual([
            "Api gw-api-docs must rate-limit every caller by oid with rate-limit-by-key in inbound, outside any condition (C4.1).",
        ]);
    });

    it("rejects a rate limit keyed on something other than the user", async () => {
        const policy = apiPolicy(
            editedPolicy((inbound) => inbound.map((e) => (e.name === "rate-limit-by-key" ? { ...e, attributes: { ...e.attributes, "counter-key": "@(context.Request.IpAddress)" } } : e))),
        );
        expect(await violationsOf(azureApimanagementApiEnableUserRateLimit, [api, policy, ...fragments()])).toHaveLength(1);
    });
});

const service = (inputs: Record<string, any>) => planned("azure-native:apimanagement:ApiManagementService", "gw-service", inputs);

describe("azure-apimanagement-service-disable-legacy-tls (C3.1)", () => {
    it("accepts the full TLS set the gateway sends", async () => {
        expect(await violationsOf(azureApimanagementServiceDisableLegacyTls, [service({ customProperties: gatewayCustomProperties("Premium") })])).toEqual([]);
        expect(await violationsOf(azureApimanagementServiceDisableLegacyTls, [service({ customProperties: gatewayCustomProperties("PremiumV2") })])).toEqual([]);
    });

    it("rejects TLS 1.0 left on at the backend side", async () => {
        const customProperties = { ...gatewayCustomProperties("Premium"), "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls10": "True" };
        expect(await messages(azureApimanagementServiceDisableLegacyTls, [service({ customProperties })])).toEqual([
            "ApiManagementService gw-service must set the TLS settings Security.Backend.Protocols.Tls10=false in customProperties (C3.1).",
        ]);
    });

    it("rejects a set that omits a key (absent resets to the service default)", async () => {
        const { ["Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls13"]: _, ...customProperties } = gatewayCustomProperties("Premium");
        expect(await messages(azureApimanagementServiceDisableLegacyTls, [service({ customProperties })])).toEqual([expect.stringContaining("Security.Protocols.Tls13=true")]);
    });

    it("rejects a service with no customProperties at all", async () => {
        const [violation] = await violationsOf(azureApimanagementServiceDisableLegacyTls, [service({})]);
        expect(violation.message).toContain("Security.Protocols.Ssl30=false");
        expect(violation.message).toContain("Ciphers.TripleDes168=false");
    });
});

describe("azure-apimanagement-service-enable-internal-vnet (C10.3, A2)", () => {
    const subnet = { subnetResourceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/gw" };
    it("accepts an internal, subnet-injected gateway", async () => {
        expect(await violationsOf(azureApimanagementServiceEnableInternalVnet, [service({ virtualNetworkType: "Internal", virtualNetworkConfiguration: subnet })])).toEqual([]);
    });
    it("rejects an external VNet gateway", async () => {
        expect(await messages(azureApimanagementServiceEnableInternalVnet, [service({ virtualNetworkType: "External", virtualNetworkConfiguration: subnet })])).toEqual([
            "ApiManagementService gw-service must run in Internal VNet mode (virtualNetworkType is External) (C10.3, A2).",
        ]);
    });
    it("rejects a gateway with no VNet settings (unset)", async () => {
        expect(await violationsOf(azureApimanagementServiceEnableInternalVnet, [service({})])).toHaveLength(2);
    });
});
