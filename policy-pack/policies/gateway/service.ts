import type { ApiArgs, ApiManagementServiceArgs, BackendArgs, DiagnosticArgs, NamedValueArgs } from "@pulumi/azure-native/apimanagement";
import type { Inputs } from "../../lib/inputs";
import { resourcePolicy, stackPolicy } from "../../lib/policy";
import { isApimPolicyDocument, maxRateLimitRenewalSeconds, serviceOf, tierLimitProblems } from "../../lib/tierLimits";
import { resourceTypes } from "../../contract/resourceTypes";
import { cipherSettingKey, gatewaySettingPrefix, legacyCipherSuites, requiredGatewayTlsSettings } from "../../contract/gatewayTls";

/**
 * API Management, service level: the gateway service's TLS and network settings, what its
 * diagnostics may log and which limit elements its tier runs. The per-API MCP policies live in
 * mcpApiAccess.ts (who may call and how), mcpApiContent.ts (what may pass) and mcpApiSignIn.ts
 * (how a client finds the sign-in), operations in operation.ts, so each file stays one concern.
 */

const v2Tiers = ["BasicV2", "StandardV2", "PremiumV2"];

export const azureApimanagementServiceDisableLegacyTls = resourcePolicy<Inputs<ApiManagementServiceArgs>>({
    name: "azure-apimanagement-service-disable-legacy-tls",
    description:
        "The gateway's customProperties set SSL 3.0, TLS 1.0 and TLS 1.1 off on the client and backend side, 3DES off and TLS 1.3 on; an absent key counts as wrong " +
        "(a PATCH without it resets it to the service default). The CBC and static-RSA cipher suites are off (set False on the classic tiers; never True on " +
        "the v2 tiers, which reject cipher changes). Compared against: the secure defaults listed in requiredGatewayTlsSettings and legacyCipherSuites.",
    controls: ["C3.1"],
    component: "gateway",
    remediationSteps: "Send the full customProperties set from components/gateway/service.ts (gatewayCustomProperties).",
    appliesTo: [resourceTypes.apimanagement.ApiManagementService],
    validate: (props, _args, must) => {
        const custom = props.customProperties ?? {};
        const wrong = Object.entries(requiredGatewayTlsSettings)
            .filter(([key, value]) => String(custom[key] ?? "").toLowerCase() !== String(value))
            .map(([key, value]) => `${key.replace(`${gatewaySettingPrefix}.`, "")}=${value}`);
        if (wrong.length > 0) must(`set the TLS settings ${wrong.join(", ")} in customProperties`);
        const v2 = v2Tiers.includes(props.sku?.name ?? "");
        const weak = legacyCipherSuites.filter((suite) => {
            const value = String(custom[cipherSettingKey(suite)] ?? "").toLowerCase();
            return v2 ? value === "true" : value !== "false";
        });
        if (weak.length > 0) must(`switch off the legacy cipher suites ${weak.join(", ")} (customProperties Ciphers.<suite> False)`);
    },
});

export const azureApimanagementServiceEnableInternalVnet = resourcePolicy<Inputs<ApiManagementServiceArgs>>({
    name: "azure-apimanagement-service-enable-internal-vnet",
    description:
        "The gateway is injected into a VNet subnet in Internal mode: no endpoint of it is reachable from the internet; its developer and legacy portals " +
        "are Disabled (absent is Azure's default, Enabled), since MCP clients discover the API through RFC 9728 metadata, not a portal. Compared against: the secure default, Internal mode and portals Disabled, as the platform's gateway.",
    controls: ["C10.3", "A2"],
    component: "gateway",
    remediationSteps: "Set virtualNetworkType: Internal and virtualNetworkConfiguration.subnetResourceId to the gateway subnet (Developer, Premium or PremiumV2 tier).",
    appliesTo: [resourceTypes.apimanagement.ApiManagementService],
    validate: (props, _args, must) => {
        if (props.virtualNetworkType !== "Internal") must(`run in Internal VNet mode (virtualNetworkType is ${props.virtualNetworkType ?? "unset"})`);
        if (!props.virtualNetworkConfiguration?.subnetResourceId) must("be injected into the gateway subnet (virtualNetworkConfiguration.subnetResourceId)");
        for (const portal of ["developerPortalStatus", "legacyPortalStatus"] as const) {
            if (props[portal] !== "Disabled") must(`disable its portal (${portal} Disabled, got ${JSON.stringify(props[portal] ?? null)})`);
        }
    },
});

type DiagnosticProps = Inputs<DiagnosticArgs>;

/** Request headers every gateway diagnostic masks, logged or not (fail closed: a later header list must not expose them). */
export const maskedRequestHeaders = ["Authorization", "Cookie"] as const;
/** Headers that carry credentials: logging one unmasked is a violation wherever it appears. */
const credentialHeaders = ["authorization", "cookie", "set-cookie", "proxy-authorization"];

export const azureApimanagementDiagnosticDisableSensitiveLogging = resourcePolicy<DiagnosticProps>({
    name: "azure-apimanagement-diagnostic-disable-sensitive-logging",
    description:
        "API Management diagnostics (service-wide and per API) log no request or response bodies (body.bytes 0 or no body settings) on the frontend and backend, " +
        "mask the Authorization and Cookie request headers on both sides (absent masking is a violation) and log no credential header unmasked. Compared against: the secure default, no body bytes and the credential headers masked (maskedRequestHeaders).",
    controls: ["C5.3", "A5"],
    component: "gateway",
    remediationSteps:
        "Use gatewayDiagnosticSettings() from components/gateway/children.ts: body.bytes 0 and dataMasking.headers Authorization and Cookie (mode Mask) " +
        "on frontend and backend requests; log headers only when needed, never credential headers unmasked.",
    appliesTo: [resourceTypes.apimanagement.Diagnostic, resourceTypes.apimanagement.ApiDiagnostic],
    validate: (props, _args, must) => {
        for (const side of ["frontend", "backend"] as const) {
            for (const direction of ["request", "response"] as const) {
                const settings = props[side]?.[direction];
                const where = `${side}.${direction}`;
                const bytes = settings?.body?.bytes;
                if (bytes !== undefined && bytes !== 0) must(`log no ${direction} bodies (${where}.body.bytes 0, got ${bytes})`);
                const masked = new Set(
                    (settings?.dataMasking?.headers ?? [])
                        .filter((h) => h.mode === "Mask" || h.mode === "Hide")
                        .map((h) => String(h.value ?? "").toLowerCase()),
                );
                const exposed = (settings?.headers ?? []).filter((h) => credentialHeaders.includes(h.toLowerCase()) && !masked.has(h.toLowerCase()));
                if (exposed.length > 0) must(`log no credential header unmasked (${where}.headers has ${exposed.join(", ")})`);
                if (direction === "request") {
                    const missing = maskedRequestHeaders.filter((h) => !masked.has(h.toLowerCase()));
                    if (missing.length > 0) must(`mask the ${missing.join(" and ")} header${missing.length > 1 ? "s" : ""} (${where}.dataMasking.headers, mode Mask)`);
                }
            }
        }
    },
});

const isHttps = (url: unknown) => typeof url === "string" && /^https:\/\//i.test(url.trim());

export const azureApimanagementApiEnforceHttps = resourcePolicy<Inputs<ApiArgs> & Inputs<BackendArgs>>({
    name: "azure-apimanagement-api-enforce-https",
    description:
        "Every API Management API accepts HTTPS only (protocols exactly [https]; an absent list is a violation) and its serviceUrl, when known, is https://; " +
        "every backend's url is https:// and it validates the certificate chain and name (tls.validateCertificateChain and validateCertificateName never false). " +
        "Compared against: the secure default, HTTPS with full certificate validation end to end.",
    controls: ["C3.1"],
    component: "gateway",
    remediationSteps:
        "Set protocols: [\"https\"] on the API, an https:// serviceUrl and Backend url, and tls { validateCertificateChain: true, validateCertificateName: true } " +
        "(components/gateway does); Container Apps ingress serves a trusted certificate, so nothing needs validation off.",
    appliesTo: [resourceTypes.apimanagement.Api, resourceTypes.apimanagement.Backend],
    validate: (props, args, must) => {
        if (args.type === resourceTypes.apimanagement.Api) {
            const protocols = props.protocols;
            if (!Array.isArray(protocols) || protocols.length === 0 || protocols.some((p) => String(p).toLowerCase() !== "https")) {
                must(`accept HTTPS only (protocols ["https"], got ${JSON.stringify(protocols ?? null)})`);
            }
            if (typeof props.serviceUrl === "string" && !isHttps(props.serviceUrl)) must(`call its backend over HTTPS (serviceUrl ${props.serviceUrl})`);
            return;
        }
        if (!isHttps(props.url)) must(`call the backend over HTTPS (url ${JSON.stringify(props.url ?? null)})`);
        if (props.tls?.validateCertificateChain === false) must("validate the backend's certificate chain (tls.validateCertificateChain)");
        if (props.tls?.validateCertificateName === false) must("validate the backend's certificate name (tls.validateCertificateName)");
    },
});

/** Names and values that look like a credential: a named value holding one must be a Key Vault reference. */
const credentialName = /(key|secret|password|passwd|pwd|token|credential|connection.?string|sas)/i;

export const azureApimanagementNamedValueDisallowLiteralSecrets = resourcePolicy<Inputs<NamedValueArgs>>({
    name: "azure-apimanagement-namedvalue-disallow-literal-secrets",
    description:
        "A secret API Management named value is a Key Vault reference (keyVault.secretIdentifier) with no literal value, and a named value whose name looks " +
        "like a credential (key, secret, password, token, connection string, SAS) is secret. Compared against: the secure default, no secret in the stack.",
    controls: ["C6.3"],
    component: "gateway",
    remediationSteps: "Store the secret in the platform vault and reference it: namedValue { secret: true, keyVault: { secretIdentifier, identityClientId } }, no value.",
    appliesTo: [resourceTypes.apimanagement.NamedValue],
    validate: (props, args, must) => {
        const label = props.displayName ?? args.name;
        if (props.secret === true) {
            if (props.value !== undefined) must(`not hold a literal value for secret ${label}; reference Key Vault (keyVault.secretIdentifier)`);
            else if (!props.keyVault?.secretIdentifier) must(`reference secret ${label} from Key Vault (keyVault.secretIdentifier)`);
        } else if (credentialName.test(`${label} ${args.name}`)) {
            must(`mark ${label} secret and reference it from Key Vault (its name says it holds a credential)`);
        }
    },
});

export const azureApimanagementDiagnosticEnableFullAuditSampling = resourcePolicy<DiagnosticProps>({
    name: "azure-apimanagement-diagnostic-enable-full-audit-sampling",
    description:
        "API Management diagnostics (service-wide and per API) log every request (sampling 100%; absent is Azure's default, 100%) at a verbosity that keeps " +
        "the gateway's information-level audit trace (information or verbose; error drops it). Compared against: the per-call audit event of C5.1, which " +
        "must reach the workspace for every call.",
    controls: ["C5.1", "C10.4"],
    component: "gateway",
    remediationSteps: "Use gatewayDiagnosticSettings() from components/gateway/children.ts: sampling { samplingType: fixed, percentage: 100 }, verbosity information.",
    appliesTo: [resourceTypes.apimanagement.Diagnostic, resourceTypes.apimanagement.ApiDiagnostic],
    validate: (props, _args, must) => {
        const percentage = props.sampling?.percentage;
        if (percentage !== undefined && percentage !== 100) must(`log every request (sampling.percentage 100, got ${percentage})`);
        const verbosity = props.verbosity?.toLowerCase();
        if (verbosity !== undefined && verbosity !== "information" && verbosity !== "verbose") {
            must(`keep the information-level audit trace (verbosity information or verbose, got ${props.verbosity})`);
        }
    },
});

/**
 * API Management, every policy document: only limit elements the service's tier runs (C4.1).
 * The rules and their sources (Learn) are in lib/tierLimits.ts.
 */
export const azureApimanagementServiceEnforceTierSupportedLimits = stackPolicy({
    name: "azure-apimanagement-service-enforce-tier-supported-limits",
    description:
        "Every API Management policy document (service, product, API, operation policy or fragment) uses only limit elements its service's tier runs: no " +
        "quota-by-key outside the classic tiers (Developer, Basic, Standard, Premium; the v2 tiers have none, so the daily quota is a per-UTC-day cache counter " +
        `there), and every rate-limit / rate-limit-by-key has a literal renewal-period of at most ${maxRateLimitRenewalSeconds} seconds. A linked or malformed ` +
        "document fails closed. Compared against: API Management's documented tier support and renewal-period maximum (Learn), the service's sku.",
    controls: ["C4.1"],
    component: "gateway",
    remediationSteps:
        "Build limits with components/gateway (it emits quota-by-key on the classic tiers and a cache-based daily quota on PremiumV2, and 60-second rate-limit " +
        "windows); express a longer limit as a quota, not a rate-limit window over 300 seconds.",
    validate: (resources, _args, must) => {
        for (const doc of resources.filter(isApimPolicyDocument)) {
            const sku = serviceOf(doc, resources)?.props.sku?.name;
            for (const state of tierLimitProblems(doc, typeof sku === "string" ? sku : undefined)) must(doc, state);
        }
    },
});
