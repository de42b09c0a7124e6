import { describe, expect, it } from "vitest";
import { runUnderMocks } from "../helpers/mocks";
import { ofType, single } from "../helpers/resources";
import { buildGateway, gatewayArgs } from "./gateway.fixture";
import { parse, findAll } from "../../components/gateway/policy/xml";
import { gatewayCustomProperties } from "../../components/gateway/service";
import { McpGateway, validateServers } from "../../components/gateway";

const types = {
    service: "azure-native:apimanagement:ApiManagementService",
    api: "azure-native:apimanagement:Api",
    operation: "azure-native:apimanagement:ApiOperation",
    policy: "azure-native:apimanagement:ApiPolicy",
    fragment: "azure-native:apimanagement:PolicyFragment",
    backend: "azure-native:apimanagement:Backend",
    diagnostic: "azure-native:apimanagement:Diagnostic",
    apiDiagnostic: "azure-native:apimanagement:ApiDiagnostic",
    namedValue: "azure-native:apimanagement:NamedValue",
    record: "azure-native:privatedns:PrivateRecordSet",
    setting: "azure-native:monitor:DiagnosticSetting",
};

describe("McpGateway", () => {
    it("creates an internal, hardened API Management service running as the gateway identity (C3.1, C10.3)", async () => {
        const resources = await runUnderMocks(buildGateway());
        const service = single(resources, types.service).inputs;
        expect(service.sku).toEqual({ name: "Developer", capacity: 1 });
        expect(service.virtualNetworkType).toBe("Internal");
        expect(service.virtualNetworkConfiguration.subnetResourceId).toContain("/subnets/snet-gateway");
        expect(service.publicNetworkAccess).toBe("Enabled");
        expect(service.publicIpAddressId).toBeUndefined();
        expect(service.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: { [gatewayArgs().gatewayIdentity.id as string]: {} } });
        expect(service.customProperties).toEqual(gatewayCustomProperties("Developer"));
        const p = "Microsoft.WindowsAzure.ApiManagement.Gateway.";
        expect(service.customProperties).toMatchObject({
            [`${p}Security.Protocols.Ssl30`]: "False",
            [`${p}Security.Protocols.Tls10`]: "False",
            [`${p}Security.Protocols.Tls11`]: "False",
            [`${p}Security.Protocols.Tls13`]: "True",
            [`${p}Security.Backend.Protocols.Ssl30`]: "False",
            [`${p}Security.Backend.Protocols.Tls10`]: "False",
            [`${p}Security.Backend.Protocols.Tls11`]: "False",
            [`${p}Security.Backend.Protocols.Tls13`]: "True",
            [`${p}Security.Ciphers.TripleDes168`]: "False",
            [`${p}Protocols.Server.Http2`]: "False",
        });
        expect(service.tags["data-classification"]).toBe("confidential");
    });

    it("keeps PremiumV2's cipher defaults (the v2 tiers reject cipher changes) but still sends the protocol set", () => {
        const v2 = gatewayCustomProperties("PremiumV2");
        expect(Object.keys(v2).some((k) => k.includes("Ciphers.TLS_RSA"))).toBe(false);
        expect(v2["Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10"]).toBe("False");
    });

    it("logs gateway traffic to the workspace without bodies and with credentials masked (C5.1, C5.3)", async () => {
        const resources = await runUnderMocks(buildGateway());
        const setting = ofType(resources, types.setting).find((s) => s.name === "gw-service-diag")!;
        expect(setting.inputs.logs).toEqual([{ categoryGroup: "allLogs", enabled: true }]);
        for (const d of [single(resources, types.diagnostic), single(resources, types.apiDiagnostic)]) {
            expect(d.inputs.diagnosticId).toBe("azuremonitor");
            expect(d.inputs.loggerId).toMatch(/\/service\/apim-mcp-test-[0-9a-f]{4}\/loggers\/azuremonitor$/);
            expect(d.inputs.verbosity).toBe("information");
            for (const side of ["frontend", "backend"]) {
                expect(d.inputs[side].request.body.bytes).toBe(0);
                expect(d.inputs[side].response.body.bytes).toBe(0);
                expect(d.inputs[side].request.dataMasking.headers).toEqual([
                    { value: "Authorization", mode: "Mask" },
                    { value: "Cookie", mode: "Mask" },
                ]);
            }
        }
    });

    it("creates one backend per server with certificate chain and name validation (C3.1)", async () => {
        const backend = single(await runUnderMocks(buildGateway()), types.backend).inputs;
        expect(backend).toMatchObject({
            backendId: "mcp-docs",
            url: "https://ca-mcp-test-docs.internal.bluesky-1234.swedencentral.azurecontainerapps.io/mcp",
            protocol: "http",
            tls: { validateCertificateChain: true, validateCertificateName: true },
        });
    });

    it("exposes each server as an https-only API at /mcp/<server> without subscription keys, with the streamable HTTP operations", async () => {
        const resources = await runUnderMocks(buildGateway());
        expect(single(resources, types.api).inputs).toMatchObject({ path: "mcp/docs", protocols: ["https"], subscriptionRequired: false });
        expect(ofType(resources, types.operation).map((o) => `${o.inputs.method} ${o.inputs.urlTemplate}`).sort()).toEqual([
            "DELETE /",
            "GET /",
            "GET /.well-known/oauth-protected-resource",
            "POST /",
        ]);
    });

    it("attaches an XML API policy that includes every fragment the service defines", async () => {
        const resources = await runUnderMocks(buildGateway());
        const policy = single(resources, types.policy).inputs;
        expect(policy.format).toBe("xml");
        const included = findAll(parse(policy.value), "include-fragment").map((e) => e.attributes["fragment-id"]);
        const fragments = ofType(resources, types.fragment);
        expect(fragments.every((f) => f.inputs.format === "xml" && parse(f.inputs.value).name === "fragment")).toBe(true);
        // The Azure fragment id is the logical name (the SDK strips an input named `id`).
        expect(new Set(included)).toEqual(new Set(fragments.map((f) => f.name)));
        expect(included).toContain("gw-mcp-session");
        const shields = fragments.find((f) => f.name === "gw-mcp-prompt-shields")!;
        expect(shields.inputs.value).toContain("https://cs-mcp-test.cognitiveservices.azure.com/contentsafety/text:shieldPrompt?api-version=2024-09-01");
        const validate = findAll(parse(policy.value), "application-id").map((e) => e.children.map((c) => ("text" in c ? c.text : "")).join(""));
        expect(validate).toEqual(["aebc6443-996d-45c2-90f0-388ff96faa56", "cccccccc-0000-4000-8000-000000000003"]);
    });

    it("registers the gateway's private address in the azure-api.net zone", async () => {
        const records = ofType(await runUnderMocks(buildGateway()), types.record);
        expect(records.map((r) => r.inputs.relativeRecordSetName)).toEqual(["apim-mcp-test-" + records[0].inputs.relativeRecordSetName.split("-").pop(), expect.stringMatching(/\.management$/), expect.stringMatching(/\.scm$/)]);
        for (const r of records) {
            expect(r.inputs).toMatchObject({ privateZoneName: "azure-api.net", resourceGroupName: "rg-mcp-test", recordType: "A" });
            expect(r.inputs.aRecords).toEqual([{ ipv4Address: "192.0.2.10" }]);
        }
    });

    it("reads named values from Key Vault through the gateway identity (C6.3)", async () => {
        const resources = await runUnderMocks(
            buildGateway({ keyVaultNamedValues: [{ name: "partner-key", secretIdentifier: "https://kv-mcp.vault.azure.net/secrets/partner-key" }] }),
        );
        expect(single(resources, types.namedValue).inputs).toMatchObject({
            secret: true,
            keyVault: { secretIdentifier: "https://kv-mcp.vault.azure.net/secrets/partner-key", identityClientId: "99999999-8888-4777-8666-555555555555" },
        });
        expect(ofType(await runUnderMocks(buildGateway()), types.namedValue)).toEqual([]);
    });

    it("refuses duplicate servers and a server no client may call, before creating anything", () => {
        const [server] = gatewayArgs().servers;
        expect(() => validateServers([server, server])).toThrow(/got "docs" twice/);
        expect(() => validateServers([{ ...server, clientApplicationIds: [] }])).toThrow(/clientApplicationIds: got none/);
        expect(() => new McpGateway("x", gatewayArgs({ policy: { ...gatewayArgs().policy, allowedOrigins: ["ftp://x"] } }))).toThrow(/allowedOrigins/);
    });
});
