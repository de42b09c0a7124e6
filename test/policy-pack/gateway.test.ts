import { describe, expect, it } from "vitest";
import {
    azureApimanagementDiagnosticDisableSensitiveLogging,
    azureApimanagementServiceDisableLegacyTls,
    azureApimanagementServiceEnableInternalVnet,
} from "../../policy-pack/policies/gateway";
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
