import { describe, expect, it } from "vitest";
import {
    azureNetworkApplicationGatewayConfigureKeyVaultCertificate,
    azureNetworkApplicationGatewayDisallowPlainHttp,
    azureNetworkApplicationGatewayEnableWafPolicy,
    azureNetworkApplicationGatewayEnforceTls13,
    azureNetworkPublicIpDisallowOutsideEdge,
    azureNetworkPublicIpEnableDdosProtection,
    azureNetworkWafPolicyConfigureClientIpRateLimit,
    azureNetworkWafPolicyConfigureManagedRuleSets,
    azureNetworkWafPolicyEnableLogScrubbing,
    azureNetworkWafPolicyEnablePreventionMode,
    versionAtLeast,
} from "../../policy-pack/policies/edge";
import type { McpPolicy } from "../../policy-pack/lib/policy";
import type { PlannedResource } from "../../tools/offline/types";
import { violationsOf } from "../helpers/policy";
import { planned } from "../helpers/resources";

const T = {
    gateway: "azure-native:network:ApplicationGateway",
    waf: "azure-native:network:WebApplicationFirewallPolicy",
    pip: "azure-native:network:PublicIPAddress",
    apim: "azure-native:apimanagement:ApiManagementService",
    platform: "mcp:platform:McpPlatform",
};

const messages = async (policy: McpPolicy, resources: PlannedResource[]) => (await violationsOf(policy, resources)).map((v) => v.message);

/** A compliant gateway's inputs, as components/edge registers them; each test breaks one thing. */
function gatewayInputs(): Record<string, any> {
    return {
        sku: { name: "WAF_v2", tier: "WAF_v2" },
        sslPolicy: { policyType: "CustomV2", minProtocolVersion: "TLSv1_3" },
        frontendPorts: [{ name: "https", port: 443 }],
        httpListeners: [{ name: "https", protocol: "Https", hostName: "mcp.contoso.com" }],
        sslCertificates: [{ name: "listener", keyVaultSecretId: "https://kv-mcp-dev-1234.vault.azure.net/secrets/edge-listener-tls" }],
        firewallPolicy: { id: "waf-id" },
        backendHttpSettingsCollection: [{ name: "apim-https", protocol: "Https", port: 443 }],
        probes: [{ name: "apim-status", protocol: "Https" }],
    };
}
const gateway = (inputs: Record<string, any> = gatewayInputs(), extra: Partial<PlannedResource> = {}) => planned(T.gateway, "agw", inputs, extra);

function wafInputs(): Record<string, any> {
    return {
        policySettings: {
            state: "Enabled",
            mode: "Prevention",
            requestBodyCheck: true,
            requestBodyEnforcement: true,
            maxRequestBodySizeInKb: 1024,
            logScrubbing: {
                state: "Enabled",
                scrubbingRules: [
                    { matchVariable: "RequestHeaderNames", selector: "Authorization", selectorMatchOperator: "Equals", state: "Enabled" },
                    { matchVariable: "RequestHeaderNames", selector: "Cookie", selectorMatchOperator: "Equals", state: "Enabled" },
                ],
            },
        },
        managedRules: {
            managedRuleSets: [
                { ruleSetType: "Microsoft_DefaultRuleSet", ruleSetVersion: "2.1" },
                { ruleSetType: "Microsoft_BotManagerRuleSet", ruleSetVersion: "1.1" },
            ],
        },
        customRules: [
            {
                name: "RateLimitPerClientIp",
                ruleType: "RateLimitRule",
                action: "Block",
                state: "Enabled",
                rateLimitThreshold: 600,
                groupByUserSession: [{ groupByVariables: [{ variableName: "ClientAddr" }] }],
            },
        ],
    };
}
const waf = (inputs: Record<string, any> = wafInputs()) => planned(T.waf, "waf", inputs);

describe("azure-network-applicationgateway-enforce-tls13 (C3.1)", () => {
    const policy = azureNetworkApplicationGatewayEnforceTls13;

    it("accepts a CustomV2 policy with minimum TLSv1_3", async () => {
        expect(await messages(policy, [gateway()])).toEqual([]);
    });

    it("rejects a TLS 1.2 minimum", async () => {
        const inputs = { ...gatewayInputs(), sslPolicy: { policyType: "CustomV2", minProtocolVersion: "TLSv1_2" } };
        expect(await messages(policy, [gateway(inputs)])).toEqual([
            'ApplicationGateway agw must accept TLS 1.3 only with an SSL policy of type CustomV2 and minProtocolVersion TLSv1_3 (got policyType "CustomV2" with minProtocolVersion "TLSv1_2") (C3.1).',
        ]);
    });

    it("rejects a predefined policy, even the strict 2022 one", async () => {
        const inputs = { ...gatewayInputs(), sslPolicy: { policyType: "Predefined", policyName: "AppGwSslPolicy20220101S" } };
        expect(await messages(policy, [gateway(inputs)])).toHaveLength(1);
    });

    it("rejects a gateway without an SSL policy (the unset case is Azure's TLS 1.2 default)", async () => {
        const { sslPolicy: _, ...inputs } = gatewayInputs();
        expect((await messages(policy, [gateway(inputs)]))[0]).toContain("(got none (Azure's default policy admits TLS 1.2))");
    });

    it("rejects an SSL profile that lowers the minimum for a listener, and accepts one that inherits", async () => {
        const lowered = { ...gatewayInputs(), sslProfiles: [{ name: "legacy", sslPolicy: { policyType: "CustomV2", minProtocolVersion: "TLSv1_2" } }] };
        expect((await messages(policy, [gateway(lowered)]))[0]).toContain("not lower the TLS minimum in SSL profile legacy");
        const inherits = { ...gatewayInputs(), sslProfiles: [{ name: "mtls" }] };
        expect(await messages(policy, [gateway(inherits)])).toEqual([]);
    });
});

describe("azure-network-applicationgateway-disallow-plain-http (C3.1)", () => {
    const policy = azureNetworkApplicationGatewayDisallowPlainHttp;

    it("accepts an HTTPS listener on 443 only", async () => {
        expect(await messages(policy, [gateway()])).toEqual([]);
    });

    it("rejects an HTTP listener and a port-80 frontend port, even for a redirect", async () => {
        const inputs = {
            ...gatewayInputs(),
            frontendPorts: [{ name: "https", port: 443 }, { name: "http", port: 80 }],
            httpListeners: [{ name: "https", protocol: "Https" }, { name: "redirect", protocol: "Http" }],
        };
        expect(await messages(policy, [gateway(inputs)])).toEqual([
            "ApplicationGateway agw must not serve plain HTTP (listener redirect uses Http) (C3.1).",
            "ApplicationGateway agw must not open frontend port 80 (port http) (C3.1).",
        ]);
    });

    it("reads a listener without a protocol as HTTP", async () => {
        const inputs = { ...gatewayInputs(), httpListeners: [{ name: "bare" }] };
        expect(await messages(policy, [gateway(inputs)])).toEqual([
            "ApplicationGateway agw must not serve plain HTTP (listener bare uses no protocol, i.e. Http) (C3.1).",
        ]);
    });

    it("rejects a plain TCP layer-4 listener", async () => {
        const inputs = { ...gatewayInputs(), listeners: [{ name: "tcp", protocol: "Tcp" }] };
        expect((await messages(policy, [gateway(inputs)]))[0]).toContain("not serve unencrypted TCP (listener tcp uses Tcp)");
    });

    it("rejects a gateway that declares no listener at all (unset)", async () => {
        const { httpListeners: _, ...inputs } = gatewayInputs();
        expect(await messages(policy, [gateway(inputs)])).toEqual(["ApplicationGateway agw must declare an HTTPS listener (it declares none) (C3.1)."]);
    });
});

describe("azure-network-applicationgateway-configure-keyvault-certificate (C3.3, C6.3)", () => {
    const policy = azureNetworkApplicationGatewayConfigureKeyVaultCertificate;
    const withCert = (cert: Record<string, any>) => gateway({ ...gatewayInputs(), sslCertificates: [{ name: "listener", ...cert }] });

    it("accepts a versionless Key Vault secret id", async () => {
        expect(await messages(policy, [gateway()])).toEqual([]);
    });

    it("rejects a versioned secret id, which pins the certificate", async () => {
        const id = "https://kv.vault.azure.net/secrets/edge-listener-tls/0123456789abcdef0123456789abcdef";
        expect(await messages(policy, [withCert({ keyVaultSecretId: id })])).toEqual([
            `ApplicationGateway agw must reference certificate listener by a versionless Key Vault secret id (got ${id}) (C3.3, C6.3).`,
        ]);
    });

    it("rejects a certificate uploaded inline with its password", async () => {
        expect(await messages(policy, [withCert({ data: "MIIK...", password: "pw" })])).toEqual([
            "ApplicationGateway agw must not carry certificate listener inline (data/password); reference Key Vault instead (C3.3, C6.3).",
            "ApplicationGateway agw must read certificate listener from Key Vault by keyVaultSecretId (C3.3, C6.3).",
        ]);
    });

    it("rejects a certificate entry without a Key Vault reference (unset)", async () => {
        expect(await messages(policy, [withCert({})])).toEqual(["ApplicationGateway agw must read certificate listener from Key Vault by keyVaultSecretId (C3.3, C6.3)."]);
    });
});

describe("azure-network-applicationgateway-enable-waf-policy (C1.1, C4.1)", () => {
    const policy = azureNetworkApplicationGatewayEnableWafPolicy;
    const policyResource = waf();
    const linked = (inputs = gatewayInputs()) => gateway(inputs, { propertyDependencies: { firewallPolicy: [policyResource.urn] } });

    it("accepts a WAF_v2 gateway associated with a WAF policy of the stack", async () => {
        expect(await messages(policy, [policyResource, linked()])).toEqual([]);
    });

    it("rejects a gateway with no WAF policy association (unset)", async () => {
        const { firewallPolicy: _, ...inputs } = gatewayInputs();
        expect(await messages(policy, [policyResource, gateway(inputs)])).toEqual([
            "ApplicationGateway agw must be associated with a WAF policy of this stack (firewallPolicy.id) (C1.1, C4.1).",
        ]);
    });

    it("rejects a gateway whose WAF policy id points outside the stack", async () => {
        expect(await messages(policy, [gateway()])).toHaveLength(1);
    });

    it("rejects the Standard_v2 SKU, which has no WAF", async () => {
        const inputs = { ...gatewayInputs(), sku: { name: "Standard_v2", tier: "Standard_v2" } };
        expect(await messages(policy, [policyResource, linked(inputs)])).toEqual([
            'ApplicationGateway agw must run the WAF_v2 SKU (got "Standard_v2"/"Standard_v2") (C1.1, C4.1).',
        ]);
    });
});

describe("azure-network-wafpolicy-enable-prevention-mode (C1.1)", () => {
    const policy = azureNetworkWafPolicyEnablePreventionMode;
    const withSettings = (settings: Record<string, any> | undefined) => waf({ ...wafInputs(), policySettings: settings });

    it("accepts an enabled policy in Prevention mode with body inspection", async () => {
        expect(await messages(policy, [waf()])).toEqual([]);
    });

    it("rejects Detection mode", async () => {
        expect(await messages(policy, [withSettings({ state: "Enabled", mode: "Detection", requestBodyCheck: true })])).toEqual([
            'WebApplicationFirewallPolicy waf must block in Prevention mode (got mode "Detection") (C1.1).',
        ]);
    });

    it("rejects a disabled policy and one without body inspection", async () => {
        expect(await messages(policy, [withSettings({ state: "Disabled", mode: "Prevention", requestBodyCheck: false })])).toEqual([
            'WebApplicationFirewallPolicy waf must be enabled (got state "Disabled") (C1.1).',
            "WebApplicationFirewallPolicy waf must inspect request bodies (requestBodyCheck: true) (C1.1).",
        ]);
    });

    it("rejects a policy without settings (unset: Azure's default only detects)", async () => {
        expect(await messages(policy, [withSettings(undefined)])).toHaveLength(3);
    });
});

describe("azure-network-wafpolicy-configure-managed-rule-sets (C1.1)", () => {
    const policy = azureNetworkWafPolicyConfigureManagedRuleSets;
    const withSets = (sets: { ruleSetType: string; ruleSetVersion: string }[] | undefined) =>
        waf({ ...wafInputs(), managedRules: sets ? { managedRuleSets: sets } : undefined });
    const bot = { ruleSetType: "Microsoft_BotManagerRuleSet", ruleSetVersion: "1.1" };

    it("accepts DRS 2.1 or OWASP 3.2 with the bot manager rule set", async () => {
        expect(await messages(policy, [waf()])).toEqual([]);
        expect(await messages(policy, [withSets([{ ruleSetType: "OWASP", ruleSetVersion: "3.2" }, bot])])).toEqual([]);
    });

    it("rejects an outdated core rule set", async () => {
        expect(await messages(policy, [withSets([{ ruleSetType: "OWASP", ruleSetVersion: "3.1" }, bot])])).toEqual([
            "WebApplicationFirewallPolicy waf must run OWASP 3.2+ or Microsoft_DefaultRuleSet 2.1+ (got OWASP 3.1, Microsoft_BotManagerRuleSet 1.1) (C1.1).",
        ]);
    });

    it("rejects a policy without the bot manager rule set", async () => {
        expect(await messages(policy, [withSets([{ ruleSetType: "Microsoft_DefaultRuleSet", ruleSetVersion: "2.1" }])])).toEqual([
            "WebApplicationFirewallPolicy waf must run the Microsoft_BotManagerRuleSet (C1.1).",
        ]);
    });

    it("rejects a policy without managed rules (unset)", async () => {
        expect(await messages(policy, [withSets(undefined)])).toHaveLength(2);
    });

    it("compares versions numerically", () => {
        expect(versionAtLeast("3.10", "3.2")).toBe(true);
        expect(versionAtLeast("2.1", "2.1")).toBe(true);
        expect(versionAtLeast("2.0", "2.1")).toBe(false);
        expect(versionAtLeast("preview-0.1", "2.1")).toBe(false);
        expect(versionAtLeast(undefined, "2.1")).toBe(false);
    });
});

describe("azure-network-wafpolicy-configure-client-ip-rate-limit (C4.1, C4.4)", () => {
    const policy = azureNetworkWafPolicyConfigureClientIpRateLimit;
    const withRule = (change: Record<string, any>) => waf({ ...wafInputs(), customRules: [{ ...wafInputs().customRules[0], ...change }] });

    it("accepts an enabled blocking rate-limit rule grouped by client address", async () => {
        expect(await messages(policy, [waf()])).toEqual([]);
    });

    it.each([
        ["a rule that only logs", { action: "Log" }],
        ["a disabled rule", { state: "Disabled" }],
        ["a rule grouped by geography instead of client address", { groupByUserSession: [{ groupByVariables: [{ variableName: "GeoLocation" }] }] }],
        ["a match rule instead of a rate-limit rule", { ruleType: "MatchRule" }],
        ["a rule without a threshold", { rateLimitThreshold: undefined }],
    ])("rejects %s", async (_label, change) => {
        expect(await messages(policy, [withRule(change)])).toEqual([
            "WebApplicationFirewallPolicy waf must block a client IP above a rate limit (an enabled RateLimitRule with action Block grouped by ClientAddr) (C4.1, C4.4).",
        ]);
    });

    it("rejects a policy without custom rules (unset)", async () => {
        expect(await messages(policy, [waf({ ...wafInputs(), customRules: undefined })])).toHaveLength(1);
    });
});

describe("azure-network-publicipaddress-disallow-outside-edge (C10.3, A2)", () => {
    const policy = azureNetworkPublicIpDisallowOutsideEdge;
    const pip = planned(T.pip, "pip", { sku: { name: "Standard" } });

    it("accepts the public IP that is the Application Gateway's frontend", async () => {
        const gw = gateway(gatewayInputs(), { propertyDependencies: { frontendIPConfigurations: [pip.urn] } });
        expect(await messages(policy, [pip, gw])).toEqual([]);
    });

    it("rejects a public IP nothing in the stack uses as an edge frontend (unset)", async () => {
        expect(await messages(policy, [pip, gateway()])).toEqual([
            "PublicIPAddress pip must be the frontend of the edge's Application Gateway (no other public IP is allowed) (C10.3, A2).",
        ]);
    });

    it("rejects a public IP that another resource holds, e.g. a VM's network interface", async () => {
        const nic = planned("azure-native:network:NetworkInterface", "nic", {}, { propertyDependencies: { ipConfigurations: [pip.urn] } });
        const gw = gateway(gatewayInputs(), { propertyDependencies: { sslCertificates: [pip.urn] } });
        expect(await messages(policy, [pip, nic, gw])).toHaveLength(1);
    });

    it("rejects a public IP held by API Management, which runs internal without one", async () => {
        const apim = planned(T.apim, "apim", { virtualNetworkType: "Internal" }, { propertyDependencies: { publicIpAddressId: [pip.urn] } });
        expect(await messages(policy, [pip, apim])).toHaveLength(1);
    });
});

describe("azure-network-publicipaddress-enable-ddos-protection (C4.4, optional)", () => {
    const policy = azureNetworkPublicIpEnableDdosProtection;
    const platform = (enabled: boolean) => planned(T.platform, "mcp", { optionalControls: { ddosProtection: { enabled } } }, { custom: false });
    const pip = (ddosSettings?: Record<string, any>) => planned(T.pip, "pip", { sku: { name: "Standard" }, ddosSettings });

    it("accepts a public IP that inherits the VNet's plan when the platform turns DDoS protection on", async () => {
        expect(await messages(policy, [platform(true), pip({ protectionMode: "VirtualNetworkInherited" })])).toEqual([]);
    });

    it("rejects a public IP that opts out of protection", async () => {
        expect(await messages(policy, [platform(true), pip({ protectionMode: "Disabled" })])).toEqual([
            'PublicIPAddress pip must be DDoS-protected (ddosSettings.protectionMode VirtualNetworkInherited or Enabled; got "Disabled"), since optionalControls.ddosProtection is enabled (C4.4).',
        ]);
    });

    it("rejects a public IP without DDoS settings (unset)", async () => {
        expect(await messages(policy, [platform(true), pip(undefined)])).toHaveLength(1);
    });

    it("does not apply when the platform declares the control off, or there is no platform component", async () => {
        expect(await messages(policy, [platform(false), pip(undefined)])).toEqual([]);
        expect(await messages(policy, [pip(undefined)])).toEqual([]);
    });
});

/** One violating case per way of weakening an edge value, beside the compliant fixtures above. */
describe("edge values: each weaker value is rejected", () => {
    const edited = <T,>(make: () => T, edit: (i: any) => void): T => {
        const inputs = make();
        edit(inputs);
        return inputs;
    };
    it("accepts the compliant gateway and WAF policy under every edge policy", async () => {
        for (const policy of [azureNetworkApplicationGatewayDisallowPlainHttp, azureNetworkWafPolicyEnablePreventionMode, azureNetworkWafPolicyConfigureManagedRuleSets, azureNetworkWafPolicyConfigureClientIpRateLimit, azureNetworkWafPolicyEnableLogScrubbing]) {
            expect(await messages(policy, [gateway(), waf()])).toEqual([]);
        }
    });
    it.each<[string, McpPolicy, () => PlannedResource, string]>([
        ["a certificate from a host that is no Key Vault", azureNetworkApplicationGatewayConfigureKeyVaultCertificate, () => gateway(edited(gatewayInputs, (i) => (i.sslCertificates[0].keyVaultSecretId = "https://certs.example.com/secrets/edge-listener-tls"))), "read certificate listener from a Key Vault"],
        ["a plain-HTTP backend setting", azureNetworkApplicationGatewayDisallowPlainHttp, () => gateway(edited(gatewayInputs, (i) => (i.backendHttpSettingsCollection[0].protocol = "Http"))), "reach its backend over HTTPS"],
        ["a plain-HTTP health probe", azureNetworkApplicationGatewayDisallowPlainHttp, () => gateway(edited(gatewayInputs, (i) => (i.probes[0].protocol = "Http"))), "probe its backend over HTTPS"],
        ["an unenforced body size", azureNetworkWafPolicyEnablePreventionMode, () => waf(edited(wafInputs, (i) => (i.policySettings.requestBodyEnforcement = false))), "enforce the request body size limit"],
        ["a body limit beyond the cap", azureNetworkWafPolicyEnablePreventionMode, () => waf(edited(wafInputs, (i) => (i.policySettings.maxRequestBodySizeInKb = 2_000_000))), "at most 4096 KB"],
        ["a disabled managed rule", azureNetworkWafPolicyConfigureManagedRuleSets, () => waf(edited(wafInputs, (i) => (i.managedRules.managedRuleSets[0].ruleGroupOverrides = [{ ruleGroupName: "SQLI", rules: [{ ruleId: "942100", state: "Disabled" }] }]))), "942100 off"],
        ["a managed rule that only logs", azureNetworkWafPolicyConfigureManagedRuleSets, () => waf(edited(wafInputs, (i) => (i.managedRules.managedRuleSets[0].ruleGroupOverrides = [{ ruleGroupName: "RCE", rules: [{ ruleId: "932100", action: "Log" }] }]))), "932100 to Log"],
        ["a whole rule group overridden without rules", azureNetworkWafPolicyConfigureManagedRuleSets, () => waf(edited(wafInputs, (i) => (i.managedRules.managedRuleSets[0].ruleGroupOverrides = [{ ruleGroupName: "XSS" }]))), "without naming its rules"],
        ["an exclusion of every argument", azureNetworkWafPolicyConfigureManagedRuleSets, () => waf(edited(wafInputs, (i) => (i.managedRules.exclusions = [{ matchVariable: "RequestArgNames", selectorMatchOperator: "EqualsAny" }]))), "exclude named fields only"],
        ["a custom Allow rule", azureNetworkWafPolicyConfigureManagedRuleSets, () => waf(edited(wafInputs, (i) => i.customRules.push({ name: "AllowAll", ruleType: "MatchRule", action: "Allow", state: "Enabled" }))), "allow requests past the managed rules"],
        ["a hundredfold client-IP threshold", azureNetworkWafPolicyConfigureClientIpRateLimit, () => waf(edited(wafInputs, (i) => (i.customRules[0].rateLimitThreshold = 60000))), "at most 3000 requests per minute (got 60000)"],
        ["a rate window the policy cannot evaluate", azureNetworkWafPolicyConfigureClientIpRateLimit, () => waf(edited(wafInputs, (i) => (i.customRules[0].rateLimitDuration = "OneHour"))), "an unknown window"],
        ["log scrubbing off", azureNetworkWafPolicyEnableLogScrubbing, () => waf(edited(wafInputs, (i) => (i.policySettings.logScrubbing.state = "Disabled"))), "scrub its logs"],
        ["the Authorization scrubbing rule disabled", azureNetworkWafPolicyEnableLogScrubbing, () => waf(edited(wafInputs, (i) => (i.policySettings.logScrubbing.scrubbingRules[0].state = "Disabled"))), "scrub the Authorization request header"],
    ])("rejects %s", async (_what, policy, resource, expected) => {
        expect(await messages(policy, [resource()])).toEqual([expect.stringContaining(expected)]);
    });
    it("counts a five-minute window per minute", async () => {
        const fiveMinutes = waf(edited(wafInputs, (i) => Object.assign(i.customRules[0], { rateLimitDuration: "FiveMins", rateLimitThreshold: 10000 })));
        expect(await messages(azureNetworkWafPolicyConfigureClientIpRateLimit, [fiveMinutes])).toEqual([]);
    });
});
