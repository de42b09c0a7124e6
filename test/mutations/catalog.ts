import { planned } from "../helpers/resources";
import { add, all, drop, editInputs, editXml, Mutation, named, nameEndsWith, setInput, unprotect } from "./mutate";

/**
 * Removal mutations, one or more per enforced control: each switches the control off the way a
 * careless edit or an insecure fork would (an element or setting removed), and the pack must answer
 * with a mandatory violation naming it. Weaker values (the setting kept, its value loosened) are the
 * value catalogue in values.ts; mutations.test.ts runs both and prints each kill rate per control.
 */
const t = {
    api: "azure-native:apimanagement:Api",
    apiPolicy: "azure-native:apimanagement:ApiPolicy",
    apiOperation: "azure-native:apimanagement:ApiOperation",
    apim: "azure-native:apimanagement:ApiManagementService",
    fragment: "azure-native:apimanagement:PolicyFragment",
    agw: "azure-native:network:ApplicationGateway",
    waf: "azure-native:network:WebApplicationFirewallPolicy",
    pip: "azure-native:network:PublicIPAddress",
    nsg: "azure-native:network:NetworkSecurityGroup",
    subnet: "azure-native:network:Subnet",
    vnet: "azure-native:network:VirtualNetwork",
    pep: "azure-native:network:PrivateEndpoint",
    vault: "azure-native:keyvault:Vault",
    key: "azure-native:keyvault:Key",
    secret: "azure-native:keyvault:Secret",
    registry: "azure-native:containerregistry:Registry",
    workspace: "azure-native:operationalinsights:Workspace",
    onboarding: "azure-native:securityinsights:SentinelOnboardingState",
    rule: "azure-native:securityinsights:ScheduledAlertRule",
    automation: "azure-native:securityinsights:AutomationRule",
    diag: "azure-native:monitor:DiagnosticSetting",
    env: "azure-native:app:ManagedEnvironment",
    app: "azure-native:app:ContainerApp",
    role: "azure-native:authorization:RoleAssignment",
    account: "azure-native:cognitiveservices:Account",
    application: "azuread:index/application:Application",
    servicePrincipal: "azuread:index/servicePrincipal:ServicePrincipal",
    rg: "azure-native:resources:ResourceGroup",
    ddos: "azure-native:network:DdosProtectionPlan",
    ca: "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy",
    pricing: "azure-native:security:Pricing",
    flowLog: "azure-native:network:FlowLog",
} as const;

const api = nameEndsWith("-api-docs-policy");
const fragment = (id: string) => named(`mcp-gateway-mcp-${id}`);
const envelopeErrorCheck =
    /<when condition="@\(\(string\)JObject\.Parse\(context\.Variables\.GetValueOrDefault&lt;string&gt;\(&quot;mcpEnvelope&quot;, &quot;&quot;\)\)\[&quot;error&quot;\] != &quot;&quot;\)">[\s\S]*?<\/when>/;
const container = (edit: (c: Record<string, any>) => void) => editInputs(t.app, (i) => edit(i.template.containers[0]));

export const mutations: Mutation[] = [
    // --- MUST: tokens, consent, sessions (gateway + Entra) ---
    { controls: ["M1", "C7.2"], description: "the API's token validation loses its audiences", apply: editXml(t.apiPolicy, /<audiences>[\s\S]*?<\/audiences>/, "", api) },
    { controls: ["M1"], description: "the server's API app accepts v1 tokens", apply: setInput(t.application, "api.requestedAccessTokenVersion", 1, nameEndsWith("-docs-api")) },
    { controls: ["M2", "M1"], description: "the API stops validating tokens at all", apply: editXml(t.apiPolicy, /<validate-azure-ad-token[\s\S]*?<\/validate-azure-ad-token>/, "", api) },
    { controls: ["M2", "M1"], description: "the MCP API moves to /docs-mcp and stops validating tokens (an MCP API is recognised by what it is, not its path)", apply: all(setInput(t.api, "path", "docs-mcp"), editXml(t.apiPolicy, /<validate-azure-ad-token[\s\S]*?<\/validate-azure-ad-token>/, "", api)) },
    { controls: ["M3"], description: "the API's service principal no longer requires assignment", apply: setInput(t.servicePrincipal, "appRoleAssignmentRequired", false, nameEndsWith("-docs-api-sp")) },
    { controls: ["M3"], description: "a dynamic client registration endpoint appears on the gateway", apply: setInput(t.apiOperation, "urlTemplate", "/register", nameEndsWith("-api-docs-post")) },
    { controls: ["M3"], description: "the API's delegated scope allows user consent", apply: editInputs(t.application, (i) => (i.api.oauth2PermissionScopes[0].type = "User"), nameEndsWith("-docs-api")) },
    { controls: ["M4", "C8.2", "C8.3"], description: "the API stops including the session-binding fragment", apply: editXml(t.apiPolicy, /<include-fragment fragment-id="[^"]*-mcp-session"\/>/, "", api) },
    // --- C1: input validation and content filtering ---
    { controls: ["C1.1"], description: "the WAF only detects instead of preventing", apply: setInput(t.waf, "policySettings.mode", "Detection") },
    { controls: ["C1.1"], description: "the WAF loses its managed rule sets", apply: setInput(t.waf, "managedRules.managedRuleSets", []) },
    { controls: ["C1.1"], description: "the gateway stops checking the Origin header", apply: editXml(t.fragment, /^[\s\S]*$/, "<fragment/>", fragment("origin")) },
    { controls: ["C1.2", "C1.1"], description: "the gateway stops rejecting malformed JSON-RPC envelopes", apply: editXml(t.fragment, envelopeErrorCheck, "", fragment("envelope")) },
    { controls: ["C9.4", "C1.1"], description: "the gateway's request size limit grows a hundredfold", apply: editXml(t.fragment, /&gt; 1048576\)/g, "&gt; 104857600)", fragment("envelope")) },
    { controls: ["C1.3", "C9.1"], description: "Prompt Shields fails open when Content Safety is unreachable", apply: editXml(t.fragment, /<set-status code="503"[^>]*\/>/g, '<set-status code="200" reason="OK"/>', fragment("prompt-shields")) },
    { controls: ["C1.3", "C9.1"], description: "the API stops screening tools/call with Prompt Shields", apply: editXml(t.apiPolicy, /<include-fragment fragment-id="[^"]*-mcp-prompt-shields"\/>/, "", api) },
    { controls: ["C1.3"], description: "Content Safety accepts API keys", apply: setInput(t.account, "properties.disableLocalAuth", false) },
    { controls: ["C1.3", "C10.3"], description: "Content Safety is reachable from the internet", apply: setInput(t.account, "properties.publicNetworkAccess", "Enabled") },
    { controls: ["C1.3", "A2"], description: "Content Safety loses its private endpoint", apply: drop(t.pep, named("mcp-safety-pep")) },
    // --- C2: identity and authorisation ---
    { controls: ["C2.2", "C7.3"], description: "tool authorisation lets a caller without the tool's role through", apply: editXml(t.fragment, /code="403"/g, 'code="200"', fragment("tool-authorization")) },
    { controls: ["C2.1"], description: "Content Safety has no custom subdomain (no Entra auth)", apply: setInput(t.account, "properties.customSubDomainName", undefined) },
    { controls: ["C2.2", "C10.2"], description: "a workload identity is made Owner", apply: setInput(t.role, "roleDefinitionId", "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635", nameEndsWith("-acr-ra-acr-pull")) },
    { controls: ["C2.3", "C6.3"], description: "an application password is added", apply: add(planned("azuread:index/applicationPassword:ApplicationPassword", "docs-secret", { applicationId: "/applications/x" })) },
    { controls: ["C2.3", "C6.2"], description: "a key loses its rotation policy", apply: setInput(t.key, "properties.rotationPolicy", undefined, named("mcp-keyvault-key-data")) },
    { controls: ["C2.3"], description: "a secret has no expiry", apply: setInput(t.secret, "properties.attributes.expires", undefined) },
    // --- C3: transport and encryption ---
    { controls: ["C3.1"], description: "the edge accepts TLS 1.2", apply: setInput(t.agw, "sslPolicy.minProtocolVersion", "TLSv1_2") },
    { controls: ["C3.1"], description: "the edge gets a plain-HTTP listener", apply: editInputs(t.agw, (i) => { i.frontendPorts.push({ name: "http", port: 80 }); i.httpListeners.push({ ...i.httpListeners[0], name: "http", protocol: "Http" }); }) },
    { controls: ["C3.1"], description: "API Management re-enables TLS 1.1 on the client side", apply: editInputs(t.apim, (i) => (i.customProperties["Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls11"] = "True")) },
    { controls: ["C3.1", "C10.3"], description: "a Container App accepts plain HTTP", apply: setInput(t.app, "configuration.ingress.allowInsecure", true) },
    { controls: ["C3.2"], description: "the Container Apps environment turns peer encryption off", apply: setInput(t.env, "peerTrafficConfiguration.encryption.enabled", false) },
    { controls: ["C3.2"], description: "the registry drops customer-managed-key encryption", apply: setInput(t.registry, "encryption", { status: "disabled" }) },
    { controls: ["C3.2", "C6.1"], description: "a key is software-protected (RSA, not RSA-HSM)", apply: setInput(t.key, "properties.kty", "RSA", named("mcp-keyvault-key-data")) },
    { controls: ["C3.3"], description: "the edge certificate is pinned to one secret version", apply: editInputs(t.agw, (i) => (i.sslCertificates[0].keyVaultSecretId += "/0123456789abcdef0123456789abcdef")) },
    { controls: ["C3.4"], description: "the API stops checking the MCP protocol version", apply: editXml(t.apiPolicy, /<include-fragment fragment-id="[^"]*-mcp-protocol-version"\/>/, "", api) },
    // --- C4: rate limits and quotas ---
    { controls: ["C4.1"], description: "the API drops its per-user rate limit", apply: editXml(t.apiPolicy, /<rate-limit-by-key id="mcp-limit-user" [^>]*\/>/, "", api) },
    { controls: ["C4.1"], description: "the per-user rate limit loses its renewal-period", apply: editXml(t.apiPolicy, /(<rate-limit-by-key id="mcp-limit-user" calls="\d+") renewal-period="\d+"/, "$1", api) },
    { controls: ["C4.1"], description: "the WAF loses its per-client-IP rate rule", apply: setInput(t.waf, "customRules", []) },
    { controls: ["C4.3", "C10.1"], description: "a Container App runs without CPU and memory limits", apply: container((c) => delete c.resources) },
    { controls: ["C4.3", "C10.4"], description: "a Container App loses its probes", apply: container((c) => delete c.probes) },
    // --- C5: logging and SIEM ---
    { controls: ["C5.1", "C10.4"], description: "the gateway stops writing the per-call audit event", apply: editXml(t.fragment, /^[\s\S]*$/, "<fragment/>", fragment("audit")) },
    { controls: ["C5.3", "A5"], description: "API Management logs request bodies", apply: setInput("azure-native:apimanagement:Diagnostic", "frontend.request.body.bytes", 8192) },
    { controls: ["C5.3", "A5"], description: "API Management stops masking the Authorization header on backend requests", apply: setInput("azure-native:apimanagement:ApiDiagnostic", "backend.request.dataMasking", undefined) },
    { controls: ["C4.2", "C5.2"], description: "the per-user call-volume anomaly rule is removed", apply: drop(t.rule, nameEndsWith("mcp-call-volume-anomaly")) },
    { controls: ["C5.1", "C10.4"], description: "the vault's diagnostic setting is removed", apply: drop(t.diag, named("mcp-keyvault-vault-diag")) },
    { controls: ["C5.2", "A4"], description: "Sentinel is not onboarded", apply: drop(t.onboarding) },
    { controls: ["C5.2", "C5.4"], description: "an MCP analytics rule is disabled", apply: setInput(t.rule, "enabled", false, nameEndsWith("mcp-session-binding-violation")) },
    { controls: ["C5.4"], description: "an MCP analytics rule stops creating incidents", apply: setInput(t.rule, "incidentConfiguration.createIncident", false, nameEndsWith("mcp-prompt-attack")) },
    { controls: ["C5.3", "C6.3"], description: "the workspace accepts shared keys", apply: setInput(t.workspace, "features.disableLocalAuth", false) },
    { controls: ["C5.3", "A9"], description: "prod log retention drops to 30 days", stacks: ["prod"], apply: setInput(t.workspace, "retentionInDays", 30) },
    // --- C6: keys, secrets, classification ---
    { controls: ["C6.1"], description: "the vault is Standard (no HSM-backed keys)", apply: setInput(t.vault, "properties.sku.name", "standard") },
    { controls: ["C6.2", "A10"], description: "the vault loses purge protection", apply: setInput(t.vault, "properties.enablePurgeProtection", false) },
    { controls: ["C6.2", "C10.2"], description: "the vault falls back to access policies", apply: setInput(t.vault, "properties.enableRbacAuthorization", false) },
    { controls: ["C6.3"], description: "a Container App secret holds a literal value", apply: editInputs(t.app, (i) => (i.configuration.secrets = [...(i.configuration.secrets ?? []), { name: "api-key", value: "s3cr3t" }])) },
    { controls: ["C6.3", "C12.3"], description: "the registry admin user is enabled", apply: setInput(t.registry, "adminUserEnabled", true) },
    { controls: ["C6.4"], description: "the resource group loses its data-classification tag", apply: setInput(t.rg, "tags.data-classification", undefined) },
    // --- C7, C8: token handling and sessions ---
    { controls: ["C7.1"], description: "the caller's Authorization header is passed through to the server", apply: editXml(t.apiPolicy, /<set-header name="Authorization" exists-action="delete"\/>/, "", api) },
    { controls: ["C7.1"], description: "the gateway stops authenticating to the backend with its managed identity", apply: editXml(t.apiPolicy, /<authentication-managed-identity [^>]*\/>/, "", api) },
    { controls: ["C7.3"], description: "the API's token validation no longer requires scope or role claims", apply: editXml(t.apiPolicy, /<required-claims>[\s\S]*?<\/required-claims>/, "", api) },
    { controls: ["C8.1", "M4"], description: "the session-id format check admits one-character ids", apply: editXml(t.fragment, /\{16,128\}/g, "{1,128}", fragment("session")) },
    { controls: ["C7.4", "C8.2"], description: "the API stops binding sessions to the token's user", apply: editXml(t.apiPolicy, /<include-fragment fragment-id="[^"]*-mcp-session-bind"\/>/, "", api) },
    { controls: ["C8.4"], description: "the gateway stops sending HSTS", apply: editXml(t.fragment, /<set-header name="Strict-Transport-Security"[\s\S]*?<\/set-header>/, "", fragment("security-headers")) },
    { controls: ["C8.4"], description: "the gateway stops removing the Server header", apply: editXml(t.fragment, /<set-header name="Server" exists-action="delete"\/>/, "", fragment("security-headers")) },
    { controls: ["C1.4", "C8.4"], description: "errors leak the gateway's internal message", apply: editXml(t.fragment, /&quot;Request failed\.&quot;/g, "context.LastError.Message", fragment("on-error")) },
    { controls: ["C8.2"], description: "the session fragment stops checking the binding", apply: editXml(t.fragment, /<cache-lookup-value [^>]*\/>/g, "", nameEndsWith("-mcp-session")) },
    { controls: ["C9.2"], description: "the tool-manifest check is emptied", apply: editXml(t.fragment, /^[\s\S]*$/, "<fragment/>", fragment("manifest-integrity")) },
    { controls: ["C9.2"], description: "prod's manifest check only detects drift instead of blocking", stacks: ["prod"], apply: editXml(t.fragment, /<return-response>[\s\S]*?<\/return-response>/, "", fragment("manifest-integrity")) },
    // --- C10: isolation and privilege ---
    { controls: ["C10.2"], description: "a Container App runs with a system-assigned identity only", apply: setInput(t.app, "identity", { type: "SystemAssigned" }) },
    { controls: ["C10.2", "C2.2"], description: "a role is granted at subscription scope", apply: setInput(t.role, "scope", "/subscriptions/96149603-1f8e-5026-80c6-3a4705506938", nameEndsWith("-acr-ra-acr-pull")) },
    { controls: ["C10.3", "A2"], description: "the Container Apps environment gets a public endpoint", apply: setInput(t.env, "vnetConfiguration.internal", false) },
    { controls: ["C10.3", "A2"], description: "the vault is reachable from the internet", apply: setInput(t.vault, "properties.publicNetworkAccess", "Enabled") },
    { controls: ["C10.3", "A2"], description: "API Management leaves internal VNet mode", apply: setInput(t.apim, "virtualNetworkType", "External") },
    { controls: ["C10.3", "A2"], description: "a second public IP appears outside the edge", apply: add(planned(t.pip, "debug-pip", { publicIPAllocationMethod: "Static", sku: { name: "Standard" }, tags: { workload: "mcp", environment: "dev", "data-classification": "confidential", owner: "x" } })) },
    { controls: ["C10.3", "A2"], description: "the runtime subnet loses its NSG", apply: setInput(t.subnet, "networkSecurityGroup", undefined, named("mcp-network-snet-runtime")) },
    { controls: ["A1", "C10.3"], description: "the runtime NSG allows inbound from the internet", apply: editInputs(t.nsg, (i) => i.securityRules.unshift({ name: "AllowInternet", priority: 100, direction: "Inbound", access: "Allow", protocol: "*", sourceAddressPrefix: "Internet", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "*" }), named("mcp-network-nsg-runtime")) },
    { controls: ["A2", "C10.3"], description: "the vault loses its private endpoint", apply: drop(t.pep, named("mcp-keyvault-vault-pep")) },
    { controls: ["A2", "C12.3"], description: "the registry loses its private endpoint", apply: drop(t.pep, named("mcp-registry-registry-pep")) },
    // --- C12: supply chain ---
    { controls: ["C12.1"], description: "a Container App image is referenced by tag", apply: container((c) => (c.image = c.image.replace(/@sha256:[0-9a-f]+$/, ":latest"))) },
    { controls: ["C12.1", "C12.3"], description: "a Container App pulls from a public registry", apply: container((c) => (c.image = c.image.replace(/^[^/]+/, "docker.io"))) },
    { controls: ["C12.3"], description: "the registry allows anonymous pull", apply: setInput(t.registry, "anonymousPullEnabled", true) },
    { controls: ["C12.3", "C12.1"], description: "the registry allows export", apply: setInput(t.registry, "policies.exportPolicy.status", "enabled") },
    { controls: ["C12.4", "C5.1"], description: "the registry's diagnostic setting is removed", apply: drop(t.diag, named("mcp-registry-registry-diag")) },
    // --- A9/A10: forensics and recovery ---
    { controls: ["A9", "A10"], description: "the vault keeps soft-deleted items only 7 days", apply: setInput(t.vault, "properties.softDeleteRetentionInDays", 7) },
    { controls: ["A9", "A10"], description: "prod's vault loses deletion protection", stacks: ["prod"], apply: unprotect(t.vault) },
    { controls: ["A9"], description: "prod's workspace loses deletion protection", stacks: ["prod"], apply: unprotect(t.workspace) },
    // --- A8: automated response ---
    { controls: ["A8", "C5.4"], description: "the high-severity automation rule is removed", apply: drop(t.automation) },
    // --- Optional controls, on in prod: the pack must enforce them there ---
    { controls: ["C2.4", "A3"], description: "prod loses its Conditional Access policies", stacks: ["prod"], apply: drop(t.ca) },
    { controls: ["C4.4"], description: "prod's VNet loses its DDoS plan", stacks: ["prod"], apply: all(drop(t.ddos), setInput(t.vnet, "ddosProtectionPlan", undefined), setInput(t.vnet, "enableDdosProtection", false)) },
    { controls: ["C4.4"], description: "prod loses its VNet flow logs", stacks: ["prod"], apply: drop(t.flowLog) },
    { controls: ["C11.2", "C12.4"], description: "prod loses Defender for Containers", stacks: ["prod"], apply: drop(t.pricing) },
    { controls: ["C10.3", "A2"], description: "prod's runtime subnet loses its route to the egress firewall", stacks: ["prod"], apply: editInputs(t.subnet, (i, r) => {
        delete i.routeTable;
        delete r.propertyDependencies.routeTable;
    }, nameEndsWith("-snet-runtime")) },
    { controls: ["C10.3", "A2"], description: "prod's runtime NSG loses its final Internet deny and its firewall route", stacks: ["prod"], apply: all(
        editInputs(t.nsg, (i) => (i.securityRules = i.securityRules.filter((r: { name: string }) => r.name !== "DenyInternetOutbound")), nameEndsWith("-nsg-runtime")),
        editInputs(t.subnet, (i, r) => {
            delete i.routeTable;
            delete r.propertyDependencies.routeTable;
        }, nameEndsWith("-snet-runtime")),
    ) },
    { controls: ["C10.3", "C5.1"], description: "prod's firewall loses its diagnostic setting", stacks: ["prod"], apply: drop(t.diag, nameEndsWith("-egress-diag")) },
];
