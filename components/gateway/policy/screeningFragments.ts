import { securityEvents } from "../../../policy-pack/contract/events";
import { csString, isToolsCall, reject, rpcCodes, rpcMethod, setHeader, str, traceEvent, vars, when } from "./expressions";
import { el } from "./xml";
import { manifestDigestExpression } from "./manifestExpression";
import { argumentsTextExpression } from "./argumentsExpression";
import { fragment, promptShieldsApiVersion, promptShieldsMaxChars } from "./settings";

/**
 * Content screening: Prompt Shields on tools/call arguments (C1.3, C9.1) and the tools/list
 * manifest digest against the approved one (C9.2).
 */

/** Prompt Shields on tools/call arguments through the private Content Safety account (C1.3, C9.1). */
export const promptShieldsFragment = fragment(
    "mcp-prompt-shields",
    "tools/call: sends the arguments to Prompt Shields with the gateway's managed identity; an attack is rejected, arguments over its input limit are 400, an unavailable screen fails as promptShieldsFailureMode says (closed or open).",
    (settings) => {
    const endpoint = settings.contentSafetyEndpoint.replace(/\/+$/, "");
    const url = `${endpoint}/contentsafety/text:shieldPrompt?api-version=${promptShieldsApiVersion}`;
    const argumentsExpression = argumentsTextExpression(str(vars.body), promptShieldsMaxChars);
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
    const tooLong = `${isToolsCall} && ${str(vars.shieldInput)}.Length > ${promptShieldsMaxChars}`;
    return [
        when(isToolsCall, [el("set-variable", { name: vars.shieldInput, value: argumentsExpression })]),
        // Prompt Shields takes at most 10K characters of user prompt (Learn, Content Safety overview,
        // "Input requirements"; documents add at most 10K more in total), and a policy has no loop to
        // screen chunks. Longer arguments are refused for what they are, whatever the failure mode:
        // 503 "try again later" invited retries that can never pass, and letting them through
        // unscreened (open mode) would let padding skip the screen. 400 -32602 (invalid params, as
        // MCP answers bad tool arguments), not 413: the body is within maxRequestBytes, one parameter
        // is over a limit. A branch of its own, before the screen: the policy pack reads the screen's
        // 4xx as its answer to an attack. String.Length counts UTF-16 units, never fewer than the
        // service's characters, so nothing that passes here is over the service's limit.
        when(
            tooLong,
            reject(
                securityEvents.envelopeRejected,
                { status: 400, reason: "Bad Request", code: rpcCodes.invalidParams, message: `Tool arguments longer than ${promptShieldsMaxChars} characters cannot be screened.` },
                csString(`tool arguments exceed the Prompt Shields input limit of ${promptShieldsMaxChars} characters`),
            ),
        ),
        when(isToolsCall, [
            el(
                "choose",
                {},
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
    ];
});


/** C9.2: the tools/list result's digest against the approved one; block or detect. */
export const manifestIntegrityFragment = fragment(
    "mcp-manifest-integrity",
    "tools/list: SHA-256 of the canonical result.tools of the response to this request compared with the server's approved digest (block or detect on drift, as manifestMode says).",
    (settings) => {
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
    return [
        when(`${rpcMethod} == "tools/list" && context.Response.StatusCode == 200`, [
            el("set-variable", { name: vars.manifestActual, value: manifestDigestExpression() }),
            when(drift, onDrift),
        ]),
    ];
});
