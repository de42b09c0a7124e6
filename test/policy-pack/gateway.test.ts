import { describe, expect, it } from "vitest";
import {
    azureApimanagementApiEnforceHttps,
    azureApimanagementDiagnosticDisableSensitiveLogging,
    azureApimanagementDiagnosticEnableFullAuditSampling,
    azureApimanagementNamedValueDisallowLiteralSecrets,
    azureApimanagementServiceDisableLegacyTls,
    azureApimanagementServiceEnableInternalVnet,
} from "../../policy-pack/policies/gateway/service";
import { gatewayCustomProperties } from "../../components/gateway/service";
import { gatewayDiagnosticSettings } from "../../components/gateway/children";
import { violationsOf } from "../helpers/policy";
import { planned } from "../helpers/resources";
import { messages } from "./gateway.fixture";

describe("azure-apimanagement-diagnostic-disable-sensitive-logging (C5.3, A5)", () => {
    const policy = azureApimanagementDiagnosticDisableSensitiveLogging;
    const diagnostic = (inputs: Record<string, any>, type = "azure-native:apimanagement:Diagnostic") => planned(type, "gw-diagnostic", { diagnosticId: "azuremonitor", ...inputs });
    const settingsWith = (edit: (s: any) => void) => {
        // A JSON copy: the settings share one request/response object between frontend and backend.
        const s = JSON.parse(JSON.stringify(gatewayDiagnosticSettings()));
        edit(s);
        return s;
    };

    it("accepts the gateway's diagnostic settings on the service and on an API", async () => {
        expect(await violationsOf(policy, [diagnostic(gatewayDiagnosticSettings())])).toEqual([]);
        expect(await violationsOf(policy, [diagnostic(gatewayDiagnosticSettings(), "azure-native:apimanagement:ApiDiagnostic")])).toEqual([]);
    });

    it("rejects a diagnostic that logs response bodies", async () => {
        const inputs = settingsWith((s) => (s.frontend.response.body.bytes = 8192));
        expect(await messages(policy, [diagnostic(inputs)])).toEqual(["Diagnostic gw-diagnostic must log no response bodies (frontend.response.body.bytes 0, got 8192) (C5.3, A5)."]);
    });

    it("rejects a diagnostic that logs the Authorization header unmasked", async () => {
        const inputs = settingsWith((s) => {
            s.backend.request.headers = ["Authorization"];
            s.backend.request.dataMasking = { headers: [] };
        });
        const found = await messages(policy, [diagnostic(inputs, "azure-native:apimanagement:ApiDiagnostic")]);
        expect(found).toContain("ApiDiagnostic gw-diagnostic must log no credential header unmasked (backend.request.headers has Authorization) (C5.3, A5).");
        expect(found).toContain("ApiDiagnostic gw-diagnostic must mask the Authorization and Cookie headers (backend.request.dataMasking.headers, mode Mask) (C5.3, A5).");
    });

    it("rejects a diagnostic that masks Authorization but not Cookie", async () => {
        const inputs = settingsWith((s) => (s.frontend.request.dataMasking.headers = s.frontend.request.dataMasking.headers.filter((h: any) => h.value !== "Cookie")));
        expect(await messages(policy, [diagnostic(inputs)])).toEqual([expect.stringContaining("must mask the Cookie header (frontend.request.dataMasking.headers")]);
    });

    it("rejects a diagnostic without frontend and backend settings (unset: no masking)", async () => {
        expect(await messages(policy, [diagnostic({})])).toEqual([
            expect.stringContaining("mask the Authorization and Cookie headers (frontend.request.dataMasking.headers"),
            expect.stringContaining("mask the Authorization and Cookie headers (backend.request.dataMasking.headers"),
        ]);
    });
});

const service = (inputs: Record<string, any>) => planned("azure-native:apimanagement:ApiManagementService", "gw-service", inputs);

describe("azure-apimanagement-service-disable-legacy-tls (C3.1)", () => {
    it("accepts the full TLS set the gateway sends", async () => {
        expect(await violationsOf(azureApimanagementServiceDisableLegacyTls, [service({ customProperties: gatewayCustomProperties("Premium") })])).toEqual([]);
        expect(await violationsOf(azureApimanagementServiceDisableLegacyTls, [service({ sku: { name: "PremiumV2" }, customProperties: gatewayCustomProperties("PremiumV2") })])).toEqual([]);
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
    const portals = { developerPortalStatus: "Disabled", legacyPortalStatus: "Disabled" };
    it("accepts an internal, subnet-injected gateway", async () => {
        expect(await violationsOf(azureApimanagementServiceEnableInternalVnet, [service({ virtualNetworkType: "Internal", virtualNetworkConfiguration: subnet, ...portals })])).toEqual([]);
    });
    it("rejects a gateway whose developer or legacy portal is on (absent is Azure's default, on)", async () => {
        expect(await messages(azureApimanagementServiceEnableInternalVnet, [service({ virtualNetworkType: "Internal", virtualNetworkConfiguration: subnet, ...portals, developerPortalStatus: "Enabled" })])).toEqual([
            expect.stringContaining("disable its portal (developerPortalStatus Disabled"),
        ]);
        expect(await messages(azureApimanagementServiceEnableInternalVnet, [service({ virtualNetworkType: "Internal", virtualNetworkConfiguration: subnet, developerPortalStatus: "Disabled" })])).toEqual([
            expect.stringContaining("legacyPortalStatus Disabled, got null"),
        ]);
    });
    it("rejects an external VNet gateway", async () => {
        expect(await messages(azureApimanagementServiceEnableInternalVnet, [service({ virtualNetworkType: "External", virtualNetworkConfiguration: subnet, ...portals })])).toEqual([
            "ApiManagementService gw-service must run in Internal VNet mode (virtualNetworkType is External) (C10.3, A2).",
        ]);
    });
    it("rejects a gateway with no VNet settings (unset)", async () => {
        // Internal mode, subnet, and the two portals Azure turns on by default.
        expect(await violationsOf(azureApimanagementServiceEnableInternalVnet, [service({})])).toHaveLength(4);
    });
});

describe("API Management values: each weaker value is rejected", () => {
    const prefix = "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.";
    const service = (custom: Record<string, string>, sku = "Premium") =>
        planned("azure-native:apimanagement:ApiManagementService", "gw-service", { sku: { name: sku }, customProperties: { ...gatewayCustomProperties(sku as "Premium"), ...custom } });

    it("rejects a legacy cipher suite switched on, or left to the default on a classic tier", async () => {
        expect(await messages(azureApimanagementServiceDisableLegacyTls, [service({ [`${prefix}Ciphers.TLS_RSA_WITH_AES_128_CBC_SHA`]: "True" })])).toEqual([
            expect.stringContaining("switch off the legacy cipher suites TLS_RSA_WITH_AES_128_CBC_SHA"),
        ]);
        const defaults = planned("azure-native:apimanagement:ApiManagementService", "gw-service", { sku: { name: "Premium" }, customProperties: gatewayCustomProperties("PremiumV2") });
        expect(await messages(azureApimanagementServiceDisableLegacyTls, [defaults])).toEqual([expect.stringContaining("switch off the legacy cipher suites")]);
        expect(await violationsOf(azureApimanagementServiceDisableLegacyTls, [service({}, "PremiumV2")])).toEqual([]);
        expect(await messages(azureApimanagementServiceDisableLegacyTls, [service({ [`${prefix}Ciphers.TLS_RSA_WITH_AES_256_CBC_SHA`]: "True" }, "PremiumV2")])).toHaveLength(1);
    });

    const apiWith = (inputs: Record<string, unknown>) => planned("azure-native:apimanagement:Api", "gw-api", { protocols: ["https"], serviceUrl: "https://ca.example.com/mcp", ...inputs });
    const backendWith = (inputs: Record<string, unknown>) =>
        planned("azure-native:apimanagement:Backend", "gw-backend", { url: "https://ca.example.com/mcp", protocol: "http", tls: { validateCertificateChain: true, validateCertificateName: true }, ...inputs });
    it("accepts HTTPS APIs and backends that validate certificates", async () => {
        expect(await violationsOf(azureApimanagementApiEnforceHttps, [apiWith({}), backendWith({})])).toEqual([]);
    });
    it.each([
        ["an API that also accepts http", apiWith({ protocols: ["http", "https"] }), "accept HTTPS only"],
        ["an API without protocols", apiWith({ protocols: undefined }), "accept HTTPS only"],
        ["an http serviceUrl", apiWith({ serviceUrl: "http://ca.example.com/mcp" }), "call its backend over HTTPS"],
        ["an http backend", backendWith({ url: "http://ca.example.com/mcp" }), "call the backend over HTTPS"],
        ["a backend without chain validation", backendWith({ tls: { validateCertificateChain: false, validateCertificateName: true } }), "certificate chain"],
        ["a backend without name validation", backendWith({ tls: { validateCertificateChain: true, validateCertificateName: false } }), "certificate name"],
    ])("rejects %s", async (_what, resource, expected) => {
        expect(await messages(azureApimanagementApiEnforceHttps, [resource])).toEqual([expect.stringContaining(expected)]);
    });

    const namedValue = (inputs: Record<string, unknown>) => planned("azure-native:apimanagement:NamedValue", "gw-nv", inputs);
    it("accepts a Key Vault secret reference and a plain setting", async () => {
        expect(await violationsOf(azureApimanagementNamedValueDisallowLiteralSecrets, [namedValue({ displayName: "backend-key", secret: true, keyVault: { secretIdentifier: "https://kv.vault.azure.net/secrets/k" } })])).toEqual([]);
        expect(await violationsOf(azureApimanagementNamedValueDisallowLiteralSecrets, [namedValue({ displayName: "region", secret: false, value: "swedencentral" })])).toEqual([]);
    });
    it.each([
        ["a literal secret", namedValue({ displayName: "backend-key", secret: true, value: "s3cr3t" }), "not hold a literal value"],
        ["a secret without a Key Vault reference", namedValue({ displayName: "backend-key", secret: true }), "reference secret backend-key from Key Vault"],
        ["a credential not marked secret", namedValue({ displayName: "upstream-api-key", secret: false, value: "0123" }), "mark upstream-api-key secret"],
    ])("rejects %s", async (_what, resource, expected) => {
        expect(await messages(azureApimanagementNamedValueDisallowLiteralSecrets, [resource])).toEqual([expect.stringContaining(expected)]);
    });

    const diagnosticWith = (inputs: Record<string, unknown>) => planned("azure-native:apimanagement:Diagnostic", "gw-diagnostic", { ...gatewayDiagnosticSettings(), ...inputs });
    it("accepts the gateway's diagnostic settings and rejects sampling below 100% or a verbosity that drops the audit trace", async () => {
        expect(await violationsOf(azureApimanagementDiagnosticEnableFullAuditSampling, [diagnosticWith({})])).toEqual([]);
        expect(await messages(azureApimanagementDiagnosticEnableFullAuditSampling, [diagnosticWith({ sampling: { samplingType: "fixed", percentage: 10 } })])).toEqual([expect.stringContaining("log every request")]);
        expect(await messages(azureApimanagementDiagnosticEnableFullAuditSampling, [diagnosticWith({ verbosity: "error" })])).toEqual([expect.stringContaining("keep the information-level audit trace")]);
    });
});
