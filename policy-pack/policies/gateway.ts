import { resourcePolicy } from "../lib/policy";

/**
 * API Management, service level: the gateway service's TLS and network settings and what its
 * diagnostics may log. The per-API MCP policies live in mcpApiAccess.ts (who may call and how) and
 * mcpApiContent.ts (what may pass), so each file stays one concern.
 */

const serviceType = "azure-native:apimanagement:ApiManagementService";

/** The TLS settings of a gateway and the value each must have (absent = violation). */
export const requiredGatewayTlsSettings: Readonly<Record<string, "true" | "false">> = {
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Ssl30": "false",
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10": "false",
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls11": "false",
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls13": "true",
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Ssl30": "false",
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls10": "false",
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls11": "false",
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls13": "true",
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Ciphers.TripleDes168": "false",
};

export const azureApimanagementServiceDisableLegacyTls = resourcePolicy<{ customProperties?: Record<string, unknown> }>({
    name: "azure-apimanagement-service-disable-legacy-tls",
    description:
        "The gateway's customProperties set SSL 3.0, TLS 1.0 and TLS 1.1 off on the client and backend side, 3DES off and TLS 1.3 on; an absent key counts as wrong " +
        "(a PATCH without it resets it to the service default).",
    controls: ["C3.1"],
    component: "gateway",
    remediationSteps: "Send the full customProperties set from components/gateway/service.ts (gatewayCustomProperties).",
    appliesTo: [serviceType],
    validate: (props, _args, must) => {
        const custom = props.customProperties ?? {};
        const wrong = Object.entries(requiredGatewayTlsSettings)
            .filter(([key, value]) => String(custom[key] ?? "").toLowerCase() !== value)
            .map(([key, value]) => `${key.replace("Microsoft.WindowsAzure.ApiManagement.Gateway.", "")}=${value}`);
        if (wrong.length > 0) must(`set the TLS settings ${wrong.join(", ")} in customProperties`);
    },
});

export const azureApimanagementServiceEnableInternalVnet = resourcePolicy<{
    virtualNetworkType?: string;
    virtualNetworkConfiguration?: { subnetResourceId?: string };
}>({
    name: "azure-apimanagement-service-enable-internal-vnet",
    description: "The gateway is injected into a VNet subnet in Internal mode: no endpoint of it is reachable from the internet.",
    controls: ["C10.3", "A2"],
    component: "gateway",
    remediationSteps: "Set virtualNetworkType: Internal and virtualNetworkConfiguration.subnetResourceId to the gateway subnet (Developer, Premium or PremiumV2 tier).",
    appliesTo: [serviceType],
    validate: (props, _args, must) => {
        if (props.virtualNetworkType !== "Internal") must(`run in Internal VNet mode (virtualNetworkType is ${props.virtualNetworkType ?? "unset"})`);
        if (!props.virtualNetworkConfiguration?.subnetResourceId) must("be injected into the gateway subnet (virtualNetworkConfiguration.subnetResourceId)");
    },
});

interface HttpMessageDiagnostic {
    headers?: string[];
    body?: { bytes?: number };
    dataMasking?: { headers?: { value?: string; mode?: string }[] };
}
interface DiagnosticProps {
    frontend?: { request?: HttpMessageDiagnostic; response?: HttpMessageDiagnostic };
    backend?: { request?: HttpMessageDiagnostic; response?: HttpMessageDiagnostic };
}

/** Request headers every gateway diagnostic masks, logged or not (fail closed: a later header list must not expose them). */
export const maskedRequestHeaders = ["Authorization", "Cookie"] as const;
/** Headers that carry credentials: logging one unmasked is a violation wherever it appears. */
const credentialHeaders = ["authorization", "cookie", "set-cookie", "proxy-authorization"];

export const azureApimanagementDiagnosticDisableSensitiveLogging = resourcePolicy<DiagnosticProps>({
    name: "azure-apimanagement-diagnostic-disable-sensitive-logging",
    description:
        "API Management diagnostics (service-wide and per API) log no request or response bodies (body.bytes 0 or no body settings) on the frontend and backend, " +
        "mask the Authorization and Cookie request headers on both sides (absent masking is a violation) and log no credential header unmasked.",
    controls: ["C5.3", "A5"],
    component: "gateway",
    remediationSteps:
        "Use gatewayDiagnosticSettings() from components/gateway/children.ts: body.bytes 0 and dataMasking.headers Authorization and Cookie (mode Mask) " +
        "on frontend and backend requests; log headers only when needed, never credential headers unmasked.",
    appliesTo: ["azure-native:apimanagement:Diagnostic", "azure-native:apimanagement:ApiDiagnostic"],
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
