import { planned } from "../helpers/resources";
import { add, all, editInputs, editXml, Mutation, named, nameEndsWith, setInput } from "./mutate";
import type { PlannedResource } from "../../tools/offline/types";

/**
 * Value mutations: each keeps the property and changes ONE value to a weaker one (a looser limit,
 * a foreign audience, an older TLS version, a wider scope), the way a reviewer would try to slip a
 * weakening past the pack. Removal mutations live in catalog.ts; these prove that every policy
 * compares values, not presence.
 */
const t = {
    api: "azure-native:apimanagement:Api",
    apiPolicy: "azure-native:apimanagement:ApiPolicy",
    operationPolicy: "azure-native:apimanagement:ApiOperationPolicy",
    apim: "azure-native:apimanagement:ApiManagementService",
    backend: "azure-native:apimanagement:Backend",
    diagnostic: "azure-native:apimanagement:Diagnostic",
    apiDiagnostic: "azure-native:apimanagement:ApiDiagnostic",
    namedValue: "azure-native:apimanagement:NamedValue",
    fragment: "azure-native:apimanagement:PolicyFragment",
    agw: "azure-native:network:ApplicationGateway",
    waf: "azure-native:network:WebApplicationFirewallPolicy",
    pip: "azure-native:network:PublicIPAddress",
    vault: "azure-native:keyvault:Vault",
    key: "azure-native:keyvault:Key",
    secret: "azure-native:keyvault:Secret",
    registry: "azure-native:containerregistry:Registry",
    env: "azure-native:app:ManagedEnvironment",
    app: "azure-native:app:ContainerApp",
    role: "azure-native:authorization:RoleAssignment",
    account: "azure-native:cognitiveservices:Account",
    application: "azuread:index/application:Application",
    ca: "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy",
    rg: "azure-native:resources:ResourceGroup",
} as const;

const q = "&quot;";
const api = nameEndsWith("-api-docs-policy");
const fragment = (id: string) => named(`mcp-gateway-mcp-${id}`);
const apiXml = (pattern: RegExp | string, replacement: string) => editXml(t.apiPolicy, pattern, replacement, api);
const fragmentXml = (id: string, pattern: RegExp | string, replacement: string) => editXml(t.fragment, pattern, replacement, fragment(id));
const container = (edit: (c: Record<string, any>) => void) => editInputs(t.app, (i) => edit(i.template.containers[0]));
const waf = (edit: (i: Record<string, any>) => void) => editInputs(t.waf, edit);
const customProperty = (key: string, value: string) =>
    editInputs(t.apim, (i) => (i.customProperties[`Microsoft.WindowsAzure.ApiManagement.Gateway.Security.${key}`] = value));
const ownVar = (name: string) => `context.Variables.GetValueOrDefault&lt;string&gt;(${q}${name}${q}, ${q}${q})`;
const role = (guid: string) => setInput(t.role, "roleDefinitionId", `/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/${guid}`, nameEndsWith("-acr-ra-acr-pull"));
const caAdmins = named("mcp-identity-ca-admins");
const mcpApiOperationPolicy = (xml: string) =>
    (resources: Parameters<Mutation["apply"]>[0]) => {
        const operation = resources.find((r) => r.name === "mcp-gateway-api-docs-post");
        if (!operation) throw new Error("mutation matched no MCP API operation");
        return [
            ...resources,
            planned(t.operationPolicy, "mcp-gateway-api-docs-post-policy", { ...operation.inputs, format: "rawxml", policyId: "policy", value: xml }, {
                propertyDependencies: { apiId: operation.propertyDependencies.apiId, operationId: [operation.urn] },
            }),
        ];
    };

export const valueMutations: Mutation[] = [
    // --- Token validation (M1, M2, M3, C2.3, C7.2, C7.3) ---
    { controls: ["M1", "C7.2"], description: "the API also accepts tokens for Azure Resource Manager", apply: apiXml("<audiences>", "<audiences><audience>https://management.azure.com</audience>") },
    { controls: ["M1", "C7.2"], description: "the API's identifier-URI audience names another resource", apply: apiXml(/<audience>https:\/\/[^<]+<\/audience>/, "<audience>https://evil.example.com/mcp/docs</audience>") },
    { controls: ["M1", "C7.2"], description: "the API accepts a second client-id audience", apply: apiXml("<audiences>", "<audiences><audience>11111111-2222-3333-4444-555555555555</audience>") },
    { controls: ["M1", "M2"], description: "the API validates tokens of any tenant (common)", apply: apiXml(/tenant-id="[^"]+"/, 'tenant-id="common"') },
    { controls: ["M1", "M2"], description: "the API validates tokens of any work tenant (organizations)", apply: apiXml(/tenant-id="[^"]+"/, 'tenant-id="organizations"') },
    { controls: ["M1", "M2"], description: "the API validates tokens of a foreign tenant", apply: apiXml(/tenant-id="[^"]+"/, 'tenant-id="11111111-2222-3333-4444-555555555555"') },
    { controls: ["M1", "M2"], description: "the API takes the token from a query parameter", apply: apiXml("<validate-azure-ad-token ", '<validate-azure-ad-token query-parameter-name="access_token" ') },
    { controls: ["M1", "M2"], description: "the API takes the token from a custom header", apply: apiXml('header-name="Authorization"', 'header-name="X-Forwarded-Token"') },
    { controls: ["M1", "M2"], description: "the API takes the token from an expression", apply: apiXml("<validate-azure-ad-token ", `<validate-azure-ad-token token-value="@(context.Request.Headers.GetValueOrDefault(${q}X-Token${q}, ${q}${q}))" `) },
    { controls: ["M2"], description: "a failed validation answers 200", apply: apiXml('failed-validation-httpcode="401"', 'failed-validation-httpcode="200"') },
    { controls: ["M3"], description: "the client allow-list admits every application", apply: apiXml("<client-application-ids>", "<client-application-ids><application-id>*</application-id>") },
    { controls: ["M3"], description: "the client allow-list names an application by expression", apply: apiXml("<client-application-ids>", `<client-application-ids><application-id>@(context.Request.Headers.GetValueOrDefault(${q}X-App${q}, ${q}${q}))</application-id>`) },
    { controls: ["C7.3"], description: "the required scope claim value is emptied", apply: apiXml("<value>mcp.access</value>", "<value></value>") },
    { controls: ["C7.3"], description: "the required roles claim lists no role", apply: apiXml(/(<claim name="roles" match="any">)[\s\S]*?(<\/claim>)/, "$1$2") },
    { controls: ["C7.3"], description: "the required scope claim admits any value (expression)", apply: apiXml("<value>mcp.access</value>", `<value>@(${q}mcp.access${q})</value>`) },
    { controls: ["M2", "M1"], description: "an operation policy of the MCP API drops the API's validation (no <base/>)", apply: mcpApiOperationPolicy("<policies><inbound><set-backend-service base-url=\"https://example.com\"/></inbound><backend><forward-request/></backend><outbound/><on-error/></policies>") },
    { controls: ["M2", "M1"], description: "an operation policy of the MCP API answers before the API's validation", apply: mcpApiOperationPolicy("<policies><inbound><return-response><set-status code=\"200\" reason=\"OK\"/></return-response><base/></inbound><backend><base/></backend><outbound><base/></outbound><on-error><base/></on-error></policies>") },
    { controls: ["M2", "M1"], description: "an operation policy of the MCP API is not well-formed", apply: mcpApiOperationPolicy("<policies><inbound><base/>") },
    // --- No passthrough (C7.1) ---
    { controls: ["C7.1"], description: "the caller's token is copied into another header", apply: apiXml("<set-backend-service", `<set-header name="X-Forwarded-Authorization" exists-action="override"><value>@(context.Request.Headers.GetValueOrDefault(${q}Authorization${q}, ${q}${q}))</value></set-header><set-backend-service`) },
    { controls: ["C7.1"], description: "the caller's token is put back after the managed-identity token", apply: apiXml(/(<authentication-managed-identity [^>]*\/>)/, `$1<set-header name="Authorization" exists-action="override"><value>@(context.Variables.GetValueOrDefault&lt;string&gt;(${q}mcpCallerToken${q}, ${q}${q}))</value></set-header>`) },
    { controls: ["C7.1"], description: "the caller's token is sent as a query parameter", apply: apiXml("<set-backend-service", `<set-query-parameter name="access_token" exists-action="override"><value>@(context.Request.Headers.GetValueOrDefault(${q}Authorization${q}, ${q}${q}))</value></set-query-parameter><set-backend-service`) },
    { controls: ["C7.1"], description: "the backend token is requested for Azure Resource Manager", apply: apiXml(/(<authentication-managed-identity resource=")[^"]+"/, '$1https://management.azure.com/"') },
    { controls: ["C7.1"], description: "the backend token is requested for the MCP API's own audience", apply: apiXml(/(<authentication-managed-identity resource=")[^"]+"/, '$1https://mcp.example.com/mcp/docs"') },
    { controls: ["C7.1"], description: "the backend token's resource is an expression", apply: apiXml(/(<authentication-managed-identity resource=")[^"]+"/, `$1@(context.Request.Headers.GetValueOrDefault(${q}X-Resource${q}, ${q}${q}))"`) },
    // --- Tool authorisation (C2.2, C7.3) ---
    { controls: ["C2.2", "C7.3"], description: "roles are read from a request header instead of the validated token", apply: fragmentXml("identity", /(<set-variable name="mcpRoles" value=")[^"]+"/, `$1@(context.Request.Headers.GetValueOrDefault(${q}X-Roles${q}, ${q}${q}))"`) },
    { controls: ["C2.2", "C7.3"], description: "roles are parsed from the Authorization header without validation (AsJwt)", apply: fragmentXml("identity", /(<set-variable name="mcpRoles" value=")[^"]+"/, `$1@(context.Request.Headers.GetValueOrDefault(${q}Authorization${q}, ${q}${q}).AsJwt()?.Claims.GetValueOrDefault(${q}roles${q}, ${q}${q}))"`) },
    { controls: ["C2.2", "C7.3"], description: "a tool missing from the role map is allowed", apply: fragmentXml("tool-authorization", /<when condition="@\(context\.Variables\.GetValueOrDefault&lt;string&gt;\(&quot;mcpRequiredRole&quot;, &quot;&quot;\) == &quot;&quot;\)">[\s\S]*?<\/when>/, "") },
    { controls: ["C4.1", "C8.2", "C7.4"], description: "the caller's oid is read from a request header", apply: fragmentXml("identity", /(<set-variable name="mcpOid" value=")[^"]+"/, `$1@(context.Request.Headers.GetValueOrDefault(${q}X-User-Oid${q}, ${q}${q}))"`) },
    // --- Limits (C4.1, C4.3, C9.4) ---
    { controls: ["C4.1"], description: "the per-user rate limit grows a hundredfold", apply: apiXml(/(id="mcp-limit-user" calls=")\d+"/, '$16000"') },
    { controls: ["C4.1"], description: "the per-user rate limit renews every second", apply: apiXml(/(id="mcp-limit-user" calls="\d+" renewal-period=")\d+"/, '$11"') },
    { controls: ["C4.1"], description: "the per-user rate limit is keyed on the client IP", apply: apiXml(/(id="mcp-limit-user" [^>]*counter-key=")[^"]+"/, "$1@(context.Request.IpAddress)\"") },
    { controls: ["C4.1"], description: "the per-user rate limit is keyed on an unvalidated header", apply: apiXml(/(id="mcp-limit-user" [^>]*counter-key=")[^"]+"/, `$1@(context.Request.Headers.GetValueOrDefault(${q}X-User-Oid${q}, ${q}${q}))"`) },
    { controls: ["C4.1"], description: "the per-session rate limit grows a hundredfold", apply: apiXml(/(id="mcp-limit-session" calls=")\d+"/, '$13000"') },
    { controls: ["C4.1"], description: "the per-session rate limit is keyed on a constant", apply: apiXml(/(id="mcp-limit-session" [^>]*counter-key=")[^"]+"/, `$1@(${q}all${q})"`) },
    { controls: ["C4.1"], description: "the per-session rate limit is keyed on the raw session header (not bound to the caller)", apply: apiXml(/(id="mcp-limit-session" [^>]*counter-key=")[^"]+"/, `$1@(${ownVar("mcpSessionId")})"`) },
    { controls: ["C4.1"], description: "the per-user-tool rate limit grows a hundredfold", apply: apiXml(/(id="mcp-limit-user-tool" calls=")\d+"/, '$12000"') },
    { controls: ["C4.1"], description: "the per-user-tool rate limit ignores the tool", apply: apiXml(/(id="mcp-limit-user-tool" [^>]*counter-key=")[^"]+"/, `$1@(${q}mcp:${q} + ${ownVar("mcpOid")})"`) },
    { controls: ["C4.1"], description: "the daily quota grows a thousandfold", apply: apiXml(/(id="mcp-quota-user" calls=")\d+"/, '$15000000"') },
    { controls: ["C4.1"], description: "the daily quota renews every hour", apply: apiXml(/(id="mcp-quota-user" calls="\d+" renewal-period=")\d+"/, '$13600"') },
    { controls: ["C4.1"], description: "the daily quota is keyed on the client IP", apply: apiXml(/(id="mcp-quota-user" [^>]*counter-key=")[^"]+"/, "$1@(context.Request.IpAddress)\"") },
    // Tier rules (Learn): rate-limit windows at most 300 s; quota-by-key only on the classic tiers. The same rate over a longer window is not applied.
    { controls: ["C4.1"], description: "the per-user rate limit counts over an hour (over the 300-second maximum)", apply: apiXml(/(id="mcp-limit-user" calls="\d+" renewal-period=")\d+"/, '$13600"') },
    { controls: ["C4.1"], description: "the per-session rate limit counts over 301 seconds", apply: apiXml(/(id="mcp-limit-session" calls="\d+" renewal-period=")\d+"/, '$1301"') },
    { controls: ["C4.1"], description: "the per-user-tool rate limit window is computed", apply: apiXml(/(id="mcp-limit-user-tool" calls="\d+" renewal-period=")\d+"/, '$1@(60)"') },
    { controls: ["C4.1"], description: "the daily quota becomes a one-day rate-limit-by-key window", apply: apiXml(/<quota-by-key id="mcp-quota-user"/, '<rate-limit-by-key id="mcp-quota-user"') },
    { controls: ["C4.1"], description: "the gateway moves to PremiumV2 keeping quota-by-key (no such policy on v2)", apply: setInput(t.apim, "sku.name", "PremiumV2") },
    { controls: ["C4.1"], description: "the gateway moves to StandardV2 keeping quota-by-key", apply: setInput(t.apim, "sku.name", "StandardV2") },
    { controls: ["C4.1"], description: "the WAF's per-IP rate threshold grows a hundredfold", apply: waf((i) => (i.customRules[0].rateLimitThreshold = 60000)) },
    { controls: ["C4.1"], description: "the WAF's per-IP rate rule only logs", apply: waf((i) => (i.customRules[0].action = "Log")) },
    { controls: ["C4.1"], description: "the WAF's rate rule groups by country instead of client IP", apply: waf((i) => (i.customRules[0].groupByUserSession[0].groupByVariables[0].variableName = "GeoLocation")) },
    { controls: ["C4.1"], description: "the WAF's rate rule is disabled", apply: waf((i) => (i.customRules[0].state = "Disabled")) },
    { controls: ["C9.4", "C1.1"], description: "the body-size check on the body itself is loosened a thousandfold (only the Content-Length header stays bounded)", apply: fragmentXml("envelope", /(GetByteCount\([^)]*\)\) &gt; )1048576/, "$11073741824") },
    { controls: ["C9.4", "C1.1"], description: "the request size limit exceeds the pack's cap", apply: fragmentXml("envelope", /&gt; 1048576\)/g, "&gt; 67108864)") },
    { controls: ["C9.4", "C1.1"], description: "the WAF admits bodies far beyond the gateway's limit", apply: waf((i) => (i.policySettings.maxRequestBodySizeInKb = 2000 * 1024)) },
    { controls: ["C4.3", "C10.1"], description: "a container may use 64 vCPU", apply: container((c) => (c.resources.cpu = 64)) },
    { controls: ["C4.3", "C10.1"], description: "a container may use 256Gi memory", apply: container((c) => (c.resources.memory = "256Gi")) },
    { controls: ["C4.3", "C10.1"], description: "an app may scale to 1000 replicas", apply: setInput(t.app, "template.scale.maxReplicas", 1000) },
    // --- Protocol (C3.4) and sessions (M4, C8.1–C8.3) ---
    { controls: ["C3.4"], description: "the version check admits an undeclared revision", apply: fragmentXml("protocol-version", `var supported = new string[] { ${q}2025-11-25${q}`, `var supported = new string[] { ${q}2024-11-05${q}, ${q}2025-11-25${q}`) },
    { controls: ["C3.4"], description: "an unsupported protocol version is logged and answered 200", apply: fragmentXml("protocol-version", /code="400" reason="Bad Request"/g, 'code="200" reason="OK"') },
    { controls: ["C8.3"], description: "the session idle lifetime grows from 30 minutes to a day", apply: all(fragmentXml("session", /duration="1800"/g, 'duration="86400"'), fragmentXml("session-bind", /duration="1800"/g, 'duration="86400"')) },
    { controls: ["C8.3"], description: "the session absolute lifetime grows from 8 hours to 30 days", apply: all(fragmentXml("session", "TotalSeconds &gt; 28800", "TotalSeconds &gt; 2592000"), fragmentXml("session-bind", /duration="28800"/g, 'duration="2592000"')) },
    { controls: ["C8.2", "C8.3", "M4"], description: "an unknown session id is adopted instead of rejected", apply: fragmentXml("session", /code="404" reason="Not Found"/g, 'code="200" reason="OK"') },
    { controls: ["C8.2", "M4"], description: "another user's session id is adopted instead of rejected", apply: fragmentXml("session", /code="403" reason="Forbidden"/g, 'code="200" reason="OK"') },
    { controls: ["C8.1", "M4"], description: "session ids of 8 characters are accepted", apply: fragmentXml("session", /\{16,128\}/g, "{8,128}") },
    // --- Screening (C1.3, C9.1, C9.2), errors and headers (C1.4, C8.4) ---
    { controls: ["C1.3", "C9.1"], description: "Prompt Shields calls a Content Safety account outside the stack", apply: fragmentXml("prompt-shields", /<set-url>https:\/\/[^/]+\//, "<set-url>https://cs-attacker.cognitiveservices.azure.com/") },
    { controls: ["C1.3", "C9.1"], description: "Prompt Shields is called with a token for another resource", apply: fragmentXml("prompt-shields", 'resource="https://cognitiveservices.azure.com"', 'resource="https://management.azure.com"') },
    { controls: ["C1.3", "C9.1"], description: "a detected prompt attack is answered 200", apply: fragmentXml("prompt-shields", /code="400" reason="Bad Request"/g, 'code="200" reason="OK"') },
    { controls: ["C1.3", "C9.1"], description: "a detected prompt attack is answered 200 while an unrelated 403 stays in the screen", apply: all(
        fragmentXml("prompt-shields", /(prompt_attack[\s\S]*?<set-status code=")400" reason="Bad Request"/, '$1200" reason="OK"'),
        fragmentXml("prompt-shields", "</send-request>", `</send-request><choose><when condition="@(context.Request.Headers.ContainsKey(${q}X-Block${q}))"><return-response><set-status code="403" reason="Forbidden"/></return-response></when></choose>`),
    ) },
    { controls: ["C1.3", "C9.1"], description: "the screen's verdict ignores the Prompt Shields response", apply: fragmentXml("prompt-shields", /(<set-variable name="mcpShieldVerdict" value=")[^"]*"/, `$1@(${q}clean${q})"`) },
    { controls: ["C9.2"], description: "the manifest digest is compared with itself", apply: fragmentXml("manifest-integrity", `!= ${ownVar("mcpManifestDigest")}`, `!= ${ownVar("mcpManifestActual")}`) },
    { controls: ["C9.2"], description: "the pinned manifest digest is truncated", apply: apiXml(/(name="mcpManifestDigest" value="sha256:)[0-9a-f]{64}"/, '$1abc123"') },
    { controls: ["C1.4", "C8.4"], description: "an error's internal message reaches a response header", apply: fragmentXml("on-error", /<set-header name="Server" exists-action="delete"\/>/, `<set-header name="X-Error" exists-action="override"><value>@(context.LastError.Message)</value></set-header><set-header name="Server" exists-action="delete"/>`) },
    { controls: ["C8.4"], description: "HSTS max-age drops to one day", apply: fragmentXml("security-headers", /max-age=31536000/g, "max-age=86400") },
    { controls: ["C8.4"], description: "X-Content-Type-Options allows sniffing", apply: fragmentXml("security-headers", /<value>nosniff<\/value>/g, "<value>sniff</value>") },
    { controls: ["C8.4"], description: "Cache-Control lets responses be cached", apply: fragmentXml("security-headers", /<value>no-store<\/value>/g, "<value>public, max-age=3600</value>") },
    { controls: ["C8.4"], description: "X-Frame-Options allows same-origin framing", apply: fragmentXml("security-headers", /<value>DENY<\/value>/g, "<value>SAMEORIGIN</value>") },
    { controls: ["C8.4"], description: "the Server header is kept (exists-action skip)", apply: fragmentXml("security-headers", '<set-header name="Server" exists-action="delete"/>', '<set-header name="Server" exists-action="skip"/>') },
    { controls: ["C1.1"], description: "the Origin allow-list admits any origin", apply: fragmentXml("origin", /new string\[\] \{[^}]*\}/, `new string[] { ${q}*${q} }`) },
    { controls: ["C1.1", "C1.2"], description: "a non-JSON media type is answered 200", apply: fragmentXml("envelope", /code="415" reason="Unsupported Media Type"/g, 'code="200" reason="OK"') },
    // --- APIM service, APIs, backends, named values, diagnostics (C3.1, C5.1, C5.3, C6.3) ---
    { controls: ["C3.1"], description: "API Management turns TLS 1.3 off on the client side", apply: customProperty("Protocols.Tls13", "False") },
    { controls: ["C3.1"], description: "API Management re-enables TLS 1.0 towards backends", apply: customProperty("Backend.Protocols.Tls10", "True") },
    { controls: ["C3.1"], description: "API Management re-enables the TLS_RSA_WITH_AES_128_CBC_SHA cipher", apply: customProperty("Ciphers.TLS_RSA_WITH_AES_128_CBC_SHA", "True") },
    { controls: ["C3.1"], description: "API Management re-enables the TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA cipher", apply: customProperty("Ciphers.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "True") },
    { controls: ["C3.1"], description: "API Management re-enables 3DES", apply: customProperty("Ciphers.TripleDes168", "True") },
    { controls: ["C10.3", "A2"], description: "API Management's developer portal is on", apply: setInput(t.apim, "developerPortalStatus", "Enabled") },
    { controls: ["C10.3", "A2"], description: "API Management's legacy portal is on", apply: setInput(t.apim, "legacyPortalStatus", "Enabled") },
    { controls: ["C10.3", "A2"], description: "API Management runs in External VNet mode", apply: setInput(t.apim, "virtualNetworkType", "None") },
    { controls: ["C3.1"], description: "API Management turns TLS 1.3 off towards backends", apply: customProperty("Backend.Protocols.Tls13", "False") },
    { controls: ["C3.1"], description: "API Management re-enables SSL 3.0 on the client side", apply: customProperty("Protocols.Ssl30", "True") },
    { controls: ["C3.1"], description: "the MCP API also accepts plain HTTP", apply: setInput(t.api, "protocols", ["http", "https"]) },
    { controls: ["C3.1"], description: "the MCP API's service URL is plain HTTP", apply: editInputs(t.api, (i) => (i.serviceUrl = i.serviceUrl.replace(/^https:/, "http:"))) },
    { controls: ["C3.1"], description: "the MCP backend URL is plain HTTP", apply: editInputs(t.backend, (i) => (i.url = i.url.replace(/^https:/, "http:"))) },
    { controls: ["C3.1"], description: "the MCP backend skips certificate chain validation", apply: setInput(t.backend, "tls.validateCertificateChain", false) },
    { controls: ["C3.1"], description: "the MCP backend skips certificate name validation", apply: setInput(t.backend, "tls.validateCertificateName", false) },
    { controls: ["C6.3"], description: "a secret named value holds a literal", apply: add(planned(t.namedValue, "mcp-gateway-nv-backend-key", { displayName: "backend-key", secret: true, value: "s3cr3t", serviceName: "apim", resourceGroupName: "rg" })) },
    { controls: ["C6.3"], description: "a named value holding a credential is not marked secret", apply: add(planned(t.namedValue, "mcp-gateway-nv-api-key", { displayName: "upstream-api-key", secret: false, value: "0123456789abcdef", serviceName: "apim", resourceGroupName: "rg" })) },
    { controls: ["C5.1", "C10.4"], description: "the service diagnostic samples 10% of requests", apply: setInput(t.diagnostic, "sampling.percentage", 10) },
    { controls: ["C5.1", "C10.4"], description: "the API diagnostic samples 50% of requests", apply: setInput(t.apiDiagnostic, "sampling.percentage", 50) },
    { controls: ["C5.1", "C10.4"], description: "the service diagnostic keeps only error traces (drops the audit trace)", apply: setInput(t.diagnostic, "verbosity", "error") },
    { controls: ["C5.1", "C10.4"], description: "the API diagnostic keeps only error traces", apply: setInput(t.apiDiagnostic, "verbosity", "error") },
    { controls: ["C5.3", "A5"], description: "the API diagnostic logs response bodies", apply: setInput(t.apiDiagnostic, "frontend.response.body.bytes", 1024) },
    // --- Edge (C1.1, C3.1, C3.3, C5.3) ---
    { controls: ["C3.1"], description: "the edge forwards to API Management over plain HTTP", apply: editInputs(t.agw, (i) => Object.assign(i.backendHttpSettingsCollection[0], { protocol: "Http", port: 80 })) },
    { controls: ["C3.1"], description: "the edge's health probe uses plain HTTP", apply: editInputs(t.agw, (i) => (i.probes[0].protocol = "Http")) },
    { controls: ["C3.1"], description: "the edge listener switches to HTTP", apply: editInputs(t.agw, (i) => (i.httpListeners[0].protocol = "Http")) },
    { controls: ["C3.1"], description: "the edge uses a predefined TLS 1.2 policy", apply: setInput(t.agw, "sslPolicy", { policyType: "Predefined", policyName: "AppGwSslPolicy20220101S" }) },
    { controls: ["C3.1"], description: "an SSL profile lowers the edge to TLS 1.2", apply: editInputs(t.agw, (i) => (i.sslProfiles = [{ name: "legacy", sslPolicy: { policyType: "CustomV2", minProtocolVersion: "TLSv1_2" } }])) },
    { controls: ["C3.3"], description: "the edge certificate is read over plain HTTP", apply: editInputs(t.agw, (i) => (i.sslCertificates[0].keyVaultSecretId = i.sslCertificates[0].keyVaultSecretId.replace(/^https:/, "http:"))) },
    { controls: ["C1.1"], description: "the WAF runs the old OWASP 3.1 rule set", apply: waf((i) => (i.managedRules.managedRuleSets[0] = { ruleSetType: "OWASP", ruleSetVersion: "3.1" })) },
    { controls: ["C1.1"], description: "the WAF runs Microsoft_DefaultRuleSet 1.0", apply: waf((i) => (i.managedRules.managedRuleSets[0].ruleSetVersion = "1.0")) },
    { controls: ["C1.1"], description: "the WAF disables the SQL-injection rule group", apply: waf((i) => (i.managedRules.managedRuleSets[0].ruleGroupOverrides = [{ ruleGroupName: "SQLI", rules: [{ ruleId: "942100", state: "Disabled" }] }])) },
    { controls: ["C1.1"], description: "the WAF turns a managed rule to log only", apply: waf((i) => (i.managedRules.managedRuleSets[0].ruleGroupOverrides = [{ ruleGroupName: "RCE", rules: [{ ruleId: "932100", state: "Enabled", action: "Log" }] }])) },
    { controls: ["C1.1"], description: "the WAF excludes every request argument from the managed rules", apply: waf((i) => (i.managedRules.exclusions = [{ matchVariable: "RequestArgNames", selectorMatchOperator: "EqualsAny" }])) },
    { controls: ["C1.1"], description: "a WAF custom rule allows every request past the managed rules", apply: waf((i) => i.customRules.push({ name: "AllowAll", priority: 5, ruleType: "MatchRule", action: "Allow", state: "Enabled", matchConditions: [{ matchVariables: [{ variableName: "RemoteAddr" }], operator: "IPMatch", negationConditon: true, matchValues: ["255.255.255.255/32"] }] })) },
    { controls: ["C1.1"], description: "the WAF stops enforcing the body size", apply: setInput(t.waf, "policySettings.requestBodyEnforcement", false) },
    { controls: ["C1.1"], description: "the WAF stops inspecting bodies", apply: setInput(t.waf, "policySettings.requestBodyCheck", false) },
    { controls: ["C1.1"], description: "the WAF policy is disabled", apply: setInput(t.waf, "policySettings.state", "Disabled") },
    { controls: ["C5.3", "A5"], description: "the WAF stops scrubbing its logs", apply: setInput(t.waf, "policySettings.logScrubbing.state", "Disabled") },
    { controls: ["C5.3", "A5"], description: "the WAF stops scrubbing the Authorization header", apply: waf((i) => (i.policySettings.logScrubbing.scrubbingRules[0].state = "Disabled")) },
    // --- Key Vault (C2.3, C3.2, C6.1, C6.2, A9, A10, C10.3) ---
    { controls: ["C3.2", "C6.1"], description: "a key shrinks to RSA 2048", apply: setInput(t.key, "properties.keySize", 2048, named("mcp-keyvault-key-data")) },
    { controls: ["C3.2", "C6.1"], description: "a key becomes EC-HSM on curve P-256", apply: editInputs(t.key, (i) => { i.properties.kty = "EC-HSM"; i.properties.curveName = "P-256"; delete i.properties.keySize; }, named("mcp-keyvault-key-data")) },
    { controls: ["C3.2", "C6.1"], description: "a key becomes a symmetric software key", apply: setInput(t.key, "properties.kty", "oct", named("mcp-keyvault-key-data")) },
    { controls: ["C6.2", "C6.1"], description: "a key becomes exportable", apply: setInput(t.key, "properties.attributes.exportable", true, named("mcp-keyvault-key-data")) },
    { controls: ["C6.2", "C6.1"], description: "a key gets a release policy", apply: setInput(t.key, "properties.releasePolicy", { contentType: "application/json; charset=utf-8", data: "eyJ9" }, named("mcp-keyvault-key-data")) },
    { controls: ["C6.2", "C2.3"], description: "a key version lives three years", apply: setInput(t.key, "properties.rotationPolicy.attributes.expiryTime", "P3Y", named("mcp-keyvault-key-data")) },
    { controls: ["C6.2", "C2.3"], description: "a key rotates only after it expired", apply: setInput(t.key, "properties.rotationPolicy.lifetimeActions[0].trigger.timeBeforeExpiry", "P400D", named("mcp-keyvault-key-data")) },
    { controls: ["C6.2", "C2.3"], description: "a key only notifies instead of rotating", apply: setInput(t.key, "properties.rotationPolicy.lifetimeActions[0].action.type", "notify", named("mcp-keyvault-key-data")) },
    { controls: ["C2.3"], description: "a secret expires in 2100", apply: setInput(t.secret, "properties.attributes.expires", 4102444800) },
    { controls: ["A9", "A10"], description: "the vault keeps soft-deleted items 30 days", apply: setInput(t.vault, "properties.softDeleteRetentionInDays", 30) },
    { controls: ["C6.2", "A10"], description: "the vault turns soft delete off", apply: setInput(t.vault, "properties.enableSoftDelete", false) },
    { controls: ["C10.3", "A2"], description: "the vault firewall allows by default", apply: setInput(t.vault, "properties.networkAcls.defaultAction", "Allow") },
    { controls: ["C10.3", "A2"], description: "the vault's public access is secured by perimeter only", apply: setInput(t.vault, "properties.publicNetworkAccess", "SecuredByPerimeter") },
    { controls: ["C6.1"], description: "the vault SKU is written Standard", apply: setInput(t.vault, "properties.sku.name", "Standard") },
    { controls: ["C6.2", "C10.2"], description: "the vault lets ARM templates read its secrets", apply: setInput(t.vault, "properties.enabledForTemplateDeployment", true) },
    { controls: ["C6.2", "C10.2"], description: "the vault lets VMs read its certificates", apply: setInput(t.vault, "properties.enabledForDeployment", true) },
    { controls: ["C6.2", "C10.2"], description: "the vault lets disk encryption read its secrets", apply: setInput(t.vault, "properties.enabledForDiskEncryption", true) },
    { controls: ["C10.2", "C6.2"], description: "the vault keeps an access policy beside RBAC", apply: setInput(t.vault, "properties.accessPolicies", [{ tenantId: "t", objectId: "o", permissions: { secrets: ["get"] } }]) },
    // --- Registry (C12.3, C10.3) ---
    { controls: ["C12.3", "C10.3"], description: "the registry drops to the Standard SKU", apply: setInput(t.registry, "sku.name", "Standard") },
    { controls: ["C12.3", "C10.3"], description: "the registry is reachable from the internet", apply: setInput(t.registry, "publicNetworkAccess", "Enabled") },
    { controls: ["C12.3", "C10.3"], description: "the registry firewall allows by default", apply: setInput(t.registry, "networkRuleSet", { defaultAction: "Allow" }) },
    { controls: ["C3.2", "C12.3"], description: "the registry's key is pinned to one version", apply: editInputs(t.registry, (i) => (i.encryption.keyVaultProperties.keyIdentifier += "/0123456789abcdef0123456789abcdef")) },
    // --- Content Safety (C1.3, C10.3) ---
    { controls: ["C1.3", "C10.3"], description: "Content Safety's firewall allows by default", apply: setInput(t.account, "properties.networkAcls.defaultAction", "Allow") },
    { controls: ["C2.1", "C10.3"], description: "Content Safety's custom subdomain is blank", apply: setInput(t.account, "properties.customSubDomainName", " ") },
    { controls: ["C1.3", "C10.3"], description: "Content Safety may call out to anywhere", apply: setInput(t.account, "properties.restrictOutboundNetworkAccess", false) },
    { controls: ["C1.3", "C2.1"], description: "Content Safety accepts keys again (disableLocalAuth unset)", apply: setInput(t.account, "properties.disableLocalAuth", undefined) },
    // --- Runtime and workload (C3.1, C3.2, C6.3, C10.2, C10.3, C12.1, C12.3) ---
    { controls: ["C10.3", "A2"], description: "the environment's public network access is Enabled", apply: setInput(t.env, "publicNetworkAccess", "Enabled") },
    { controls: ["C3.2"], description: "the environment's peer encryption is switched off explicitly", apply: setInput(t.env, "peerTrafficConfiguration.encryption.enabled", false) },
    { controls: ["C10.3", "A2"], description: "the environment leaves the platform VNet", apply: setInput(t.env, "vnetConfiguration.infrastructureSubnetId", undefined) },
    { controls: ["C3.1", "C10.3"], description: "the app's ingress admits plain HTTP (allowInsecure unset)", apply: setInput(t.app, "configuration.ingress.allowInsecure", undefined) },
    { controls: ["C4.3", "C10.1"], description: "an app states no minimum replica count", apply: setInput(t.app, "template.scale.minReplicas", undefined) },
    { controls: ["C4.3", "C10.4"], description: "a container's readiness probe becomes a second liveness probe", apply: container((c) => c.probes.forEach((p: { type: string }) => p.type === "Readiness" && (p.type = "Liveness"))) },
    { controls: ["C10.2", "C12.3"], description: "the app pulls with the registry's admin identity (no identity on the pull)", apply: editInputs(t.app, (i) => delete i.configuration.registries[0].identity) },
    { controls: ["C10.3", "A2"], description: "the app's ingress admits every private range (10.0.0.0/8), not the gateway subnet", apply: setInput(t.app, "configuration.ingress.ipSecurityRestrictions[0].ipAddressRange", "10.0.0.0/8") },
    { controls: ["C10.3", "A2"], description: "the app's ingress admits the edge subnet instead of the gateway subnet", apply: editInputs(t.app, (i) => (i.configuration.ingress.ipSecurityRestrictions[0].ipAddressRange = i.configuration.ingress.ipSecurityRestrictions[0].ipAddressRange.replace(/\.3\.0\/24$/, ".2.0/24"))) },
    { controls: ["C10.3", "A2"], description: "the app's ingress admits the internet", apply: setInput(t.app, "configuration.ingress.ipSecurityRestrictions[0].ipAddressRange", "0.0.0.0/0") },
    { controls: ["C10.3", "A2"], description: "the app's ingress rule denies one range instead of allowing the gateway", apply: setInput(t.app, "configuration.ingress.ipSecurityRestrictions[0].action", "Deny") },
    { controls: ["C6.3"], description: "a container env var holds a literal password", apply: container((c) => c.env.push({ name: "DB_PASSWORD", value: "hunter2hunter2" })) },
    { controls: ["C6.3"], description: "a container env var holds a connection string with a key", apply: container((c) => c.env.push({ name: "STORAGE", value: "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=YWJjZGVmZ2hpamtsbW5vcA==" })) },
    { controls: ["C10.2", "C12.3"], description: "the app pulls with a registry password", apply: editInputs(t.app, (i) => (i.configuration.registries[0] = { server: i.configuration.registries[0].server, username: "admin", passwordSecretRef: "acr-password" })) },
    { controls: ["C12.1"], description: "a container image is pinned to a short digest", apply: container((c) => (c.image = c.image.replace(/@sha256:[0-9a-f]+$/, "@sha256:0123"))) },
    // --- Role assignments (C2.2, C10.2) ---
    { controls: ["C2.2", "C10.2"], description: "a workload identity gets Role Based Access Control Administrator", apply: role("f58310d9-a9f6-439a-9e8d-f62e7b41a168") },
    { controls: ["C2.2", "C10.2"], description: "a workload identity gets Key Vault Data Access Administrator", apply: role("8b54135c-b56d-4d72-a534-26097cfdc8d8") },
    { controls: ["C2.2", "C10.2"], description: "a workload identity gets User Access Administrator", apply: role("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9") },
    { controls: ["C2.2", "C10.2"], description: "a workload identity gets Contributor", apply: role("b24988ac-6180-42a0-ab88-20f7382dd24c") },
    { controls: ["C2.2", "C10.2"], description: "a key role is granted on the whole vault instead of the key", apply: editInputs(t.role, (i) => (i.scope = i.scope.replace(/\/keys\/[^/]+$/, "")), nameEndsWith("-docs-key-ra-crypto-user")) },
    { controls: ["C2.2", "C10.2"], description: "a secret role is granted on the whole vault instead of the secret", apply: editInputs(t.role, (i) => (i.scope = i.scope.replace(/\/secrets\/[^/]+$/, "")), nameEndsWith("-cert-ra-secrets-user")) },
    { controls: ["C2.2", "C10.2"], description: "a role is granted on the whole resource group", apply: editInputs(t.role, (i) => (i.scope = i.scope.replace(/\/providers\/Microsoft\.ContainerRegistry\/.*$/, "")), nameEndsWith("-acr-ra-acr-pull")) },
    { controls: ["C2.2", "C10.2"], description: "a role is granted at management-group scope", apply: setInput(t.role, "scope", "/providers/Microsoft.Management/managementGroups/root", nameEndsWith("-acr-ra-acr-pull")) },
    // --- Entra (M1, M3, C2.3, C2.4, A3) ---
    { controls: ["M1", "C2.3"], description: "the server's API app requests no token version (v1)", apply: setInput(t.application, "api.requestedAccessTokenVersion", null, nameEndsWith("-docs-api")) },
    { controls: ["C2.3"], description: "an app issues access tokens through the implicit grant", apply: setInput(t.application, "web.implicitGrant.accessTokenIssuanceEnabled", true, nameEndsWith("-docs-api")) },
    { controls: ["C2.3"], description: "an app issues ID tokens through the implicit grant", apply: setInput(t.application, "web.implicitGrant.idTokenIssuanceEnabled", true, nameEndsWith("-docs-api")) },
    { controls: ["M3"], description: "the API's delegated scope becomes user-consentable (type omitted)", apply: editInputs(t.application, (i) => delete i.api.oauth2PermissionScopes[0].type, nameEndsWith("-docs-api")) },
    { controls: ["C2.4", "A3"], description: "prod's admin Conditional Access policy is report-only", stacks: ["prod"], apply: setInput(t.ca, "state", "enabledForReportingButNotEnforced", caAdmins) },
    { controls: ["C2.4", "A3"], description: "prod's admin Conditional Access policy is disabled", stacks: ["prod"], apply: setInput(t.ca, "state", "disabled", caAdmins) },
    { controls: ["C2.4", "A3"], description: "prod's admin policy accepts a compliant device instead of MFA", stacks: ["prod"], apply: setInput(t.ca, "grantControls", { operator: "OR", builtInControls: ["mfa", "compliantDevice"] }, caAdmins) },
    { controls: ["C2.4", "A3"], description: "prod's admin policy covers browsers only (legacy clients skip MFA)", stacks: ["prod"], apply: setInput(t.ca, "conditions.clientAppTypes", ["browser"], caAdmins) },
    { controls: ["C2.4", "A3"], description: "prod's admin policy excludes the admins group it targets", stacks: ["prod"], apply: editInputs(t.ca, (i) => (i.conditions.users.excludedGroups = [...i.conditions.users.includedGroups]), caAdmins) },
    { controls: ["C2.4", "A3"], description: "prod's MCP API policy excludes all users", stacks: ["prod"], apply: setInput(t.ca, "conditions.users.excludedUsers", ["All"], named("mcp-identity-ca-mcp-apis")) },
    { controls: ["C2.4", "A3"], description: "prod's MCP API policy excludes the MCP API itself", stacks: ["prod"], apply: editInputs(t.ca, (i) => (i.conditions.applications.excludedApplications = [...i.conditions.applications.includedApplications]), named("mcp-identity-ca-mcp-apis")) },
    { controls: ["M1", "C2.2"], description: "the server's API app accepts users of other tenants", apply: setInput(t.application, "signInAudience", "AzureADMultipleOrgs", nameEndsWith("-docs-api")) },
    { controls: ["M1", "C2.2"], description: "the backend app accepts personal Microsoft accounts", apply: setInput(t.application, "signInAudience", "AzureADandPersonalMicrosoftAccount", nameEndsWith("-docs-backend")) },
    { controls: ["M1", "C2.2"], description: "the server's API app becomes a public client", apply: setInput(t.application, "fallbackPublicClientEnabled", true, nameEndsWith("-docs-api")) },
    { controls: ["M1", "C2.2"], description: "the backend app's identifier URI is plain http", apply: editInputs(t.application, (i) => (i.identifierUris = i.identifierUris.map((u: string) => u.replace(/^api:/, "http:"))), nameEndsWith("-docs-backend")) },
    // --- Optional controls (C2.4, C4.4, C11.2) ---
    { controls: ["C4.4"], description: "prod turns DDoS protection off without a reason", stacks: ["prod"], apply: editInputs("mcp:platform:McpPlatform", (i) => (i.optionalControls.ddosProtection = { ...i.optionalControls.ddosProtection, enabled: false })) },
    { controls: ["C11.2"], description: "prod turns Defender for Containers off with the dev default reason", stacks: ["prod"], apply: editInputs("mcp:platform:McpPlatform", (i) => (i.optionalControls.defenderForContainers = { ...i.optionalControls.defenderForContainers, enabled: false, reason: "dev profile: Defender for Containers bills per vCore" })) },
    { controls: ["C6.1"], description: "an optional control is off with a placeholder reason", apply: editInputs("mcp:platform:McpPlatform", (i) => (i.optionalControls.managedHsm.reason = "TODO")) },
    // --- Logging, SIEM, response (C5.x, A4, A8, C4.2; policies of monitoring.ts) ---
    { controls: ["C5.3", "A9"], description: "prod log retention drops to 31 days", stacks: ["prod"], apply: setInput("azure-native:operationalinsights:Workspace", "retentionInDays", 31) },
    { controls: ["C5.3", "C10.3"], description: "the workspace accepts ingestion from the internet", apply: setInput("azure-native:operationalinsights:Workspace", "publicNetworkAccessForIngestion", "Enabled") },
    { controls: ["C5.3", "C6.3"], description: "the workspace's local auth is unset (shared keys work)", apply: setInput("azure-native:operationalinsights:Workspace", "features.disableLocalAuth", undefined) },
    { controls: ["C5.2", "C5.4", "A4"], description: "the tool-manifest drift rule stops creating incidents", apply: setInput("azure-native:securityinsights:ScheduledAlertRule", "incidentConfiguration.createIncident", false, nameEndsWith("mcp-tool-manifest-drift")) },
    { controls: ["C5.2", "C5.4", "A4"], description: "the prompt-attack rule is disabled", apply: setInput("azure-native:securityinsights:ScheduledAlertRule", "enabled", false, nameEndsWith("mcp-prompt-attack")) },
    { controls: ["C5.2", "C5.4", "A4"], description: "the prompt-attack rule turns suppression on", apply: setInput("azure-native:securityinsights:ScheduledAlertRule", "suppressionEnabled", true, nameEndsWith("mcp-prompt-attack")) },
    { controls: ["C5.2", "C5.4", "A4"], description: "the prompt-attack rule looks back only as far as it runs (no ingestion-delay margin)", apply: editInputs("azure-native:securityinsights:ScheduledAlertRule", (i) => (i.queryPeriod = i.queryFrequency), nameEndsWith("mcp-prompt-attack")) },
    { controls: ["A8", "C5.4"], description: "the high-severity automation's rule scope leaves out the prompt-attack rule", apply: scopeWithout("mcp-prompt-attack") },
    { controls: ["C11.2", "C12.4"], description: "prod's Defender for Containers drops to the Free tier", stacks: ["prod"], apply: setInput("azure-native:security:Pricing", "pricingTier", "Free") },
    { controls: ["C4.4"], description: "prod's edge public IP turns DDoS protection off", stacks: ["prod"], apply: setInput(t.pip, "ddosSettings.protectionMode", "Disabled") },
    // --- Egress (C10.3, A2; policies of network.ts and firewall.ts, on the prod plan's firewall) ---
    { controls: ["C10.3", "A2"], description: "the gateway NSG allows Internet 443 above its final deny", stacks: ["prod"], apply: editInputs("azure-native:network:NetworkSecurityGroup", (i) => i.securityRules.push({ name: "AllowWeb", priority: 300, direction: "Outbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "VirtualNetwork", sourcePortRange: "*", destinationAddressPrefix: "Internet", destinationPortRange: "443" }), nameEndsWith("-nsg-gateway")) },
    { controls: ["C10.3", "A2"], description: "the docs server's firewall rule admits a wildcard FQDN", stacks: ["prod"], apply: editInputs("azure-native:network:FirewallPolicyRuleCollectionGroup", (i) => (i.ruleCollections[0].rules[0].targetFqdns = ["*.contoso.com"]), nameEndsWith("-rules-servers")) },
    { controls: ["C10.3", "A2"], description: "the firewall's threat intelligence only alerts", stacks: ["prod"], apply: setInput("azure-native:network:FirewallPolicy", "threatIntelMode", "Alert") },
    { controls: ["C10.3", "A2"], description: "the runtime subnet's default outbound access is back on", stacks: ["prod"], apply: setInput("azure-native:network:Subnet", "defaultOutboundAccess", true, nameEndsWith("-snet-runtime")) },
    // --- Input, certificates, supply chain (C1.2, C3.3, C12.1) ---
    { controls: ["C1.2", "C1.1"], description: "the envelope check accepts JSON-RPC 1.0", apply: fragmentXml("envelope", /&quot;2\.0&quot;/g, "&quot;1.0&quot;") },
    { controls: ["C3.3", "C6.3"], description: "the edge certificate is read from a host that is no Key Vault", apply: editInputs(t.agw, (i) => (i.sslCertificates[0].keyVaultSecretId = i.sslCertificates[0].keyVaultSecretId.replace(/^https:\/\/[^/]+/, "https://certs.example.com"))) },
    { controls: ["C12.1", "C12.3"], description: "a container image comes from another Azure registry", apply: container((c) => (c.image = c.image.replace(/^[^/]+/, "contosoother.azurecr.io"))) },
    // --- Classification (C6.4) ---
    { controls: ["C6.4"], description: "the resource group's classification is not on the scale", apply: setInput(t.rg, "tags.data-classification", "secret-ish") },
    { controls: ["C6.4"], description: "the resource group's owner tag is blank", apply: setInput(t.rg, "tags.owner", "") },
];

/** The automation rule's IncidentRelatedAnalyticRuleIds no longer names the rule ending in `detection` (neither its id nor its dependency). */
function scopeWithout(detection: string) {
    return (resources: PlannedResource[]) => {
        const left = resources.find((r) => r.type === "azure-native:securityinsights:ScheduledAlertRule" && r.name.endsWith(detection));
        if (!left) throw new Error(`mutation matched no rule ${detection}`);
        return editInputs("azure-native:securityinsights:AutomationRule", (inputs, automation) => {
            for (const condition of inputs.triggeringLogic.conditions) {
                if (condition.conditionProperties.propertyName !== "IncidentRelatedAnalyticRuleIds") continue;
                condition.conditionProperties.propertyValues = condition.conditionProperties.propertyValues.filter((id: string) => !id.toLowerCase().endsWith(`/${String(left.inputs.ruleId).toLowerCase()}`));
            }
            automation.propertyDependencies.triggeringLogic = (automation.propertyDependencies.triggeringLogic ?? []).filter((urn) => urn !== left.urn);
        })(resources);
    };
}
