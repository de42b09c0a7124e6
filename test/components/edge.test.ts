import { testPlacement } from "../helpers/placement";
import { describe, expect, it } from "vitest";
import { apimHealthPath, McpEdge, McpEdgeArgs, resolveCapacity } from "../../components/edge";
import { certificateValidity, generateSelfSignedPfx, issueDate, selfSignedPfx } from "../../components/edge/selfSigned";
import { describePfx } from "../helpers/pfx";
import {
    clientIpRateLimitRule,
    parseVersionlessSecretId,
    resolveClientIpRequestsPerMinute,
    resolveMaxRequestBodyKb,
    versionlessSecretId,
    wafPolicySettings,
} from "../../components/edge/settings";
import { createNaming } from "../../components/shared/naming";
import { builtInRoles } from "../../components/shared/roles";
import { runUnderMocks } from "../helpers/mocks";
import type { PlannedResource } from "../../tools/offline/types";
import { ofType, single } from "../helpers/resources";

const naming = createNaming({ project: "mcp-platform", stack: "test", tenantId: "t", location: "swedencentral", workload: "mcp" });
const rg = "rg-mcp-test";
const subscriptionId = "00000000-0000-0000-0000-000000000001";
const placement = { ...testPlacement({ tenantId: "t", subscriptionId }), resourceGroupName: rg, naming };
const vaultId = `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.KeyVault/vaults/kv-mcp-test-1234`;
const vault = { id: vaultId, name: "kv-mcp-test-1234", resourceGroupName: rg, uri: "https://kv-mcp-test-1234.vault.azure.net/" };
const subnetId = `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-edge`;
const workspaceId = `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.OperationalInsights/workspaces/log`;
const types = {
    gateway: "azure-native:network:ApplicationGateway",
    waf: "azure-native:network:WebApplicationFirewallPolicy",
    publicIp: "azure-native:network:PublicIPAddress",
    identity: "azure-native:managedidentity:UserAssignedIdentity",
    secret: "azure-native:keyvault:Secret",
    role: "azure-native:authorization:RoleAssignment",
    diag: "azure-native:monitor:DiagnosticSetting",
};

function synth(overrides: Partial<McpEdgeArgs> = {}): Promise<PlannedResource[]> {
    return runUnderMocks(() => {
        new McpEdge("edge", {
            placement,
            diagnostics: { workspaceId },
            subnetId,
            hostname: "mcp.contoso.com",
            backendHostname: "apim-mcp-test-1234.azure-api.net",
            vault,
            ...overrides,
        });
    });
}

const gatewayOf = async (overrides: Partial<McpEdgeArgs> = {}) => single(await synth(overrides), types.gateway).inputs;

describe("McpEdge: Application Gateway", () => {
    it("is WAF_v2 with autoscale and no fixed capacity", async () => {
        const gw = await gatewayOf({ capacity: { min: 2, max: 10 } });
        expect(gw.sku).toEqual({ name: "WAF_v2", tier: "WAF_v2" });
        expect(gw.autoscaleConfiguration).toEqual({ minCapacity: 2, maxCapacity: 10 });
    });

    it("spreads the gateway and its public IP over the given zones, and sets none by default", async () => {
        const zonal = await synth({ zones: ["1", "2", "3"] });
        expect(single(zonal, types.gateway).inputs.zones).toEqual(["1", "2", "3"]);
        expect(single(zonal, types.publicIp).inputs.zones).toEqual(["1", "2", "3"]);
        const regional = await synth();
        expect(single(regional, types.gateway).inputs.zones).toBeUndefined();
        expect(single(regional, types.publicIp).inputs.zones).toBeUndefined();
    });

    it("accepts TLS 1.3 only, through a CustomV2 SSL policy (C3.1)", async () => {
        expect((await gatewayOf()).sslPolicy).toEqual({ policyType: "CustomV2", minProtocolVersion: "TLSv1_3" });
    });

    it("listens on HTTPS 443 only, for the configured host name, with SNI (C3.1)", async () => {
        const gw = await gatewayOf();
        expect(gw.frontendPorts).toEqual([{ name: "https", port: 443 }]);
        expect(gw.httpListeners).toHaveLength(1);
        expect(gw.httpListeners[0]).toMatchObject({ protocol: "Https", hostName: "mcp.contoso.com", requireServerNameIndication: true });
        expect(gw.httpListeners[0].sslCertificate.id).toMatch(/\/applicationGateways\/agw-mcp-test-[0-9a-f]{4}\/sslCertificates\/listener$/);
        expect(gw.redirectConfigurations).toBeUndefined();
    });

    it("uses the WAF policy and forces the association", async () => {
        const resources = await synth();
        const gw = single(resources, types.gateway).inputs;
        expect(gw.firewallPolicy.id).toBe(single(resources, types.waf).id);
        expect(gw.forceFirewallPolicyAssociation).toBe(true);
    });

    it("forwards over HTTPS to the gateway's private host name, with a probe on APIM's status endpoint", async () => {
        const gw = await gatewayOf();
        expect(gw.backendAddressPools).toEqual([{ name: "apim", backendAddresses: [{ fqdn: "apim-mcp-test-1234.azure-api.net" }] }]);
        expect(gw.backendHttpSettingsCollection[0]).toMatchObject({
            protocol: "Https",
            port: 443,
            pickHostNameFromBackendAddress: true,
            probeEnabled: true,
        });
        expect(gw.probes[0]).toMatchObject({ protocol: "Https", path: apimHealthPath, pickHostNameFromBackendHttpSettings: true });
        expect(apimHealthPath).toBe("/status-0123456789abcdef");
        expect(gw.gatewayIPConfigurations[0].subnet.id).toBe(subnetId);
    });

    it("rejects autoscale bounds Azure would refuse, naming the argument", () => {
        expect(() => resolveCapacity({ min: 3, max: 2 })).toThrow(/capacity.max: got 2, expected .* at least capacity.min \(3\)/);
        expect(() => resolveCapacity({ min: -1, max: 2 })).toThrow(/capacity.min: got -1/);
        expect(resolveCapacity(undefined)).toEqual({ min: 2, max: 10 });
    });
});

describe("McpEdge: listener certificate (C3.3)", () => {
    it("reads a self-signed certificate from the platform vault by versionless id when none is configured", async () => {
        const resources = await synth();
        const secret = single(resources, types.secret).inputs;
        expect(secret.vaultName).toBe(vault.name);
        expect(secret.secretName).toBe("edge-listener-tls");
        expect(secret.properties.contentType).toBe("application/x-pkcs12");
        expect(secret.properties.attributes.expires).toBeGreaterThan(Date.now() / 1000);
        const described = describePfx(secret.properties.value);
        expect(described).toMatchObject({ commonName: "mcp.contoso.com", altNames: ["mcp.contoso.com"], keyBits: 2048 });
        expect(single(resources, types.gateway).inputs.sslCertificates).toEqual([
            { name: "listener", keyVaultSecretId: "https://kv-mcp-test-1234.vault.azure.net/secrets/edge-listener-tls" },
        ]);
    });

    it("keeps the certificate's seed and issue date in state so the secret does not churn", async () => {
        const seed = single(await synth(), "random:index/randomPassword:RandomPassword");
        expect(seed.inputs).toMatchObject({ length: 64, special: false, keepers: { issuedOn: issueDate(new Date()) } });
    });

    it("grants the gateway's own identity Key Vault Secrets User on that secret only", async () => {
        const resources = await synth();
        const identity = single(resources, types.identity);
        const [grant, ...others] = ofType(resources, types.role);
        expect(others).toEqual([]);
        expect(grant.inputs.scope).toBe(single(resources, types.secret).id);
        expect(grant.inputs.scope).toMatch(/\/providers\/Microsoft.KeyVault\/vaults\/kv-mcp-test-1234\/secrets\/edge-listener-tls$/);
        expect(grant.inputs.principalId).toBe(identity.outputs?.principalId);
        expect(grant.inputs.roleDefinitionId).toContain(builtInRoles.keyVaultSecretsUser);
        const gw = single(resources, types.gateway);
        expect(gw.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [identity.id] });
        expect(gw.dependencies).toContain(grant.urn);
    });

    it("uses a configured CA-issued certificate by its versionless id, without generating one", async () => {
        const resources = await synth({ certificateSecretId: "https://kv-mcp-test-1234.vault.azure.net/secrets/mcp-contoso-com" });
        expect(ofType(resources, types.secret)).toEqual([]);
        expect(single(resources, types.gateway).inputs.sslCertificates[0].keyVaultSecretId).toBe(
            "https://kv-mcp-test-1234.vault.azure.net/secrets/mcp-contoso-com",
        );
        expect(single(resources, types.role).inputs.scope).toBe(`${vaultId}/secrets/mcp-contoso-com`);
    });

    it("refuses a versioned secret id, which would stop renewals", () => {
        expect(() => parseVersionlessSecretId("https://kv.vault.azure.net/secrets/cert/0123456789abcdef0123456789abcdef")).toThrow(
            /certificateSecretId: got .*expected a versionless Key Vault secret id/,
        );
        expect(parseVersionlessSecretId("https://kv.vault.azure.net/secrets/cert/")).toEqual({
            vaultUri: "https://kv.vault.azure.net/",
            secretName: "cert",
            secretId: "https://kv.vault.azure.net/secrets/cert",
        });
        expect(versionlessSecretId("https://kv.vault.azure.net", "cert")).toBe("https://kv.vault.azure.net/secrets/cert");
    });
});

describe("self-signed certificate generation", () => {
    const args = { seed: "p".repeat(48), hostname: "mcp-dev.example.com", ...certificateValidity("2026-01-10", 364) };

    it("is a pure function of seed, host name and validity (no churn between runs)", () => {
        const first = generateSelfSignedPfx(args);
        expect(generateSelfSignedPfx(args)).toBe(first);
        expect(selfSignedPfx(args)).toBe(first);
        expect(generateSelfSignedPfx({ ...args, seed: "b".repeat(48) })).not.toBe(first);
    });

    it("stays fast enough for the offline plan (typically ~0.1 s; fails above 1.5 s)", () => {
        const started = Date.now();
        generateSelfSignedPfx({ ...args, seed: "q".repeat(48) });
        expect(Date.now() - started).toBeLessThan(1500);
    });

    it("issues for the host name, valid from a day before the issue date for the lifetime", () => {
        const described = describePfx(selfSignedPfx(args));
        expect(described.commonName).toBe("mcp-dev.example.com");
        expect(described.notBefore.toISOString()).toBe("2026-01-09T00:00:00.000Z");
        expect(described.notAfter.toISOString()).toBe("2027-01-09T00:00:00.000Z");
        expect(described.serial).toMatch(/^[0-7][0-9a-f]{31}$/);
        expect(described.keyBits).toBe(2048);
        expect(described.keyMatchesCertificate).toBe(true);
    });

    it("rejects a short seed and a malformed issue date", () => {
        expect(() => selfSignedPfx({ ...args, seed: "short" })).toThrow(/seed: got 5 characters, expected at least 32/);
        expect(() => certificateValidity("10/01/2026", 30)).toThrow(/issuedOn: got "10\/01\/2026", expected a date as YYYY-MM-DD/);
    });
});

describe("McpEdge: WAF policy (C1.1, C4.1)", () => {
    it("runs DRS 2.1 and the bot manager rule set in Prevention mode with body inspection", async () => {
        const waf = single(await synth(), types.waf).inputs;
        expect(waf.managedRules.managedRuleSets).toEqual([
            { ruleSetType: "Microsoft_DefaultRuleSet", ruleSetVersion: "2.1" },
            { ruleSetType: "Microsoft_BotManagerRuleSet", ruleSetVersion: "1.1" },
        ]);
        expect(waf.policySettings).toMatchObject({
            state: "Enabled",
            mode: "Prevention",
            requestBodyCheck: true,
            requestBodyEnforcement: true,
            maxRequestBodySizeInKb: 1024,
            requestBodyInspectLimitInKB: 128,
        });
    });

    it("limits each client IP per minute with a custom rule", async () => {
        const waf = single(await synth({ clientIpRequestsPerMinute: 300 }), types.waf).inputs;
        expect(waf.customRules).toEqual([clientIpRateLimitRule(300)]);
        expect(waf.customRules[0]).toMatchObject({
            ruleType: "RateLimitRule",
            action: "Block",
            rateLimitDuration: "OneMin",
            rateLimitThreshold: 300,
            groupByUserSession: [{ groupByVariables: [{ variableName: "ClientAddr" }] }],
        });
    });

    it("scrubs Authorization and cookies from WAF logs (C5.3)", () => {
        const scrubbing = wafPolicySettings(1024).logScrubbing as any;
        expect(scrubbing.state).toBe("Enabled");
        expect(scrubbing.scrubbingRules.map((r: any) => r.selector ?? r.matchVariable)).toEqual(["Authorization", "Cookie", "RequestCookieNames"]);
    });

    it("rejects limits Azure would refuse", () => {
        expect(() => resolveMaxRequestBodyKb(4096)).toThrow(/maxRequestBodyKb: got 4096, expected a whole number from 8 to 2000/);
        expect(() => resolveClientIpRequestsPerMinute(5)).toThrow(/clientIpRequestsPerMinute: got 5/);
    });
});

describe("McpEdge: public IP and diagnostics", () => {
    it("is a Standard static IPv4 address that inherits the VNet's DDoS protection (C4.4)", async () => {
        const pip = single(await synth(), types.publicIp).inputs;
        expect(pip.sku).toEqual({ name: "Standard", tier: "Regional" });
        expect(pip.publicIPAllocationMethod).toBe("Static");
        expect(pip.ddosSettings).toEqual({ protectionMode: "VirtualNetworkInherited" });
    });

    it("is the gateway's frontend", async () => {
        const resources = await synth();
        expect(single(resources, types.gateway).inputs.frontendIPConfigurations).toEqual([
            { name: "public", publicIPAddress: { id: single(resources, types.publicIp).id } },
        ]);
    });

    it("sends the gateway's logs (access, performance, firewall) and the public IP's DDoS logs to the workspace (C5.1)", async () => {
        const resources = await synth();
        const uris = ofType(resources, types.diag).map((d) => d.inputs.resourceUri);
        expect(uris.sort()).toEqual([single(resources, types.gateway).id, single(resources, types.publicIp).id].sort());
        for (const diag of ofType(resources, types.diag)) {
            expect(diag.inputs.workspaceId).toBe(workspaceId);
            expect(diag.inputs.logs).toEqual([{ categoryGroup: "allLogs", enabled: true }]);
        }
    });

    it("tags every taggable resource it creates", async () => {
        const resources = await synth();
        for (const type of [types.gateway, types.waf, types.publicIp, types.identity]) {
            expect(single(resources, type).inputs.tags).toEqual(placement.tags);
        }
    });
});
