import { securityEvents } from "../../shared/securityEvents";
import {
    bearerChallenge,
    csString,
    deleteHeader,
    errorResponse,
    isToolsCall,
    reject,
    rpcCodes,
    rpcMethod,
    securityHeaderElements,
    setHeader,
    str,
    traceEvent,
    vars,
    when,
} from "./expressions";
import { FragmentSettings, firstStatelessRevision, promptShieldsApiVersion, promptShieldsMaxChars, sessionIdPattern } from "./settings";
import { el, XmlElement } from "./xml";
import { manifestDigestExpression } from "./manifestExpression";
import { envelopeExpression, versionCheckExpression } from "./requestExpressions";

/** A policy fragment: its id (as `<include-fragment fragment-id>` names it), what it does, its root element. */
export interface Fragment {
    /** The base id (`mcp-origin`); the deployed id is `fragmentId(prefix, base)`. */
    readonly id: string;
    readonly description: string;
    readonly root: XmlElement;
}

const fragment = (id: string, description: string, ...children: XmlElement[]): Fragment => ({
    id,
    description,
    root: el("fragment", {}, children),
});

/** Fragment ids in the order the API policy includes them, by section. */
export const fragmentIds = {
    resourceMetadata: "mcp-resource-metadata",
    origin: "mcp-origin",
    bearerRequired: "mcp-bearer-required",
    identity: "mcp-identity",
    envelope: "mcp-envelope",
    protocolVersion: "mcp-protocol-version",
    session: "mcp-session",
    toolAuthorization: "mcp-tool-authorization",
    promptShields: "mcp-prompt-shields",
    forward: "mcp-forward",
    manifestIntegrity: "mcp-manifest-integrity",
    sessionBind: "mcp-session-bind",
    securityHeaders: "mcp-security-headers",
    onError: "mcp-on-error",
} as const;

/**
 * The deployed fragment id. The azure-native SDK cannot send a PolicyFragment's `id` input (the
 * Pulumi SDK strips inputs named `id`: pulumi/pulumi-azure-native#2664), so the fragment's Azure
 * name comes from autonaming of its logical name (`<component>-<base id>`, verbatim per Pulumi.yaml);
 * the API policy includes exactly that name.
 */
export function fragmentId(prefix: string, base: string): string {
    return prefix ? `${prefix}-${base}` : base;
}

const sessionBindingKey = `"mcp-session:" + ${str(vars.server)} + ":" + ${str(vars.oid)} + ":" + ${str(vars.sessionId)}`;
const sessionOwnerKey = `"mcp-session-owner:" + ${str(vars.server)} + ":" + ${str(vars.sessionId)}`;
const sessionIdHeader = `context.Request.Headers.GetValueOrDefault("Mcp-Session-Id", "")`;

/** Every fragment, built from the gateway-wide settings (pure; unit-tested by parsing the XML back). */
export function buildFragments(settings: FragmentSettings): Fragment[] {
    return [
        resourceMetadataFragment(),
        originFragment(settings),
        bearerRequiredFragment(),
        identityFragment(),
        envelopeFragment(settings),
        protocolVersionFragment(settings),
        sessionFragment(settings),
        toolAuthorizationFragment(),
        promptShieldsFragment(settings),
        forwardFragment(settings),
        manifestIntegrityFragment(settings),
        sessionBindFragment(settings),
        securityHeadersFragment(),
        onErrorFragment(),
    ];
}

/** RFC 9728: the protected resource metadata document, the one operation answered without a token. */
function resourceMetadataFragment(): Fragment {
    return fragment(
        fragmentIds.resourceMetadata,
        "Answers GET /.well-known/oauth-protected-resource (RFC 9728) from policy; every other operation continues to token validation.",
        when(`context.Request.Method == "GET" && context.Operation.UrlTemplate == "/.well-known/oauth-protected-resource"`, [
            el(
                "return-response",
                {},
                el("set-status", { code: 200, reason: "OK" }),
                setHeader("Content-Type", "application/json"),
                securityHeaderElements(),
                el("set-body", {}, `@(${str(vars.resourceMetadata)})`),
            ),
        ]),
    );
}

/** Client address as the edge saw it: the last X-Forwarded-For hop (appended by the Application Gateway). */
const clientIpExpression =
    "@{\n" +
    'var xff = context.Request.Headers.GetValueOrDefault("X-Forwarded-For", "");\n' +
    'if (xff == "") { return context.Request.IpAddress; }\n' +
    "var hop = xff.Split(',').Last().Trim();\n" +
    "var colon = hop.LastIndexOf(':');\n" +
    "return (colon > 0 && hop.IndexOf(':') == colon) ? hop.Substring(0, colon) : hop;\n" +
    "}";

/** DNS-rebinding defence both revisions require: an `Origin` outside the allow-list gets 403. */
function originFragment(settings: FragmentSettings): Fragment {
    const allowed = `new string[] { ${settings.allowedOrigins.map(csString).join(", ")} }`;
    return fragment(
        fragmentIds.origin,
        "Records the client address and rejects a present Origin header that is not in the allow-list (403).",
        el("set-variable", { name: vars.clientIp, value: clientIpExpression }),
        when(
            `context.Request.Headers.ContainsKey("Origin") && !${allowed}.Contains(context.Request.Headers.GetValueOrDefault("Origin", ""))`,
            reject(
                securityEvents.originRejected,
                { status: 403, reason: "Forbidden", code: rpcCodes.forbidden, message: "Origin not allowed." },
                `context.Request.Headers.GetValueOrDefault("Origin", "")`,
            ),
        ),
    );
}

/** A request without a bearer token gets the RFC 9728 challenge so clients can discover sign-in. */
function bearerRequiredFragment(): Fragment {
    return fragment(
        fragmentIds.bearerRequired,
        "Answers a request without a bearer token with 401 and WWW-Authenticate: Bearer resource_metadata=… (RFC 9728).",
        when(
            `!context.Request.Headers.GetValueOrDefault("Authorization", "").StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)`,
            reject(
                securityEvents.tokenRejected,
                {
                    status: 401,
                    reason: "Unauthorized",
                    code: rpcCodes.unauthorized,
                    message: "Authentication required.",
                    headers: { "WWW-Authenticate": bearerChallenge() },
                },
                csString("no bearer token"),
            ),
        ),
    );
}

const jwt = `((Jwt)context.Variables[${csString(vars.jwt)}])`;

/** After validate-azure-ad-token: the caller's oid/app id/roles as variables; expiry and oid required. */
function identityFragment(): Fragment {
    return fragment(
        fragmentIds.identity,
        "Copies oid, client app id and roles of the validated token into variables; rejects a token without expiry or oid.",
        el("set-variable", { name: vars.oid, value: `@(${jwt}.Claims.GetValueOrDefault("oid", ""))` }),
        el("set-variable", {
            name: vars.appId,
            value: `@(${jwt}.Claims.GetValueOrDefault("azp", ${jwt}.Claims.GetValueOrDefault("appid", "")))`,
        }),
        el("set-variable", { name: vars.roles, value: `@(${jwt}.Claims.GetValueOrDefault("roles", ""))` }),
        when(
            `!${jwt}.ExpirationTime.HasValue || ${str(vars.oid)} == ""`,
            reject(
                securityEvents.tokenRejected,
                {
                    status: 401,
                    reason: "Unauthorized",
                    code: rpcCodes.unauthorized,
                    message: "Invalid token.",
                    headers: { "WWW-Authenticate": bearerChallenge("invalid_token") },
                },
                csString("token without exp or oid"),
            ),
        ),
    );
}

const envelopeField = (field: string) => `(string)JObject.Parse(${str(vars.envelope)})[${csString(field)}]`;

/** JSON-RPC envelope and size validation (C1.1, C1.2). */
function envelopeFragment(settings: FragmentSettings): Fragment {
    const isPost = `context.Request.Method == "POST"`;
    return fragment(
        fragmentIds.envelope,
        "POST bodies: JSON media type, at most maxRequestBytes, one JSON-RPC 2.0 request, notification or response (no batches); extracts method, id and tool name.",
        when(isPost, [
            when(
                `!context.Request.Headers.GetValueOrDefault("Content-Type", "").Trim().StartsWith("application/json", StringComparison.OrdinalIgnoreCase)`,
                reject(securityEvents.envelopeRejected, {
                    status: 415,
                    reason: "Unsupported Media Type",
                    code: rpcCodes.unsupportedMediaType,
                    message: "Content-Type must be application/json.",
                }),
            ),
            when(
                `long.Parse(context.Request.Headers.GetValueOrDefault("Content-Length", "0")) > ${settings.maxRequestBytes}`,
                reject(securityEvents.envelopeRejected, {
                    status: 413,
                    reason: "Payload Too Large",
                    code: rpcCodes.payloadTooLarge,
                    message: "Request body too large.",
                }),
            ),
            el("set-variable", { name: vars.body, value: `@(context.Request.Body.As<string>(preserveContent: true) ?? "")` }),
            when(
                `Encoding.UTF8.GetByteCount(${str(vars.body)}) > ${settings.maxRequestBytes}`,
                reject(securityEvents.envelopeRejected, {
                    status: 413,
                    reason: "Payload Too Large",
                    code: rpcCodes.payloadTooLarge,
                    message: "Request body too large.",
                }),
            ),
            el("set-variable", { name: vars.envelope, value: envelopeExpression(str(vars.body)) }),
            el("set-variable", { name: vars.rpcMethod, value: `@(${envelopeField("method")} ?? "")` }),
            el("set-variable", { name: vars.rpcId, value: `@(${envelopeField("id")} ?? "")` }),
            el("set-variable", { name: vars.toolName, value: `@(${envelopeField("tool")} ?? "")` }),
            when(
                `${envelopeField("error")} != ""`,
                reject(
                    securityEvents.envelopeRejected,
                    { status: 400, reason: "Bad Request", code: rpcCodes.invalidRequest, message: "Invalid JSON-RPC request." },
                    envelopeField("error"),
                ),
            ),
        ]),
    );
}

/** MCP protocol version for both revisions (C3.4); header/body mismatches get -32020 as 2026-07-28 mandates. */
function protocolVersionFragment(settings: FragmentSettings): Fragment {
    const check = (field: string) => `(string)JObject.Parse(${str(vars.versionCheck)})[${csString(field)}]`;
    const supportedJson = `new JArray(${settings.protocolVersions.map(csString).join(", ")})`;
    const versionData = `new JObject(new JProperty("supported", ${supportedJson}), new JProperty("requested", ${check("version")}))`;
    return fragment(
        fragmentIds.protocolVersion,
        `Accepts only ${settings.protocolVersions.join(", ")}: MCP-Protocol-Version header and initialize params.protocolVersion (2025-11-25), ` +
            `_meta io.modelcontextprotocol/protocolVersion with matching MCP-Protocol-Version, Mcp-Method and Mcp-Name headers (${firstStatelessRevision}).`,
        el("set-variable", { name: vars.versionCheck, value: versionCheckExpression(settings.protocolVersions, str(vars.envelope)) }),
        el("set-variable", { name: vars.era, value: `@(${check("era")})` }),
        el(
            "choose",
            {},
            el(
                "when",
                { condition: `@(${check("status")} == "unsupported")` },
                reject(
                    securityEvents.protocolVersionRejected,
                    {
                        status: 400,
                        reason: "Bad Request",
                        code: rpcCodes.unsupportedProtocolVersion,
                        message: "Unsupported protocol version",
                        data: versionData,
                    },
                    check("detail"),
                ).map((node) =>
                    // Legacy clients know -32602 for an unsupported version (2025-11-25 lifecycle); modern ones -32022.
                    node.name === "return-response" ? legacyAwareVersionError(node, check("era"), versionData) : node,
                ),
            ),
            el(
                "when",
                { condition: `@(${check("status")} == "mismatch")` },
                reject(
                    securityEvents.headerBodyMismatch,
                    { status: 400, reason: "Bad Request", code: rpcCodes.headerMismatch, message: "Header mismatch" },
                    check("detail"),
                ),
            ),
            el(
                "when",
                { condition: `@(${check("status")} == "method-not-allowed")` },
                reject(
                    securityEvents.protocolVersionRejected,
                    {
                        status: 405,
                        reason: "Method Not Allowed",
                        code: rpcCodes.methodNotAllowed,
                        message: "Method not allowed for this protocol version.",
                        headers: { Allow: '"POST"' },
                    },
                    check("detail"),
                ),
            ),
        ),
    );
}

/** Wraps the version error so legacy requests get -32602 and modern ones -32022. */
function legacyAwareVersionError(modern: XmlElement, eraExpression: string, data: string): XmlElement {
    const legacy = errorResponse({
        status: 400,
        reason: "Bad Request",
        code: rpcCodes.invalidParams,
        message: "Unsupported protocol version",
        data,
    });
    return when(`${eraExpression} == "legacy"`, [legacy], [modern]);
}

/** Session binding for 2025-11-25 (M4, C8.2, C8.3): `<oid>:<session id>` with idle and absolute lifetimes. */
function sessionFragment(settings: FragmentSettings): Fragment {
    const isLegacy = `${str(vars.era)} == "legacy"`;
    const isInitialize = `${rpcMethod} == "initialize"`;
    const created = str(vars.sessionCreated);
    const owner = str(vars.sessionOwner);
    const malformed = (detail: string) =>
        reject(
            securityEvents.sessionMalformed,
            { status: 400, reason: "Bad Request", code: rpcCodes.invalidRequest, message: "Invalid or missing Mcp-Session-Id." },
            csString(detail),
        );
    const remove = [
        el("cache-remove-value", { key: `@(${sessionBindingKey})`, "caching-type": "internal" }),
        el("cache-remove-value", { key: `@(${sessionOwnerKey})`, "caching-type": "internal" }),
    ];
    const notFound = (detail: string) =>
        reject(
            securityEvents.sessionUnknown,
            { status: 404, reason: "Not Found", code: rpcCodes.notFound, message: "Session not found." },
            csString(detail),
        );
    return fragment(
        fragmentIds.session,
        "2025-11-25 sessions: initialize marks the binding for the response; other requests need a well-formed Mcp-Session-Id bound to the caller's oid " +
            "(403 for another user, 404 when unknown or expired); DELETE ends the binding. Stateless revisions never forward a session id.",
        when(
            isLegacy,
            [
                el("set-variable", { name: vars.sessionId, value: `@(${sessionIdHeader})` }),
                el(
                    "choose",
                    {},
                    el("when", { condition: `@(${isInitialize} && ${str(vars.sessionId)} != "")` }, malformed("initialize with a session id")),
                    el("when", { condition: `@(${isInitialize})` }, [el("set-variable", { name: vars.bindSession, value: "true" })]),
                    el("when", { condition: `@(${str(vars.sessionId)} == "")` }, malformed("missing session id")),
                    el(
                        "when",
                        { condition: `@(!Regex.IsMatch(${str(vars.sessionId)}, ${csString(sessionIdPattern)}))` },
                        malformed("session id outside visible ASCII or of the wrong length"),
                    ),
                    el(
                        "otherwise",
                        {},
                        el("set-variable", { name: vars.sessionHash, value: sessionHashExpression(str(vars.sessionId)) }),
                        el("cache-lookup-value", {
                            key: `@(${sessionBindingKey})`,
                            "variable-name": vars.sessionCreated,
                            "default-value": "",
                            "caching-type": "internal",
                        }),
                        el("cache-lookup-value", {
                            key: `@(${sessionOwnerKey})`,
                            "variable-name": vars.sessionOwner,
                            "default-value": "",
                            "caching-type": "internal",
                        }),
                        el(
                            "choose",
                            {},
                            el(
                                "when",
                                { condition: `@(${created} == "" && ${owner} != "" && ${owner} != ${str(vars.oid)})` },
                                reject(
                                    securityEvents.sessionUserMismatch,
                                    { status: 403, reason: "Forbidden", code: rpcCodes.forbidden, message: "Session belongs to another user." },
                                    csString("session bound to another oid"),
                                ),
                            ),
                            el("when", { condition: `@(${created} == "")` }, notFound("unknown or idle-expired session")),
                            el(
                                "when",
                                {
                                    condition: `@((DateTime.UtcNow - new DateTime(long.Parse(${created}), DateTimeKind.Utc)).TotalSeconds > ${settings.sessionAbsoluteSeconds})`,
                                },
                                [...remove, ...notFound("absolute session lifetime exceeded")],
                            ),
                            el("when", { condition: `@(context.Request.Method == "DELETE")` }, remove),
                            el(
                                "otherwise",
                                {},
                                el("cache-store-value", {
                                    key: `@(${sessionBindingKey})`,
                                    value: `@(${created})`,
                                    duration: settings.sessionIdleSeconds,
                                    "caching-type": "internal",
                                }),
                            ),
                        ),
                    ),
                ),
            ],
            [deleteHeader("Mcp-Session-Id")],
        ),
    );
}

/** First 16 hex of SHA-256(oid:session id): correlates events without logging the session id. */
function sessionHashExpression(sessionId: string): string {
    return (
        "@{\n" +
        "using (var sha = System.Security.Cryptography.SHA256.Create()) {\n" +
        `var bytes = sha.ComputeHash(Encoding.UTF8.GetBytes(${str(vars.oid)} + ":" + ${sessionId}));\n` +
        'return BitConverter.ToString(bytes).Replace("-", "").Substring(0, 16).ToLowerInvariant();\n' +
        "}\n" +
        "}"
    );
}

/** tools/call tool name → required app role (C2.2); a tool missing from the map is denied. */
function toolAuthorizationFragment(): Fragment {
    const lookup =
        "@{\n" +
        `foreach (var pair in ${str(vars.toolRoles)}.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries)) {\n` +
        "var i = pair.IndexOf('=');\n" +
        `if (i > 0 && pair.Substring(0, i) == ${str(vars.toolName)}) { return pair.Substring(i + 1); }\n` +
        "}\n" +
        'return "";\n' +
        "}";
    const forbidden = { status: 403, reason: "Forbidden", code: rpcCodes.forbidden, message: "Not allowed to call this tool." };
    return fragment(
        fragmentIds.toolAuthorization,
        "tools/call: looks the tool up in the server's tool→role map and requires that app role in the token's roles claim.",
        when(isToolsCall, [
            el("set-variable", { name: vars.requiredRole, value: lookup }),
            el(
                "choose",
                {},
                el("when", { condition: `@(${str(vars.requiredRole)} == "")` }, reject(securityEvents.toolForbidden, forbidden, csString("tool not in the approved tool map"))),
                el(
                    "when",
                    { condition: `@(!${str(vars.roles)}.Split(',').Select(r => r.Trim()).Contains(${str(vars.requiredRole)}))` },
                    reject(securityEvents.toolForbidden, forbidden, `"missing app role " + ${str(vars.requiredRole)}`),
                ),
            ),
        ]),
    );
}

/** Prompt Shields on tools/call arguments through the private Content Safety account (C1.3, C9.1). */
function promptShieldsFragment(settings: FragmentSettings): Fragment {
    const endpoint = settings.contentSafetyEndpoint.replace(/\/+$/, "");
    const url = `${endpoint}/contentsafety/text:shieldPrompt?api-version=${promptShieldsApiVersion}`;
    const argumentsExpression =
        "@{\n" +
        `var args = JObject.Parse(${str(vars.body)}).SelectToken("params.arguments");\n` +
        'return args == null ? "" : args.ToString(Newtonsoft.Json.Formatting.None);\n' +
        "}";
    const verdictExpression =
        "@{\n" +
        `var r = context.Variables.ContainsKey(${csString(vars.shieldResponse)}) ? (IResponse)context.Variables[${csString(vars.shieldResponse)}] : null;\n` +
        'if (r == null || r.StatusCode != 200) { return "unavailable"; }\n' +
        "var j = r.Body.As<JObject>();\n" +
        'var attack = (bool?)j.SelectToken("userPromptAnalysis.attackDetected") == true;\n' +
        'var docs = j["documentsAnalysis"] as JArray;\n' +
        'if (docs != null && docs.Any(d => (bool?)d["attackDetected"] == true)) { attack = true; }\n' +
        'return attack ? "attack" : "clean";\n' +
        "}";
    const unavailable = (detail: string) =>
        settings.promptShieldsFailureMode === "closed"
            ? reject(
                  securityEvents.contentSafetyUnavailable,
                  {
                      status: 503,
                      reason: "Service Unavailable",
                      code: rpcCodes.unavailable,
                      message: "Content screening unavailable; try again later.",
                      headers: { "Retry-After": '"30"' },
                  },
                  csString(`${detail}; failed closed`),
              )
            : [traceEvent(securityEvents.contentSafetyUnavailable, "information", csString(`${detail}; failed open`))];
    return fragment(
        fragmentIds.promptShields,
        `tools/call: sends the arguments to Prompt Shields with the gateway's managed identity; an attack is rejected, an unavailable screen fails ${settings.promptShieldsFailureMode}.`,
        when(isToolsCall, [
            el("set-variable", { name: vars.shieldInput, value: argumentsExpression }),
            el(
                "choose",
                {},
                el("when", { condition: `@(${str(vars.shieldInput)}.Length > ${promptShieldsMaxChars})` }, unavailable("arguments exceed the Prompt Shields input limit")),
                el(
                    "when",
                    { condition: `@(${str(vars.shieldInput)} != "")` },
                    el(
                        "send-request",
                        { mode: "new", "response-variable-name": vars.shieldResponse, timeout: 10, "ignore-error": "true" },
                        el("set-url", {}, url),
                        el("set-method", {}, "POST"),
                        setHeader("Content-Type", "application/json"),
                        el("set-body", {}, `@(new JObject(new JProperty("userPrompt", ${str(vars.shieldInput)})).ToString(Newtonsoft.Json.Formatting.None))`),
                        el("authentication-managed-identity", {
                            resource: "https://cognitiveservices.azure.com",
                            "client-id": settings.gatewayIdentityClientId,
                        }),
                    ),
                    el("set-variable", { name: vars.shieldVerdict, value: verdictExpression }),
                    el(
                        "choose",
                        {},
                        el(
                            "when",
                            { condition: `@(${str(vars.shieldVerdict)} == "attack")` },
                            reject(
                                securityEvents.promptAttackDetected,
                                { status: 400, reason: "Bad Request", code: rpcCodes.invalidParams, message: "Tool arguments rejected by content screening." },
                                csString("Prompt Shields detected an attack"),
                            ),
                        ),
                        el("when", { condition: `@(${str(vars.shieldVerdict)} == "unavailable")` }, unavailable("Prompt Shields did not answer")),
                    ),
                ),
            ),
        ]),
    );
}

/** Streams responses (SSE) except tools/list, which the manifest check must read whole (C4.3 timeout). */
function forwardFragment(settings: FragmentSettings): Fragment {
    const timeout = settings.backendTimeoutSeconds ?? 60;
    return fragment(
        fragmentIds.forward,
        "Forwards to the backend with a header timeout; buffers only tools/list responses so SSE streams flow.",
        when(`${rpcMethod} == "tools/list"`, [el("forward-request", { timeout, "buffer-response": "true" })], [
            el("forward-request", { timeout, "buffer-response": "false" }),
        ]),
    );
}

/** C9.2: the tools/list result's digest against the approved one; block or detect. */
function manifestIntegrityFragment(settings: FragmentSettings): Fragment {
    const drift = `${str(vars.manifestActual)} != ${str(vars.manifestDigest)}`;
    const detail = `"expected " + ${str(vars.manifestDigest)} + ", got " + ${str(vars.manifestActual)}`;
    const onDrift =
        settings.manifestMode === "block"
            ? reject(
                  securityEvents.manifestDrift,
                  { status: 502, reason: "Bad Gateway", code: rpcCodes.badGateway, message: "Tool manifest not approved." },
                  detail,
              )
            : [traceEvent(securityEvents.manifestDrift, "error", detail)];
    return fragment(
        fragmentIds.manifestIntegrity,
        `tools/list: SHA-256 of the canonical result.tools compared with the server's approved digest (${settings.manifestMode} on drift).`,
        when(`${rpcMethod} == "tools/list" && context.Response.StatusCode == 200`, [
            el("set-variable", { name: vars.manifestActual, value: manifestDigestExpression() }),
            when(drift, onDrift),
        ]),
    );
}

/** Outbound half of the 2025-11-25 binding: the session id the server minted on initialize, bound to the caller. */
function sessionBindFragment(settings: FragmentSettings): Fragment {
    const minted = `context.Response.Headers.GetValueOrDefault("Mcp-Session-Id", "")`;
    return fragment(
        fragmentIds.sessionBind,
        "After a successful initialize: stores <oid>:<session id> (idle lifetime) and the session's owner (absolute lifetime); a malformed minted id is refused.",
        when(`${str(vars.bindSession)} == "true" && context.Response.StatusCode == 200 && ${minted} != ""`, [
            el("set-variable", { name: vars.sessionId, value: `@(${minted})` }),
            el(
                "choose",
                {},
                el(
                    "when",
                    { condition: `@(!Regex.IsMatch(${str(vars.sessionId)}, ${csString(sessionIdPattern)}))` },
                    reject(
                        securityEvents.sessionMalformed,
                        { status: 502, reason: "Bad Gateway", code: rpcCodes.badGateway, message: "Upstream session could not be established." },
                        csString("server minted a malformed session id"),
                    ),
                ),
                el(
                    "otherwise",
                    {},
                    el("set-variable", { name: vars.sessionHash, value: sessionHashExpression(str(vars.sessionId)) }),
                    el("cache-store-value", {
                        key: `@(${sessionBindingKey})`,
                        value: "@(DateTime.UtcNow.Ticks.ToString())",
                        duration: settings.sessionIdleSeconds,
                        "caching-type": "internal",
                    }),
                    el("cache-store-value", {
                        key: `@(${sessionOwnerKey})`,
                        value: `@(${str(vars.oid)})`,
                        duration: settings.sessionAbsoluteSeconds,
                        "caching-type": "internal",
                    }),
                ),
            ),
        ]),
    );
}

/** C8.4: HSTS, nosniff, no-store, frame deny; removes headers that reveal the stack. */
function securityHeadersFragment(): Fragment {
    return fragment(fragmentIds.securityHeaders, "Sets HSTS, nosniff, no-store, frame deny and CSP; removes Server, X-Powered-By, X-AspNet-Version.", ...securityHeaderElements());
}

/** on-error: token failures become RFC 6750/9728 challenges, limits become 429, anything else a bare JSON-RPC error. */
function onErrorFragment(): Fragment {
    const reason = `(context.LastError.Reason ?? "")`;
    const isToken = `context.LastError.Source == "validate-azure-ad-token" || context.LastError.Source == "validate-jwt"`;
    const challenge = (error: "invalid_token" | "insufficient_scope") => ({ "WWW-Authenticate": bearerChallenge(error) });
    const quotaRetry =
        '(Regex.IsMatch(context.LastError.Message ?? "", @"\\d+:\\d{2}:\\d{2}") ? ((int)TimeSpan.Parse(Regex.Match(context.LastError.Message, @"\\d+:\\d{2}:\\d{2}").Value).TotalSeconds).ToString() : "3600")';
    // rate-limit-by-key stores the retry interval as a number, so it is read untyped.
    const retryVar = csString(vars.retryAfter);
    const retryAfter = `(${reason} == "QuotaExceeded" ? ${quotaRetry} : context.Variables.ContainsKey(${retryVar}) ? Convert.ToString(context.Variables[${retryVar}]) : "60")`;
    return fragment(
        fragmentIds.onError,
        "Maps token, rate-limit and quota failures to their security events and answers; every other error is a JSON-RPC error without internals.",
        el(
            "choose",
            {},
            el(
                "when",
                { condition: `@((${isToken}) && ${reason}.Contains("Audience"))` },
                reject(
                    securityEvents.audienceMismatch,
                    { status: 401, reason: "Unauthorized", code: rpcCodes.unauthorized, message: "Invalid token.", headers: challenge("invalid_token") },
                    reason,
                ),
            ),
            el(
                "when",
                { condition: `@((${isToken}) && (${reason}.Contains("Client") || ${reason}.Contains("Application")))` },
                reject(
                    securityEvents.clientNotAllowed,
                    { status: 403, reason: "Forbidden", code: rpcCodes.forbidden, message: "Client application not allowed.", headers: challenge("invalid_token") },
                    reason,
                ),
            ),
            el(
                "when",
                { condition: `@((${isToken}) && ${reason}.Contains("Claim"))` },
                reject(
                    securityEvents.claimMissing,
                    { status: 403, reason: "Forbidden", code: rpcCodes.forbidden, message: "Insufficient scope.", headers: challenge("insufficient_scope") },
                    reason,
                ),
            ),
            el(
                "when",
                { condition: `@(${isToken})` },
                reject(
                    securityEvents.tokenRejected,
                    { status: 401, reason: "Unauthorized", code: rpcCodes.unauthorized, message: "Invalid token.", headers: challenge("invalid_token") },
                    reason,
                ),
            ),
            el(
                "when",
                { condition: `@(${reason} == "RateLimitExceeded" || ${reason} == "QuotaExceeded")` },
                reject(
                    securityEvents.rateLimited,
                    {
                        status: 429,
                        reason: "Too Many Requests",
                        code: rpcCodes.tooManyRequests,
                        message: "Rate limit exceeded.",
                        headers: { "Retry-After": retryAfter },
                    },
                    `${reason} + " " + (context.LastError.PolicyId ?? "")`,
                ),
            ),
            el(
                "when",
                { condition: `@(${reason} == "BackendConnectionFailure" || ${reason} == "Timeout")` },
                [errorResponse({ status: 502, reason: "Bad Gateway", code: rpcCodes.badGateway, message: "Upstream unavailable." })],
            ),
            el("otherwise", {}, errorResponse({ status: 500, reason: "Internal Server Error", code: rpcCodes.internalError, message: "Request failed." })),
        ),
    );
}
