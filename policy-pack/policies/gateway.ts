import { McpStackPolicy, resourcePolicy, stackPolicy } from "../lib/policy";
import { exemptionsConfigSchema } from "../lib/exemptions";
import { allExpressions, findAll, PolicyElement, section } from "../lib/apimXml";
import {
    answeredStatuses,
    declaredProfile,
    declaredProtocolVersions,
    direct,
    forEachMcpApi,
    guards,
    headerActions,
    literal,
    mentions,
    topLevelBranches,
} from "../lib/mcpApis";

/**
 * API Management: the MCP security policies every MCP API must carry (read from the policy XML
 * with fragments resolved) and the gateway service's TLS and network settings.
 */

const serviceType = "azure-native:apimanagement:ApiManagementService";

/** C7.3: the token must carry the server's scope (`scp`) or one of its app roles (`roles`), listed as literals. */
const requiresScopeOrRole = (validation: PolicyElement) =>
    findAll(validation, "claim").some((c) => ["scp", "roles"].includes(c.attributes.name ?? "") && findAll(c, "value").some((v) => literal(v.text)));
const requiredClaimsState = "require the server's scope or app roles (required-claims with a literal scp or roles value)";

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
                if (!requiresScopeOrRole(v)) return requiredClaimsState;
            }
            for (const v of jwt) {
                const audiences = findAll(v, "audience");
                const issuers = findAll(v, "issuer");
                if (audiences.length === 0 || !audiences.every((a) => literal(a.text))) return "pin the token audience to literal values (the server's client id and identifier URI)";
                if (issuers.length === 0 || !issuers.every((i) => literal(i.text))) return "pin the token issuer to the tenant";
                if (!requiresScopeOrRole(v)) return requiredClaimsState;
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

/** Smallest length a session id check may admit: shorter ids are guessable, not cryptographically random (C8.1). */
export const minimumSessionIdLength = 16;

export const azureApimanagementApiEnableSessionBinding = stackPolicy({
    name: "azure-apimanagement-api-enable-session-binding",
    description:
        "Where the platform allows a session-based MCP revision, every MCP API binds Mcp-Session-Id to the caller's oid (cache-store-value on initialize, " +
        `cache-lookup-value on use) and rejects malformed session ids (a Regex check admitting at least ${minimumSessionIdLength} characters, answered with 400).`,
    controls: ["M4", "C8.2", "C8.3", "C7.4", "C8.1"],
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
            const formatChecks = guards(section(root, "inbound") ?? root, (c) => mentions(c, "Regex.IsMatch"), (code) => code === 400).filter((w) =>
                [...(w.attributes.condition ?? "").matchAll(/\{(\d+),\d*\}/g)].some((m) => Number(m[1]) >= minimumSessionIdLength),
            );
            if (formatChecks.length === 0) {
                return `reject malformed session ids in inbound with 400 (a Regex.IsMatch check admitting no id shorter than ${minimumSessionIdLength} characters)`;
            }
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

/** Largest request body (bytes) the size check may admit unless the pack config says otherwise (C9.4). */
export const defaultMaxRequestBytes = 4_194_304;

export const azureApimanagementApiEnforceRequestValidation: McpStackPolicy = {
    ...stackPolicy({
        name: "azure-apimanagement-api-enforce-request-validation",
        description:
            "Every MCP API checks, in inbound, the JSON media type (415), the request body size against a literal limit no larger than maxRequestBytes " +
            `(${defaultMaxRequestBytes} by default; 413), the JSON-RPC 2.0 envelope (400), and a present Origin header against an allow-list (403).`,
        controls: ["C1.1", "C1.2", "C9.4"],
        component: "gateway",
        remediationSteps:
            "Include the gateway's mcp-origin and mcp-envelope fragments (components/gateway) in the API policy's inbound section; " +
            "config gateway.maxRequestBytes sets the size limit, gateway.allowedOrigins the Origin allow-list (no wildcard).",
        validate: (resources, args, must) => {
            const cap = args.getConfig<{ maxRequestBytes: number }>().maxRequestBytes;
            forEachMcpApi(resources, must, (root) => {
                const inbound = section(root, "inbound") ?? root;
                const isMediaType = (c: string) => mentions(c, "Content-Type") && mentions(c, "application/json");
                if (guards(inbound, isMediaType, (code) => code === 415).length === 0) {
                    return "reject a request whose Content-Type is not application/json with 415 in inbound";
                }
                const limits = guards(inbound, () => true, (code) => code === 413).flatMap((w) =>
                    [...(w.attributes.condition ?? "").matchAll(/>=?\s*(\d+)/g)].map((m) => Number(m[1])),
                );
                if (!limits.some((n) => n > 0 && n <= cap)) return `limit the request body to at most ${cap} bytes with a literal size check answered with 413 in inbound`;
                // The variable holding the envelope check's result must gate a 400 answer.
                const envelopeVariables = findAll(inbound, "set-variable")
                    .filter((v) => mentions(v.attributes.value ?? "", '"jsonrpc"') && mentions(v.attributes.value ?? "", '"2.0"'))
                    .map((v) => `"${v.attributes.name ?? ""}"`);
                if (guards(inbound, (c) => envelopeVariables.some((name) => c.includes(name)), (code) => code === 400).length === 0) {
                    return 'validate the JSON-RPC 2.0 envelope ("jsonrpc": "2.0", method, id) and answer an invalid one with 400 in inbound';
                }
                const isOrigin = (c: string) => mentions(c, '"Origin"') && !c.includes('"*"');
                if (guards(inbound, isOrigin, (code) => code === 403).length === 0) {
                    return "reject a present Origin header outside a literal allow-list (no wildcard) with 403 in inbound";
                }
                return undefined;
            });
        },
    }),
    configSchema: {
        properties: {
            ...exemptionsConfigSchema.properties,
            maxRequestBytes: { type: "integer", minimum: 1, default: defaultMaxRequestBytes, description: "Largest request body, in bytes, an MCP API may admit." },
        },
    },
};

export const azureApimanagementApiEnforceToolAuthorization = stackPolicy({
    name: "azure-apimanagement-api-enforce-tool-authorization",
    description:
        "Every MCP API checks each tools/call against the caller's app roles (the roles claim) unconditionally in inbound and answers a tool the caller may not use with 403.",
    controls: ["C2.2", "C7.3"],
    component: "gateway",
    severity: "critical",
    remediationSteps:
        "Include the gateway's mcp-tool-authorization fragment in the API policy's inbound section (not inside another condition); " +
        "servers[].tools maps each tool to the app role it requires.",
    validate: (resources, _args, must) =>
        forEachMcpApi(resources, must, (root) => {
            const checks = topLevelBranches(section(root, "inbound")).filter(
                (w) => mentions(w.attributes.condition ?? "", "tools/call") && mentions(allExpressions(w), "roles") && answeredStatuses(w).includes(403),
            );
            return checks.length > 0 ? undefined : "authorise every tools/call by the tool's required app role (roles claim), answering 403, in inbound outside any other condition";
        }),
});

interface PromptShieldsConfig {
    readonly allowFailOpen: boolean;
}

export const azureApimanagementApiEnablePromptShields: McpStackPolicy = {
    ...stackPolicy({
        name: "azure-apimanagement-api-enable-prompt-shields",
        description:
            "Every MCP API sends tools/call arguments to Azure AI Content Safety Prompt Shields (text:shieldPrompt) with a managed identity, rejects a detected attack " +
            "with a 4xx answer and fails closed (5xx) when the screen cannot answer; fail-open is a violation unless the pack config sets allowFailOpen.",
        controls: ["C1.3", "C9.1"],
        component: "gateway",
        severity: "critical",
        remediationSteps:
            "Include the gateway's mcp-prompt-shields fragment in the API policy's inbound section and keep gateway.promptShieldsFailureMode \"closed\"; " +
            "a deliberate fail-open needs the pack config { allowFailOpen: true } for this policy (a reviewed exception).",
        validate: (resources, args, must) => {
            const { allowFailOpen } = args.getConfig<PromptShieldsConfig>();
            forEachMcpApi(resources, must, (root) => {
                const screens = topLevelBranches(section(root, "inbound")).filter(
                    (w) =>
                        mentions(w.attributes.condition ?? "", "tools/call") &&
                        findAll(w, "send-request").some((r) => findAll(r, "set-url").some((u) => mentions(u.text, "text:shieldPrompt"))),
                );
                if (screens.length === 0) return "screen every tools/call's arguments with Prompt Shields (send-request to …/contentsafety/text:shieldPrompt) in inbound outside any other condition";
                const calls = screens.flatMap((w) => findAll(w, "send-request"));
                const keyed = calls.some((r) => findAll(r, "set-header").some((h) => mentions(h.attributes.name ?? "", "Ocp-Apim-Subscription-Key")));
                if (keyed || !calls.every((r) => direct(r, "authentication-managed-identity").length > 0)) {
                    return "call Prompt Shields with the gateway's managed identity (authentication-managed-identity), never a key";
                }
                const statuses = screens.flatMap(answeredStatuses);
                if (!statuses.some((c) => c >= 400 && c < 500)) return "reject tools/call arguments Prompt Shields flags as an attack with a 4xx answer";
                if (!allowFailOpen && !statuses.some((c) => c >= 500)) {
                    return "fail closed (answer 5xx) when Prompt Shields cannot screen a tools/call (promptShieldsFailureMode closed; allowFailOpen is off)";
                }
                return undefined;
            });
        },
    }),
    configSchema: {
        properties: {
            ...exemptionsConfigSchema.properties,
            allowFailOpen: { type: "boolean", default: false, description: "Accept an MCP API that forwards tools/call when Prompt Shields cannot answer." },
        },
    },
};

export const azureApimanagementApiEnforceManifestIntegrity = stackPolicy({
    name: "azure-apimanagement-api-enforce-manifest-integrity",
    description:
        "Every MCP API computes the SHA-256 digest of each tools/list result in outbound and compares it with a pinned literal sha256:<hex> digest; on drift it " +
        "blocks (5xx answer) when the platform's profile is prod or unknown, and at least records the drift (trace) in dev.",
    controls: ["C9.2"],
    component: "gateway",
    severity: "critical",
    remediationSteps:
        "Include the gateway's mcp-manifest-integrity fragment in the API policy's outbound section with the server's approved manifestDigest " +
        "(npm run manifest-digest); set gateway.manifestMode \"block\" in prod.",
    validate: (resources, _args, must) => {
        const profile = declaredProfile(resources);
        forEachMcpApi(resources, must, (root) => {
            if (!findAll(root, "set-variable").some((v) => /^sha256:[0-9a-f]{64}$/.test(v.attributes.value ?? ""))) {
                return "pin the approved tools/list digest as a literal sha256:<64 hex> value";
            }
            const checks = findAll(section(root, "outbound") ?? root, "when").filter(
                (w) => mentions(w.attributes.condition ?? "", "tools/list") && mentions(allExpressions(w), "SHA256"),
            );
            if (checks.length === 0) return "compare the SHA-256 digest of every tools/list result with the approved digest in outbound";
            if (profile !== "dev" && !checks.some((w) => answeredStatuses(w).some((c) => c >= 500))) {
                return `block a tools/list result whose digest drifted (5xx answer; manifestMode block) in the ${profile ?? "unknown (treated as prod)"} profile`;
            }
            if (!checks.some((w) => findAll(w, "trace").length > 0 || answeredStatuses(w).length > 0)) return "record or block a tools/list result whose digest drifted";
            return undefined;
        });
    },
});

/** Response headers every MCP answer carries (C8.4): lower-cased name → test of the value. */
export const requiredResponseHeaders: Readonly<Record<string, { readonly expect: string; readonly ok: (value: string) => boolean }>> = {
    "strict-transport-security": { expect: "max-age of at least 31536000", ok: (v) => Number(/max-age=(\d+)/i.exec(v)?.[1] ?? 0) >= 31_536_000 },
    "x-content-type-options": { expect: "nosniff", ok: (v) => v.trim().toLowerCase() === "nosniff" },
    "cache-control": { expect: "no-store", ok: (v) => /(^|[\s,])no-store($|[\s,;])/i.test(v) },
    "x-frame-options": { expect: "DENY", ok: (v) => v.trim().toUpperCase() === "DENY" },
};
/** Headers that reveal the server stack and must be deleted (C8.4, C1.4). */
export const revealingResponseHeaders = ["Server", "X-Powered-By", "X-AspNet-Version"] as const;

/** What `elements` (siblings) fail to set or delete among the security headers. */
function headerGaps(elements: readonly PolicyElement[]): string[] {
    const actions = headerActions(elements);
    const wrong = Object.entries(requiredResponseHeaders)
        .filter(([name, rule]) => actions.get(name) === undefined || actions.get(name) === "delete" || !rule.ok(actions.get(name)!))
        .map(([name, rule]) => `${name}: ${rule.expect}`);
    const kept = revealingResponseHeaders.filter((h) => actions.get(h.toLowerCase()) !== "delete").map((h) => `delete ${h}`);
    return [...wrong, ...kept];
}

export const azureApimanagementApiEnforceSecurityHeaders = stackPolicy({
    name: "azure-apimanagement-api-enforce-security-headers",
    description:
        "Every MCP API sets HSTS (≥ 1 year), X-Content-Type-Options nosniff, Cache-Control no-store and X-Frame-Options DENY and deletes Server, X-Powered-By and " +
        "X-AspNet-Version unconditionally in outbound; its on-error section answers every error (a catch-all return-response) with the same headers and a body " +
        "that never includes context.LastError.",
    controls: ["C8.4", "C1.4"],
    component: "gateway",
    remediationSteps: "Include the gateway's mcp-security-headers fragment in outbound and its mcp-on-error fragment in on-error (components/gateway).",
    validate: (resources, _args, must) =>
        forEachMcpApi(resources, must, (root) => {
            const outboundGaps = headerGaps(section(root, "outbound")?.children ?? []);
            if (outboundGaps.length > 0) return `set the security headers unconditionally in outbound (${outboundGaps.join("; ")})`;
            const onError = section(root, "on-error");
            if (!onError) return "answer errors from an on-error section (none exists)";
            const catchAll =
                direct(onError, "return-response").length > 0 ||
                direct(onError, "choose").some((c) => direct(c, "otherwise").some((o) => findAll(o, "return-response").length > 0));
            if (!catchAll) return "answer every error in on-error (a return-response outside any condition, or in <otherwise>)";
            if (findAll(onError, "set-body").some((b) => mentions(b.text, "LastError") || mentions(b.text, "Exception"))) {
                return "answer errors without internals (no set-body in on-error may read context.LastError)";
            }
            const responses = findAll(onError, "return-response");
            const gaps = responses.map((r) => headerGaps(r.children)).find((g) => g.length > 0);
            if (gaps) return `set the security headers on every on-error answer too, since outbound does not run (${gaps.join("; ")})`;
            return undefined;
        }),
});

export const azureApimanagementApiEnableAuditTrace = stackPolicy({
    name: "azure-apimanagement-api-enable-audit-trace",
    description:
        "Every MCP API emits the per-call audit event (a <trace source=\"mcp-gateway\"> whose message names mcp.audit.call) unconditionally in inbound after token " +
        "validation, and the event never reads the request body, arguments, the Authorization header or the session id.",
    controls: ["C5.1", "C10.4"],
    component: "gateway",
    remediationSteps: "Include the gateway's mcp-audit fragment in the API policy's inbound section after token validation (components/gateway).",
    validate: (resources, _args, must) =>
        forEachMcpApi(resources, must, (root) => {
            const inbound = section(root, "inbound")?.children ?? [];
            const validatedAt = inbound.findIndex((c) => c.name === "validate-azure-ad-token" || c.name === "validate-jwt");
            const audits = inbound
                .map((c, i) => ({ c, i }))
                .filter(({ c }) => c.name === "trace" && c.attributes.source === "mcp-gateway" && mentions(allExpressions(c), "mcp.audit.call"));
            if (audits.length === 0) return "emit the mcp.audit.call trace (source mcp-gateway) for every request in inbound, outside any condition";
            if (validatedAt < 0 || !audits.some(({ i }) => i > validatedAt)) return "emit the mcp.audit.call trace after token validation, so it names the authenticated caller";
            const leaks = ["Body", "arguments", "Authorization", "Mcp-Session-Id", "SessionId\""].filter((m) => audits.some(({ c }) => mentions(allExpressions(c), m)));
            if (leaks.length > 0) return `keep the audit event minimal: no request body, arguments, token or session id (it reads ${leaks.join(", ")})`;
            return undefined;
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
