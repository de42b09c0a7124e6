import { describe, expect, it } from "vitest";
import {
    azureApimanagementApiEnableAuditTrace,
    azureApimanagementApiEnablePromptShields,
    azureApimanagementApiEnforceManifestIntegrity,
    azureApimanagementApiEnforceRequestValidation,
    azureApimanagementApiEnforceSecurityHeaders,
} from "../../policy-pack/policies/gateway/mcpApiContent";
import { violationsOf } from "../helpers/policy";
import { planned } from "../helpers/resources";
import {
    api,
    apiPolicy,
    editedPolicy,
    editedSections,
    emptied,
    fragments,
    fragmentsEdited,
    hiddenInCondition,
    isInclude,
    messages,
    peers,
    profilePlatform,
    q,
    replaced,
    withFragment,
    withPolicy,
    settings,
    withFragments,
    without,
} from "./gateway.fixture";

describe("azure-apimanagement-api-enforce-request-validation (C1.1, C1.2, C9.4)", () => {
    const policy = azureApimanagementApiEnforceRequestValidation;

    it("rejects an API that accepts any Content-Type", async () => {
        const noMediaType = fragmentsEdited("mcp-envelope", (xml) => xml.replace(/<when condition="@\(!context\.Request\.Headers\.GetValueOrDefault\(&quot;Content-Type&quot;[\s\S]*?<\/when>/, ""));
        expect(await messages(policy, withFragments(noMediaType))).toEqual([
            "Api gw-api-docs must reject a request whose Content-Type is not application/json with 415 in inbound (C1.1, C1.2, C9.4).",
        ]);
    });

    it("rejects a size limit above the pack's maximum, unless the pack config raises it", async () => {
        const large = fragments({ ...settings, maxRequestBytes: 8_388_608 });
        expect(await messages(policy, withFragments(large))).toEqual([expect.stringContaining("limit the request body to at most 4194304 bytes")]);
        expect(await violationsOf(policy, withFragments(large), { [policy.name]: { maxRequestBytes: 8_388_608 } })).toEqual([]);
    });

    it("rejects an API without a size limit", async () => {
        const unlimited = fragmentsEdited("mcp-envelope", (xml) => xml.replace(/code="413"/g, 'code="200"'));
        expect(await messages(policy, withFragments(unlimited))).toEqual([expect.stringContaining("limit the request body")]);
    });

    it("rejects an API that reads the JSON-RPC envelope but never rejects an invalid one", async () => {
        const lenient = fragmentsEdited("mcp-envelope", (xml) => xml.replace(/<when condition="@\(\(string\)JObject\.Parse\(context\.Variables\.GetValueOrDefault&lt;string&gt;\(&quot;mcpEnvelope&quot;[\s\S]*?<\/when>/, ""));
        expect(await messages(policy, withFragments(lenient))).toEqual([expect.stringContaining("validate the JSON-RPC 2.0 envelope")]);
    });

    it("rejects an API without the Origin check", async () => {
        expect(await messages(policy, withFragments(emptied("mcp-origin")))).toEqual([
            "Api gw-api-docs must reject a present Origin header outside a literal allow-list (no wildcard) with 403 in inbound (C1.1, C1.2, C9.4).",
        ]);
    });

    it("rejects a wildcard Origin allow-list", async () => {
        expect(await messages(policy, withFragments(fragments({ ...settings, allowedOrigins: ["*"] })))).toEqual([expect.stringContaining("no wildcard")]);
    });
});

describe("azure-apimanagement-api-enable-prompt-shields (C1.3, C9.1)", () => {
    const policy = azureApimanagementApiEnablePromptShields;
    const failOpen = () => withFragments(fragments({ ...settings, promptShieldsFailureMode: "open" }));

    it("rejects a fail-open screen by default", async () => {
        expect(await messages(policy, failOpen())).toEqual([
            "Api gw-api-docs must fail closed (answer 5xx) when Prompt Shields cannot screen a tools/call (promptShieldsFailureMode closed; allowFailOpen is off) (C1.3, C9.1).",
        ]);
    });

    it("accepts a fail-open screen only when the pack config allows it", async () => {
        expect(await violationsOf(policy, failOpen(), { [policy.name]: { allowFailOpen: true } })).toEqual([]);
    });

    it("rejects an API without the Prompt Shields call", async () => {
        expect(await messages(policy, withFragments(emptied("mcp-prompt-shields")))).toEqual([expect.stringContaining("screen every tools/call's arguments with Prompt Shields")]);
    });

    it("rejects a screen hidden inside another condition", async () => {
        expect(await violationsOf(policy, [api, hiddenInCondition("mcp-prompt-shields"), ...fragments(), ...peers()])).toHaveLength(1);
    });

    it("rejects a Prompt Shields call authenticated with a key", async () => {
        const keyed = fragmentsEdited("mcp-prompt-shields", (xml) =>
            xml.replace(/<authentication-managed-identity[^>]*\/>/, '<set-header name="Ocp-Apim-Subscription-Key" exists-action="override"><value>{{cs-key}}</value></set-header>'),
        );
        expect(await messages(policy, withFragments(keyed))).toEqual([expect.stringContaining("call Prompt Shields with the gateway's managed identity")]);
    });

    it.each<[string, (xml: string) => string]>([
        [
            "an attack answered 200 beside an unrelated 4xx inside the screen",
            (xml) =>
                replaced(
                    replaced(xml, /(prompt_attack[\s\S]*?<set-status code=")400"/, '$1200"'),
                    "</send-request>",
                    `</send-request><choose><when condition="@(context.Request.Headers.ContainsKey(${q}X-Block${q}))"><return-response><set-status code="403" reason="Forbidden"/></return-response></when></choose>`,
                ),
        ],
        ["a verdict that ignores the Prompt Shields response", (xml) => replaced(xml, /(<set-variable name="mcpShieldVerdict" value=")[^"]*"/, `$1@(${q}clean${q})"`)],
        ["the 4xx moved to the unavailable branch (attack answered 503)", (xml) => replaced(replaced(xml, /(prompt_attack[\s\S]*?<set-status code=")400"/, '$1503"'), /(safety_unavailable[\s\S]*?<set-status code=")503"/, '$1400"')],
    ])("rejects %s (the attack answer is told apart from other 4xx)", async (_what, edit) => {
        expect(await messages(policy, withFragments(fragmentsEdited("mcp-prompt-shields", edit)))).toEqual([expect.stringContaining("reject tools/call arguments Prompt Shields flags as an attack")]);
    });

    it("rejects a screen that lets detected attacks through", async () => {
        const ignored = fragmentsEdited("mcp-prompt-shields", (xml) => xml.replace(/code="400"/g, 'code="200"'));
        expect(await messages(policy, withFragments(ignored))).toEqual([expect.stringContaining("reject tools/call arguments Prompt Shields flags as an attack")]);
    });
});

describe("azure-apimanagement-api-enforce-manifest-integrity (C9.2)", () => {
    const policy = azureApimanagementApiEnforceManifestIntegrity;
    const detect = () => fragments({ ...settings, manifestMode: "detect" });

    it("accepts detect mode in the dev profile", async () => {
        expect(await violationsOf(policy, [...withFragments(detect()), profilePlatform("dev")])).toEqual([]);
    });

    it("rejects detect mode in the prod profile", async () => {
        expect(await messages(policy, [...withFragments(detect()), profilePlatform("prod")])).toEqual([
            "Api gw-api-docs must block a tools/list result whose digest drifted (5xx answer; manifestMode block) under the prod profile (C9.2).",
        ]);
    });

    it("treats a stack without a platform declaration as prod", async () => {
        expect(await messages(policy, withFragments(detect()))).toEqual([expect.stringContaining("under an undeclared profile (treated as prod; a stack without the platform component declares it with the pack config profile)")]);
    });

    it("lets a stack without the platform component declare the dev profile in the pack config", async () => {
        expect(await violationsOf(policy, withFragments(detect()), { [policy.name]: { profile: "dev" } })).toEqual([]);
    });

    it("rejects an API without the digest comparison, even in dev", async () => {
        expect(await messages(policy, [...withFragments(emptied("mcp-manifest-integrity")), profilePlatform("dev")])).toEqual([
            expect.stringContaining("compare the SHA-256 digest of every tools/list result with the approved digest in outbound"),
        ]);
    });

    it("rejects an API without a pinned approved digest", async () => {
        const unpinned = apiPolicy(editedPolicy(without("set-variable", (e) => e.attributes.name === "mcpManifestDigest")));
        expect(await messages(policy, [api, unpinned, ...fragments(), ...peers()])).toEqual([expect.stringContaining("pin the approved tools/list digest as a literal sha256:<64 hex> value")]);
    });
});

describe("azure-apimanagement-api-enforce-security-headers (C8.4, C1.4)", () => {
    const policy = azureApimanagementApiEnforceSecurityHeaders;

    it("rejects an API without HSTS in outbound", async () => {
        const noHsts = fragmentsEdited("mcp-security-headers", (xml) => xml.replace(/<set-header name="Strict-Transport-Security"[\s\S]*?<\/set-header>/, ""));
        expect(await messages(policy, withFragments(noHsts))).toEqual([
            "Api gw-api-docs must set the security headers unconditionally in outbound (strict-transport-security: max-age of at least 31536000) (C8.4, C1.4).",
        ]);
    });

    it("rejects a short HSTS max-age and a kept Server header", async () => {
        const weak = fragmentsEdited("mcp-security-headers", (xml) =>
            xml.replace("max-age=31536000", "max-age=300").replace(/<set-header name="Server" exists-action="delete"\/>/, ""),
        );
        const [message] = await messages(policy, withFragments(weak));
        expect(message).toContain("strict-transport-security: max-age of at least 31536000");
        expect(message).toContain("delete Server");
    });

    it("rejects an API policy without an on-error section (unset)", async () => {
        const noOnError = editedSections((sections) => sections.filter((c) => c.name !== "on-error"));
        expect(await messages(policy, withFragments(fragments(), noOnError))).toEqual([expect.stringContaining("answer errors from an on-error section (none exists)")]);
    });

    it("rejects an on-error section without a catch-all answer", async () => {
        const partial = fragmentsEdited("mcp-on-error", (xml) => xml.replace(/<otherwise>[\s\S]*?<\/otherwise>/, ""));
        expect(await messages(policy, withFragments(partial))).toEqual([expect.stringContaining("answer every error in on-error")]);
    });

    it("rejects an on-error answer that exposes context.LastError", async () => {
        const leaky = fragmentsEdited("mcp-on-error", (xml) => xml.replace("&quot;Request failed.&quot;", "context.LastError.Message"));
        expect(await messages(policy, withFragments(leaky))).toEqual([expect.stringContaining("answer errors without internals")]);
    });

    it("rejects on-error answers without the security headers", async () => {
        const bare = fragmentsEdited("mcp-on-error", (xml) => xml.replace(/<set-header name="X-Content-Type-Options"[\s\S]*?<\/set-header>/g, ""));
        expect(await messages(policy, withFragments(bare))).toEqual([expect.stringContaining("set the security headers on every on-error answer too")]);
    });
});

describe("azure-apimanagement-api-enable-audit-trace (C5.1, C10.4)", () => {
    const policy = azureApimanagementApiEnableAuditTrace;

    it("rejects an API without the per-call audit trace", async () => {
        expect(await messages(policy, withFragments(emptied("mcp-audit")))).toEqual([
            "Api gw-api-docs must emit the mcp.audit.call trace (source mcp-gateway) for every request in inbound, outside any condition (C5.1, C10.4).",
        ]);
    });

    it("rejects an audit trace inside a condition", async () => {
        expect(await violationsOf(policy, [api, hiddenInCondition("mcp-audit"), ...fragments(), ...peers()])).toHaveLength(1);
    });

    it("rejects an audit trace emitted before token validation", async () => {
        const early = editedPolicy((inbound) => {
            const audit = inbound.find(isInclude("mcp-audit"))!;
            return [audit, ...inbound.filter((e) => e !== audit)];
        });
        expect(await messages(policy, [api, apiPolicy(early), ...fragments(), ...peers()])).toEqual([expect.stringContaining("after token validation")]);
    });

    it("rejects an audit event that logs the request body", async () => {
        const verbose = fragmentsEdited("mcp-audit", (xml) => xml.replace("return e.ToString", 'e["args"] = context.Request.Body.As&lt;string&gt;(preserveContent: true);\nreturn e.ToString'));
        expect(await messages(policy, withFragments(verbose))).toEqual([expect.stringContaining("keep the audit event minimal")]);
    });
});

/** One violating case per way of weakening a value the content policies compare. */
describe("MCP API content: every weaker value is rejected", () => {
    const v = (name: string) => `context.Variables.GetValueOrDefault&lt;string&gt;(${q}${name}${q}, ${q}${q})`;
    const cases: [string, (typeof azureApimanagementApiEnforceRequestValidation), ReturnType<typeof withPolicy>, string][] = [
        ["a body check looser than the cap (only Content-Length bounded)", azureApimanagementApiEnforceRequestValidation, withFragment("mcp-envelope", /(GetByteCount\([^)]*\)\) &gt; )1048576/, "$11073741824"), "admit no request body above 4194304 bytes"],
        ["a size check on the Content-Length header only", azureApimanagementApiEnforceRequestValidation, withFragment("mcp-envelope", /Encoding\.UTF8\.GetByteCount\([^)]*\)\)/, `long.Parse(context.Request.Headers.GetValueOrDefault(${q}Content-Length${q}, ${q}0${q}))`), "measure the request body itself"],
        ["a wildcard Origin", azureApimanagementApiEnforceRequestValidation, withFragment("mcp-origin", /new string\[\] \{[^}]*\}/, `new string[] { ${q}*${q} }`), "no wildcard"],
        ["Prompt Shields on a foreign account", azureApimanagementApiEnablePromptShields, withFragment("mcp-prompt-shields", /<set-url>https:\/\/[^/]+\//, "<set-url>https://attacker.cognitiveservices.azure.com/"), "call the stack's own Content Safety account"],
        ["Prompt Shields on a computed URL", azureApimanagementApiEnablePromptShields, withFragment("mcp-prompt-shields", /<set-url>[^<]+<\/set-url>/, `<set-url>@(${v("u")} + "/contentsafety/text:shieldPrompt")</set-url>`), "fails closed"],
        ["a Prompt Shields token for another resource", azureApimanagementApiEnablePromptShields, withFragment("mcp-prompt-shields", 'resource="https://cognitiveservices.azure.com"', 'resource="https://management.azure.com"'), "request the Prompt Shields token for https://cognitiveservices.azure.com"],
        ["an attack answered 200", azureApimanagementApiEnablePromptShields, withFragment("mcp-prompt-shields", /code="400"/g, 'code="200"'), "reject tools/call arguments Prompt Shields flags"],
        ["a manifest compared with itself", azureApimanagementApiEnforceManifestIntegrity, withFragment("mcp-manifest-integrity", `!= ${v("mcpManifestDigest")}`, `!= ${v("mcpManifestActual")}`), "compare the computed tools/list digest with the pinned digest"],
        ["a truncated pinned digest", azureApimanagementApiEnforceManifestIntegrity, withPolicy(/(name="mcpManifestDigest" value="sha256:)[0-9a-f]{64}"/, '$1abc"'), "pin the approved tools/list digest"],
        ["LastError in an on-error header", azureApimanagementApiEnforceSecurityHeaders, withFragment("mcp-on-error", '<set-header name="Server" exists-action="delete"/>', '<set-header name="X-Error" exists-action="override"><value>@(context.LastError.Message)</value></set-header><set-header name="Server" exists-action="delete"/>'), "header X-Error reads context.LastError"],
        ["HSTS of one day", azureApimanagementApiEnforceSecurityHeaders, withFragment("mcp-security-headers", /max-age=31536000/g, "max-age=86400"), "max-age of at least 31536000"],
        ["X-Frame-Options SAMEORIGIN", azureApimanagementApiEnforceSecurityHeaders, withFragment("mcp-security-headers", /<value>DENY<\/value>/g, "<value>SAMEORIGIN</value>"), "x-frame-options: DENY"],
        ["a cacheable response", azureApimanagementApiEnforceSecurityHeaders, withFragment("mcp-security-headers", /<value>no-store<\/value>/g, "<value>public</value>"), "cache-control: no-store"],
    ];
    it.each(cases)("rejects %s", async (_what, policy, resources, expected) => {
        expect(await messages(policy, resources)).toEqual([expect.stringContaining(expected)]);
    });

    it("compares the body limit with the declared maxRequestBytes when the platform declares one", async () => {
        const declaring = (maxRequestBytes: number) => planned("mcp:platform:McpPlatform", "platform", { protocolVersions: settings.protocolVersions, maxRequestBytes }, { custom: false });
        expect(await messages(azureApimanagementApiEnforceRequestValidation, [...withFragments(fragments()), declaring(65_536)])).toEqual([
            expect.stringContaining("limit the request body to at most 65536 bytes"),
        ]);
        expect(await messages(azureApimanagementApiEnforceRequestValidation, [...withFragments(fragments()), declaring(settings.maxRequestBytes)])).toEqual([]);
    });
});
