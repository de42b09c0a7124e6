import type { ApplicationGatewayArgs, WebApplicationFirewallPolicyArgs } from "@pulumi/azure-native/network";
import type { Inputs } from "../lib/inputs";
import type { PolicyResource } from "@pulumi/policy";
import { McpResourcePolicy, resourcePolicy, stackPolicy } from "../lib/policy";
import { exemptionsConfigSchema } from "../lib/exemptions";
import { optionalControlEnabled } from "../contract/declaration";
import { dependsVia } from "../lib/references";
import { isEgressFirewallAddress } from "./firewall";
import { resourceTypes } from "../contract/resourceTypes";

/**
 * The public edge: Application Gateway WAF_v2, its WAF policy and the platform's only public IP.
 * Type tokens only (the pack never imports components). Each check fails closed: a property Azure
 * would default to something weaker counts as the weaker value.
 */
type GatewayProps = Inputs<ApplicationGatewayArgs>;
type SslPolicyLike = NonNullable<GatewayProps["sslPolicy"]>;

/** Why an SSL policy falls short of TLS 1.3 only, or undefined when it is CustomV2 + TLSv1_3. */
function tls13Gap(policy: SslPolicyLike | undefined): string | undefined {
    if (!policy) return "none (Azure's default policy admits TLS 1.2)";
    if (policy.policyType !== "CustomV2" || policy.minProtocolVersion !== "TLSv1_3") {
        return `policyType ${JSON.stringify(policy.policyType ?? null)} with minProtocolVersion ${JSON.stringify(policy.minProtocolVersion ?? null)}`;
    }
    return undefined;
}

export const azureNetworkApplicationGatewayEnforceTls13 = resourcePolicy<GatewayProps>({
    name: "azure-network-applicationgateway-enforce-tls13",
    description:
        "Every Application Gateway uses an SSL policy of type CustomV2 with minimum protocol TLSv1_3, and no SSL profile " +
        "lowers it for a listener. An absent SSL policy is Azure's default, which admits TLS 1.2. Compared against: the secure default, CustomV2 with TLSv1_3 (the predefined policies stop at TLS 1.2).",
    controls: ["C3.1"],
    component: "edge",
    remediationSteps:
        "Set sslPolicy to { policyType: CustomV2, minProtocolVersion: TLSv1_3 } (components/edge does) and give every SSL " +
        "profile the same policy or none; the predefined policies (AppGwSslPolicy2022*) stop at TLS 1.2.",
    appliesTo: [resourceTypes.network.ApplicationGateway],
    validate: (props, _args, must) => {
        const gap = tls13Gap(props.sslPolicy);
        if (gap) must(`accept TLS 1.3 only with an SSL policy of type CustomV2 and minProtocolVersion TLSv1_3 (got ${gap})`);
        for (const profile of props.sslProfiles ?? []) {
            if (!profile.sslPolicy) continue; // a profile without its own policy inherits the gateway's
            const profileGap = tls13Gap(profile.sslPolicy);
            if (profileGap) must(`not lower the TLS minimum in SSL profile ${profile.name ?? "(unnamed)"} (got ${profileGap})`);
        }
    },
});

export const azureNetworkApplicationGatewayDisallowPlainHttp = resourcePolicy<GatewayProps>({
    name: "azure-network-applicationgateway-disallow-plain-http",
    description:
        "Application Gateways serve HTTPS listeners only: no HTTP listener, no plain TCP listener and no frontend port 80 " +
        "(not even for a redirect). A listener without a protocol is read as HTTP. Towards API Management too: every backend HTTP setting and health probe " +
        "uses HTTPS (backend settings TLS), so the hop behind the edge is encrypted as well. Compared against: the secure default, HTTPS end to end.",
    controls: ["C3.1"],
    component: "edge",
    remediationSteps:
        "Remove HTTP listeners, TCP listeners and port-80 frontend ports; keep one HTTPS listener on 443 with a Key Vault " +
        "certificate. MCP clients connect to the https:// URL directly, so a redirect only adds a cleartext hop.",
    appliesTo: [resourceTypes.network.ApplicationGateway],
    validate: (props, _args, must) => {
        const httpListeners = props.httpListeners ?? [];
        const layer4 = props.listeners ?? [];
        if (httpListeners.length + layer4.length === 0) must("declare an HTTPS listener (it declares none)");
        for (const listener of httpListeners) {
            if (listener.protocol !== "Https") must(`not serve plain HTTP (listener ${listener.name ?? "(unnamed)"} uses ${listener.protocol ?? "no protocol, i.e. Http"})`);
        }
        for (const listener of layer4) {
            if (listener.protocol !== "Tls") must(`not serve unencrypted TCP (listener ${listener.name ?? "(unnamed)"} uses ${listener.protocol ?? "no protocol"})`);
        }
        for (const port of props.frontendPorts ?? []) {
            if (port.port === 80) must(`not open frontend port 80 (port ${port.name ?? "(unnamed)"})`);
        }
        for (const setting of props.backendHttpSettingsCollection ?? []) {
            if (setting.protocol !== "Https") must(`reach its backend over HTTPS (backend HTTP setting ${setting.name ?? "(unnamed)"} uses ${setting.protocol ?? "no protocol, i.e. Http"})`);
        }
        for (const setting of props.backendSettingsCollection ?? []) {
            if (setting.protocol !== "Tls") must(`reach its backend over TLS (backend setting ${setting.name ?? "(unnamed)"} uses ${setting.protocol ?? "no protocol"})`);
        }
        for (const probe of props.probes ?? []) {
            if (probe.protocol !== "Https" && probe.protocol !== "Tls") must(`probe its backend over HTTPS (probe ${probe.name ?? "(unnamed)"} uses ${probe.protocol ?? "no protocol"})`);
        }
    },
});

/** Key Vault's data-plane host suffixes (public, China and US Government clouds). */
const keyVaultHosts = [".vault.azure.net", ".vault.azure.cn", ".vault.usgovcloudapi.net"];

export const azureNetworkApplicationGatewayConfigureKeyVaultCertificate = resourcePolicy<GatewayProps>({
    name: "azure-network-applicationgateway-configure-keyvault-certificate",
    description:
        "Every listener certificate of an Application Gateway is read from Key Vault by a versionless secret id, so a renewed " +
        "certificate is picked up without a deployment; no certificate is uploaded inline (data/password). Compared against: the secure default, a versionless https secret id on a Key Vault host (*.vault.azure.net or a sovereign-cloud twin).",
    controls: ["C3.3", "C6.3"],
    component: "edge",
    remediationSteps:
        "Reference the certificate as keyVaultSecretId https://<vault>.vault.azure.net/secrets/<name> (no version) through the " +
        "gateway's user-assigned identity with Key Vault Secrets User on that secret; remove data and password.",
    appliesTo: [resourceTypes.network.ApplicationGateway],
    validate: (props, _args, must) => {
        for (const cert of props.sslCertificates ?? []) {
            const name = cert.name ?? "(unnamed)";
            if (cert.data !== undefined || cert.password !== undefined) must(`not carry certificate ${name} inline (data/password); reference Key Vault instead`);
            const id = cert.keyVaultSecretId;
            if (typeof id !== "string") {
                must(`read certificate ${name} from Key Vault by keyVaultSecretId`);
            } else if (!/^https:\/\/[^/]+\/secrets\/[A-Za-z0-9-]+\/?$/.test(id)) {
                must(`reference certificate ${name} by a versionless Key Vault secret id (got ${id})`);
            } else if (!keyVaultHosts.some((suffix) => new URL(id).hostname.toLowerCase().endsWith(suffix))) {
                must(`read certificate ${name} from a Key Vault (a *.vault.azure.net host or its sovereign-cloud twin; got ${new URL(id).hostname})`);
            }
        }
    },
});

export const azureNetworkApplicationGatewayEnableWafPolicy = stackPolicy({
    name: "azure-network-applicationgateway-enable-waf-policy",
    description:
        "Every Application Gateway runs the WAF_v2 SKU and is associated with a WAF policy declared in this stack, so the " +
        "policy's own checks (Prevention mode, managed and bot rule sets, body inspection) apply to it. Compared against: the stack's own WAF policies (by dependency) and the WAF_v2 SKU.",
    controls: ["C1.1", "C4.1"],
    component: "edge",
    remediationSteps:
        "Use sku { name: WAF_v2, tier: WAF_v2 } and set firewallPolicy.id to the WebApplicationFirewallPolicy that " +
        "components/edge creates (forceFirewallPolicyAssociation: true).",
    validate: (resources, _args, must) => {
        const wafPolicies = resources.filter((r) => r.type === resourceTypes.network.WebApplicationFirewallPolicy);
        for (const gateway of resources.filter((r) => r.type === resourceTypes.network.ApplicationGateway)) {
            const sku = gateway.props.sku ?? {};
            if (sku.tier !== "WAF_v2" || sku.name !== "WAF_v2") {
                must(gateway, `run the WAF_v2 SKU (got ${JSON.stringify(sku.name ?? null)}/${JSON.stringify(sku.tier ?? null)})`);
            }
            if (!wafPolicies.some((waf) => dependsVia(gateway, "firewallPolicy", waf))) {
                must(gateway, "be associated with a WAF policy of this stack (firewallPolicy.id)");
            }
        }
    },
});

type WafPolicyProps = Inputs<WebApplicationFirewallPolicyArgs>;

/** Largest request body (KB) the WAF may admit unless the pack config says otherwise: the gateway's own cap, 4 MiB (C9.4). */
export const defaultMaxWafBodyKb = 4096;

export const azureNetworkWafPolicyEnablePreventionMode: McpResourcePolicy = {
    ...resourcePolicy<WafPolicyProps>({
        name: "azure-network-wafpolicy-enable-prevention-mode",
        description:
            "Every WAF policy is enabled, blocks in Prevention mode, inspects request bodies and enforces the body size limit (requestBodyEnforcement not " +
            `false), which is at most maxRequestBodySizeKb (${defaultMaxWafBodyKb} by default, the gateway's own cap). Absent settings are Azure's ` +
            "defaults, which only detect. Compared against: the config cap maxRequestBodySizeKb.",
        controls: ["C1.1"],
        component: "edge",
        remediationSteps:
            "Set policySettings { state: Enabled, mode: Prevention, requestBodyCheck: true } with a body size limit; tune false " +
            "positives with exclusions on the specific rule, never by switching to Detection.",
        appliesTo: [resourceTypes.network.WebApplicationFirewallPolicy],
        validate: (props, args, must) => {
            const settings = props.policySettings ?? {};
            const cap = args.getConfig<{ maxRequestBodySizeKb: number }>().maxRequestBodySizeKb;
            if (settings.state !== "Enabled") must(`be enabled (got state ${JSON.stringify(settings.state ?? null)})`);
            if (settings.mode !== "Prevention") must(`block in Prevention mode (got mode ${JSON.stringify(settings.mode ?? null)})`);
            if (settings.requestBodyCheck !== true) must("inspect request bodies (requestBodyCheck: true)");
            if (settings.requestBodyEnforcement === false) must("enforce the request body size limit (requestBodyEnforcement not false)");
            const size = settings.maxRequestBodySizeInKb;
            if (size !== undefined && !(size > 0 && size <= cap)) must(`admit request bodies of at most ${cap} KB (maxRequestBodySizeInKb ${size})`);
        },
    }),
    configSchema: {
        properties: {
            ...exemptionsConfigSchema.properties,
            maxRequestBodySizeKb: { type: "integer", minimum: 1, default: defaultMaxWafBodyKb, description: "Largest request body (KB) a WAF policy may admit." },
        },
    },
};

/** Managed rule sets that carry C1.1 and the minimum version of each. */
export const acceptedCoreRuleSets: Record<string, string> = { OWASP: "3.2", Microsoft_DefaultRuleSet: "2.1" };
export const botRuleSetType = "Microsoft_BotManagerRuleSet";

/** Compares dotted versions numerically ("3.10" > "3.2"); a non-numeric version compares as lowest. */
export function versionAtLeast(version: string | undefined, minimum: string): boolean {
    const parse = (v: string) => v.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : NaN));
    const have = parse(version ?? "");
    const need = parse(minimum);
    if (have.some(Number.isNaN)) return false;
    for (let i = 0; i < Math.max(have.length, need.length); i++) {
        const a = have[i] ?? 0;
        const b = need[i] ?? 0;
        if (a !== b) return a > b;
    }
    return true;
}

export const azureNetworkWafPolicyConfigureManagedRuleSets = resourcePolicy<WafPolicyProps>({
    name: "azure-network-wafpolicy-configure-managed-rule-sets",
    description:
        "Every WAF policy runs a current core rule set (OWASP 3.2 or later, or Microsoft_DefaultRuleSet 2.1 or later) and " +
        "the Microsoft_BotManagerRuleSet, overrides no managed rule to Disabled, Log or Allow, excludes no field class wholesale (EqualsAny) and has no enabled " +
        "custom Allow rule (custom rules run first, so an Allow skips the managed rules). Compared against: the minimum versions in acceptedCoreRuleSets.",
    controls: ["C1.1"],
    component: "edge",
    remediationSteps:
        "Add { ruleSetType: Microsoft_DefaultRuleSet, ruleSetVersion: 2.1 } (or OWASP 3.2) and { ruleSetType: " +
        "Microsoft_BotManagerRuleSet, ruleSetVersion: 1.1 } to managedRules.managedRuleSets.",
    appliesTo: [resourceTypes.network.WebApplicationFirewallPolicy],
    validate: (props, _args, must) => {
        const sets = props.managedRules?.managedRuleSets ?? [];
        const core = sets.some((s) => s.ruleSetType !== undefined && s.ruleSetType in acceptedCoreRuleSets && versionAtLeast(s.ruleSetVersion, acceptedCoreRuleSets[s.ruleSetType]));
        if (!core) {
            const got = sets.map((s) => `${s.ruleSetType ?? "?"} ${s.ruleSetVersion ?? "?"}`).join(", ") || "none";
            must(`run OWASP 3.2+ or Microsoft_DefaultRuleSet 2.1+ (got ${got})`);
        }
        if (!sets.some((s) => s.ruleSetType === botRuleSetType)) must(`run the ${botRuleSetType}`);
        // Overrides may only make a rule stricter: a disabled rule, or one that only logs or allows, switches part of the rule set off.
        for (const set of sets) {
            for (const group of set.ruleGroupOverrides ?? []) {
                const weakened = (group.rules ?? []).filter((r) => r.state === "Disabled" || (r.action !== undefined && !strictRuleActions.includes(r.action)));
                if ((group.rules ?? []).length === 0) must(`not override rule group ${group.ruleGroupName ?? "(unnamed)"} of ${set.ruleSetType ?? "?"} without naming its rules`);
                if (weakened.length > 0) {
                    must(`keep every managed rule blocking (rule group ${group.ruleGroupName ?? "(unnamed)"} turns ${weakened.map((r) => `${r.ruleId ?? "?"} ${r.state === "Disabled" ? "off" : `to ${r.action}`}`).join(", ")})`);
                }
            }
        }
        for (const exclusion of props.managedRules?.exclusions ?? []) {
            if (exclusion.selectorMatchOperator === "EqualsAny" || !exclusion.selector) {
                must(`exclude named fields only from the managed rules (an exclusion of every ${exclusion.matchVariable ?? "field"} turns inspection off for it)`);
            }
        }
        // Custom rules run before the managed rules: an Allow match skips them entirely.
        for (const rule of props.customRules ?? []) {
            if (rule.action === "Allow" && rule.state !== "Disabled") must(`not let custom rule ${rule.name ?? "(unnamed)"} allow requests past the managed rules (action Allow)`);
        }
    },
});

/** Override actions that keep a managed rule blocking. */
const strictRuleActions = ["Block", "AnomalyScoring"];

/** Highest requests per client IP per minute the WAF may admit unless the pack config says otherwise (C4.1). */
export const defaultMaxRequestsPerClientIpPerMinute = 3000;
const rateWindowMinutes: Record<string, number> = { OneMin: 1, FiveMins: 5 };

export const azureNetworkWafPolicyConfigureClientIpRateLimit: McpResourcePolicy = {
    ...resourcePolicy<WafPolicyProps>({
        name: "azure-network-wafpolicy-configure-client-ip-rate-limit",
        description:
            "Every WAF policy has an enabled rate-limit rule that blocks a client IP (grouped by ClientAddr) above a threshold of at most " +
            `maxRequestsPerClientIpPerMinute (${defaultMaxRequestsPerClientIpPerMinute} by default; a FiveMins window counts a fifth per minute). ` +
            "Compared against: the config cap.",
        controls: ["C4.1", "C4.4"],
        component: "edge",
        severity: "medium",
        remediationSteps:
            "Add a custom rule { ruleType: RateLimitRule, action: Block, state: Enabled, rateLimitDuration: OneMin, " +
            "rateLimitThreshold: <n>, groupByUserSession: [{ groupByVariables: [{ variableName: ClientAddr }] }] } matching all requests.",
        appliesTo: [resourceTypes.network.WebApplicationFirewallPolicy],
        validate: (props, args, must) => {
            const cap = args.getConfig<{ maxRequestsPerClientIpPerMinute: number }>().maxRequestsPerClientIpPerMinute;
            const perClientIp = (props.customRules ?? []).filter(
                (rule) =>
                    rule.ruleType === "RateLimitRule" &&
                    rule.action === "Block" &&
                    rule.state === "Enabled" &&
                    typeof rule.rateLimitThreshold === "number" &&
                    rule.rateLimitThreshold > 0 &&
                    (rule.groupByUserSession ?? []).some((g) => (g.groupByVariables ?? []).some((v) => v.variableName === "ClientAddr")),
            );
            if (perClientIp.length === 0) {
                must("block a client IP above a rate limit (an enabled RateLimitRule with action Block grouped by ClientAddr)");
                return;
            }
            const perMinute = perClientIp.map((r) => r.rateLimitThreshold! / (rateWindowMinutes[r.rateLimitDuration ?? "OneMin"] ?? Number.NaN));
            if (!perMinute.some((n) => n <= cap)) {
                must(`block a client IP above at most ${cap} requests per minute (got ${perMinute.map((n) => (Number.isNaN(n) ? "an unknown window" : Math.round(n))).join(", ")})`);
            }
        },
    }),
    configSchema: {
        properties: {
            ...exemptionsConfigSchema.properties,
            maxRequestsPerClientIpPerMinute: { type: "integer", minimum: 1, default: defaultMaxRequestsPerClientIpPerMinute, description: "Highest per-client-IP requests per minute." },
        },
    },
};

/** Request fields the WAF log must scrub: the credentials a request carries (C5.3, A5). */
export const scrubbedHeaders = ["Authorization", "Cookie"] as const;

export const azureNetworkWafPolicyEnableLogScrubbing = resourcePolicy<WafPolicyProps>({
    name: "azure-network-wafpolicy-enable-log-scrubbing",
    description:
        "Every WAF policy scrubs its logs (policySettings.logScrubbing state Enabled) with enabled rules for the Authorization and Cookie request headers, so " +
        "no token or session cookie lands in the workspace. Absent is Azure's default: nothing scrubbed. Compared against: scrubbedHeaders.",
    controls: ["C5.3", "A5"],
    component: "edge",
    severity: "medium",
    remediationSteps:
        "Set policySettings.logScrubbing { state: Enabled, scrubbingRules: [{ matchVariable: RequestHeaderNames, selectorMatchOperator: Equals, selector: " +
        "Authorization, state: Enabled }, … Cookie …] } (components/edge does).",
    appliesTo: [resourceTypes.network.WebApplicationFirewallPolicy],
    validate: (props, _args, must) => {
        const scrubbing = props.policySettings?.logScrubbing;
        if (scrubbing?.state !== "Enabled") {
            must(`scrub its logs (policySettings.logScrubbing.state Enabled, got ${JSON.stringify(scrubbing?.state ?? null)})`);
            return;
        }
        const rules = (scrubbing.scrubbingRules ?? []).filter((r) => r.state !== "Disabled" && r.matchVariable === "RequestHeaderNames");
        const covers = (header: string) => rules.some((r) => r.selectorMatchOperator === "EqualsAny" || (r.selector ?? "").toLowerCase() === header.toLowerCase());
        const missing = scrubbedHeaders.filter((h) => !covers(h));
        if (missing.length > 0) must(`scrub the ${missing.join(" and ")} request header${missing.length > 1 ? "s" : ""} from its logs (an enabled RequestHeaderNames rule)`);
    },
});

/**
 * The only public IP the platform has is the edge's. API Management in internal mode needs none
 * (components/gateway: since the stv2 change Azure manages its control-plane address), so there is
 * deliberately no exception for it.
 */
function isEdgeFrontend(ip: PolicyResource, resources: readonly PolicyResource[]): boolean {
    return resources.some((r) => r.type === resourceTypes.network.ApplicationGateway && dependsVia(r, "frontendIPConfigurations", ip));
}

export const azureNetworkPublicIpDisallowOutsideEdge = stackPolicy({
    name: "azure-network-publicipaddress-disallow-outside-edge",
    description:
        "The Application Gateway's frontend is the platform's only public entry: every public IP address is referenced by an " +
        "Application Gateway's frontend IP configuration (none for API Management, VMs, NAT or anything else), or is the " +
        "SNAT address of the egress Azure Firewall in a stack without DNAT rules (outbound only). Compared against: the stack's Application Gateways " +
        "and egress firewall (by dependency).",
    controls: ["C10.3", "A2"],
    component: "edge",
    severity: "critical",
    remediationSteps:
        "Delete the public IP, or reach the service through the edge (Application Gateway → internal API Management) or a " +
        "private endpoint. Operators reach the VNet through a private path, never through a public IP on a workload.",
    validate: (resources, _args, must) => {
        for (const ip of resources.filter((r) => r.type === resourceTypes.network.PublicIPAddress)) {
            // The egress firewall's SNAT address accepts nothing inbound (no DNAT): see policies/firewall.ts.
            if (!isEdgeFrontend(ip, resources) && !isEgressFirewallAddress(ip, resources)) {
                must(ip, "be the frontend of the edge's Application Gateway (no other public IP is allowed)");
            }
        }
    },
});

// Optional control (DDoS Network Protection bills per month): enforced only when the platform declares it on.
export const azureNetworkPublicIpEnableDdosProtection = stackPolicy({
    name: "azure-network-publicipaddress-enable-ddos-protection",
    description:
        "When the platform turns ddosProtection on, every public IP is covered: VirtualNetworkInherited (the VNet's plan, " +
        "which azure-network-vnet-enable-ddos-protection requires) or Enabled. An absent setting counts as unprotected. Compared against: the declaration's optionalControls.ddosProtection.",
    controls: ["C4.4"],
    component: "edge",
    remediationSteps:
        "Set ddosSettings.protectionMode to VirtualNetworkInherited on the Application Gateway's public IP (components/edge " +
        "does) and keep the VNet's DDoS plan, or turn the feature off with a reason in featureReasons.",
    validate: (resources, _args, must) => {
        if (!optionalControlEnabled(resources, "ddosProtection")) return;
        for (const ip of resources.filter((r) => r.type === resourceTypes.network.PublicIPAddress)) {
            const mode = ip.props.ddosSettings?.protectionMode;
            if (mode !== "VirtualNetworkInherited" && mode !== "Enabled") {
                must(ip, `be DDoS-protected (ddosSettings.protectionMode VirtualNetworkInherited or Enabled; got ${JSON.stringify(mode ?? null)}), since optionalControls.ddosProtection is enabled`);
            }
        }
    },
});
