import type { PolicyResource } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "../lib/policy";
import { allExpressions, findAll, fragmentsOf, isExpression, parsePolicyXml, PolicyElement, resolveFragments, section } from "../lib/apimXml";

/**
 * API Management: the MCP security policies every MCP API must carry (read from the policy XML
 * with fragments resolved) and the gateway service's TLS and network settings.
 */

const apiType = "azure-native:apimanagement:Api";
const apiPolicyType = "azure-native:apimanagement:ApiPolicy";
const serviceType = "azure-native:apimanagement:ApiManagementService";
const platformType = "mcp:platform:McpPlatform";

interface McpApiPolicy {
    readonly api: PolicyResource;
    /** The resolved `<policies>` document, or why there is none. */
    readonly root?: PolicyElement;
    readonly problem?: string;
}

/** An API whose path is `mcp/<server>` is an MCP API. */
function isMcpApi(resource: PolicyResource): boolean {
    return resource.type === apiType && typeof resource.props.path === "string" && /^\/?mcp(\/|$)/.test(resource.props.path);
}

/** The API policy of `api`: linked by dependency (real preview) or, failing that, by apiId and service name. */
function policyResourceOf(api: PolicyResource, resources: readonly PolicyResource[]): PolicyResource | undefined {
    const policies = resources.filter((r) => r.type === apiPolicyType);
    return (
        policies.find((p) => (p.propertyDependencies?.apiId ?? []).includes(api)) ??
        policies.find(
            (p) =>
                typeof p.props.apiId === "string" &&
                (p.props.apiId === api.props.apiId || p.props.apiId === api.name) &&
                (p.props.serviceName === undefined || p.props.serviceName === api.props.serviceName),
        )
    );
}

function mcpApiPolicies(resources: readonly PolicyResource[]): McpApiPolicy[] {
    return resources.filter(isMcpApi).map((api) => {
        const policy = policyResourceOf(api, resources);
        if (!policy) return { api, problem: "have an API policy (none is attached)" };
        const parsed = parsePolicyXml(policy.props.value);
        if (!parsed || parsed.name !== "policies") return { api, problem: "have a well-formed <policies> API policy" };
        const { root, missingFragments } = resolveFragments(parsed, fragmentsOf(resources, policy.props.serviceName));
        if (missingFragments.length > 0) return { api, problem: `include only policy fragments that exist (missing: ${missingFragments.join(", ")})` };
        return { api, root };
    });
}

/** Declared MCP protocol versions of the platform; every version when no platform declares them (fail closed). */
function declaredProtocolVersions(resources: readonly PolicyResource[]): string[] {
    const platform = resources.find((r) => r.type === platformType);
    const versions = platform?.props.protocolVersions;
    return Array.isArray(versions) && versions.length > 0 ? versions.map(String) : ["2025-11-25", "2026-07-28"];
}

const direct = (parent: PolicyElement | undefined, name: string) => (parent?.children ?? []).filter((c) => c.name === name);
const literal = (value: string | undefined): value is string => value !== undefined && value.trim() !== "" && !isExpression(value);
const mentions = (haystack: string, needle: string) => haystack.toLowerCase().includes(needle.toLowerCase());

/** Runs `check` on every MCP API policy; `check` returns the state the API must reach, or nothing. */
function forEachMcpApi(resources: readonly PolicyResource[], must: (r: PolicyResource, state: string) => void, check: (root: PolicyElement) => string | undefined) {
    for (const entry of mcpApiPolicies(resources)) {
        if (!entry.root) {
            must(entry.api, entry.problem!);
            continue;
        }
        const state = check(entry.root);
        if (state) must(entry.api, state);
    }
}

export const azureApimanagementApiEnforceTokenValidation = stackPolicy({
    name: "azure-apimanagement-api-enforce-token-validation",
    description:
        "Every MCP API validates the Entra token at API scope, unconditionally, with the tenant pinned, literal audiences and a client application allow-list.",
    controls: ["M1", "M2", "M3", "C7.2", "C7.3"],
    component: "gateway",
    severity: "critical",
    remediationSteps:
        "Put validate-azure-ad-token directly in the API policy's inbound section (not inside <choose>) with a literal tenant-id, the server app's client id " +
        "and identifier URI as <audiences>, and the allowed <client-application-ids>; components/gateway builds it from the server's identity.",
    validate: (resources, _args, must) =>
        forEachMcpApi(resources, must, (root) => {
            const inbound = section(root, "inbound");
            const azureAd = direct(inbound, "validate-azure-ad-token");
            const jwt = direct(inbound, "validate-jwt");
            if (azureAd.length === 0 && jwt.length === 0) return "validate every request's token with validate-azure-ad-token in inbound, outside any condition";
            for (const v of azureAd) {
                if (!literal(v.attributes["tenant-id"])) return "pin the token tenant with a literal tenant-id";
                const audiences = findAll(v, "audience");
                if (audiences.length === 0 || !audiences.every((a) => literal(a.text))) return "pin the token audience to literal values (the server's client id and identifier URI)";
                const clients = findAll(v, "application-id");
                if (clients.length === 0 || !clients.every((c) => literal(c.text))) return "restrict client-application-ids to a literal allow-list";
            }
            for (const v of jwt) {
                const audiences = findAll(v, "audience");
                const issuers = findAll(v, "issuer");
                if (audiences.length === 0 || !audiences.every((a) => literal(a.text))) return "pin the token audience to literal values (the server's client id and identifier URI)";
                if (issuers.length === 0 || !issuers.every((i) => literal(i.text))) return "pin the token issuer to the tenant";
            }
            return undefined;
        }),
});

export const azureApimanagementApiDisableTokenPassthrough = stackPolicy({
    name: "azure-apimanagement-api-disable-token-passthrough",
    description: "Every MCP API deletes the caller's Authorization header and then authenticates to the backend with a managed identity.",
    controls: ["C7.1"],
    component: "gateway",
    severity: "critical",
    remediationSteps:
        'In the API policy\'s inbound section add <set-header name="Authorization" exists-action="delete" /> followed by ' +
        '<authentication-managed-identity resource="<backend app identifier URI>" client-id="<gateway identity>" />, both unconditional.',
    validate: (resources, _args, must) =>
        forEachMcpApi(resources, must, (root) => {
            const inbound = section(root, "inbound")?.children ?? [];
            const deleteAt = inbound.findIndex(
                (c) => c.name === "set-header" && c.attributes.name?.toLowerCase() === "authorization" && c.attributes["exists-action"] === "delete",
            );
            const miAt = inbound.findIndex((c, i) => i > deleteAt && c.name === "authentication-managed-identity" && literal(c.attributes.resource));
            if (deleteAt < 0) return "delete the caller's Authorization header before forwarding (no token passthrough)";
            if (miAt < 0) return "authenticate to the backend with authentication-managed-identity for a literal backend audience, after deleting Authorization";
            return undefined;
        }),
});

export const azureApimanagementApiEnforceProtocolVersion = stackPolicy({
    name: "azure-apimanagement-api-enforce-protocol-version",
    description:
        "Every MCP API checks the MCP protocol version of each revision the platform allows: MCP-Protocol-Version and initialize protocolVersion (2025-11-25); " +
        "_meta protocolVersion and the Mcp-Method/Mcp-Name headers against the body (2026-07-28).",
    controls: ["C3.4"],
    component: "gateway",
    remediationSteps: "Include the gateway's mcp-protocol-version fragment (components/gateway) in the API policy's inbound section.",
    validate: (resources, _args, must) => {
        const versions = declaredProtocolVersions(resources);
        const markers = [
            "MCP-Protocol-Version",
            ...(versions.some((v) => v < "2026-07-28") ? ["initialize", "protocolVersion"] : []),
            ...(versions.some((v) => v >= "2026-07-28") ? ["io.modelcontextprotocol/protocolVersion", "Mcp-Method", "Mcp-Name"] : []),
        ];
        forEachMcpApi(resources, must, (root) => {
            const text = allExpressions(section(root, "inbound") ?? root);
            const missing = markers.filter((m) => !mentions(text, m));
            return missing.length > 0 ? `check the MCP protocol version in inbound (nothing reads ${missing.join(", ")})` : undefined;
        });
    },
});

export const azureApimanagementApiEnableSessionBinding = stackPolicy({
    name: "azure-apimanagement-api-enable-session-binding",
    description:
        "Where the platform allows a session-based MCP revision, every MCP API binds Mcp-Session-Id to the caller's oid (cache-store-value on initialize, cache-lookup-value on use).",
    controls: ["M4", "C8.2", "C8.3"],
    component: "gateway",
    remediationSteps: "Include the gateway's mcp-session (inbound) and mcp-session-bind (outbound) fragments in the API policy.",
    validate: (resources, _args, must) => {
        if (!declaredProtocolVersions(resources).some((v) => v < "2026-07-28")) return;
        forEachMcpApi(resources, must, (root) => {
            const binds = (where: string, name: string) =>
                findAll(section(root, where) ?? root, name).some((e) => mentions(e.attributes.key ?? "", "oid") && mentions(e.attributes.key ?? "", "session"));
            if (!mentions(allExpressions(root), "Mcp-Session-Id")) return "read the Mcp-Session-Id header to bind sessions to users";
            // The server mints the session id in the initialize response, so the binding is stored in outbound.
            if (!binds("outbound", "cache-store-value")) return "store each session binding keyed by the caller's oid and the session id (cache-store-value)";
            if (!binds("inbound", "cache-lookup-value")) return "look up the session binding for the caller's oid on every request (cache-lookup-value)";
            return undefined;
        });
    },
});

export const azureApimanagementApiEnableUserRateLimit = stackPolicy({
    name: "azure-apimanagement-api-enable-user-rate-limit",
    description: "Every MCP API rate-limits each user (rate-limit-by-key on the token's oid) unconditionally in inbound.",
    controls: ["C4.1"],
    component: "gateway",
    remediationSteps: "Add <rate-limit-by-key calls=… renewal-period=… counter-key=\"@(… oid …)\" /> directly in the API policy's inbound section.",
    validate: (resources, _args, must) =>
        forEachMcpApi(resources, must, (root) => {
            const limits = direct(section(root, "inbound"), "rate-limit-by-key");
            const perUser = limits.some((l) => mentions(l.attributes["counter-key"] ?? "", "oid") && Number(l.attributes.calls) > 0 && Number(l.attributes["renewal-period"]) > 0);
            return perUser ? undefined : "rate-limit every caller by oid with rate-limit-by-key in inbound, outside any condition";
        }),
});

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
