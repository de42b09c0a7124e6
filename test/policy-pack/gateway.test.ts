import { describe, expect, it } from "vitest";
import {
    azureApimanagementApiDisableTokenPassthrough,
    azureApimanagementApiEnableAuditTrace,
    azureApimanagementApiEnablePromptShields,
    azureApimanagementApiEnableSessionBinding,
    azureApimanagementApiEnableUserRateLimit,
    azureApimanagementApiEnforceProtocolVersion,
    azureApimanagementApiEnforceManifestIntegrity,
    azureApimanagementApiEnforceRequestValidation,
    azureApimanagementApiEnforceSecurityHeaders,
    azureApimanagementApiEnforceTokenValidation,
    azureApimanagementApiEnforceToolAuthorization,
    azureApimanagementDiagnosticDisableSensitiveLogging,
    azureApimanagementServiceDisableLegacyTls,
    azureApimanagementServiceEnableInternalVnet,
} from "../../policy-pack/policies/gateway";
import { buildApiPolicy, ServerPolicyInput } from "../../components/gateway/policy/apiPolicy";
import { buildFragments, fragmentId } from "../../components/gateway/policy/fragments";
import { FragmentSettings } from "../../components/gateway/policy/settings";
import { gatewayCustomProperties } from "../../components/gateway/service";
import { gatewayDiagnosticSettings } from "../../components/gateway/children";
import { el, serialize, XmlElement } from "../../components/gateway/policy/xml";
import { violationsOf } from "../helpers/policy";
import { planned } from "../helpers/resources";
import type { PlannedResource } from "../../tools/offline/types";

const tenantId = "11111111-2222-4333-8444-555555555555";
const settings: FragmentSettings = {
    protocolVersions: ["2025-11-25", "2026-07-28"],
    allowedOrigins: [],
    maxRequestBytes: 1_048_576,
    sessionIdleSeconds: 1800,
    sessionAbsoluteSeconds: 28800,
    promptShieldsFailureMode: "closed",
    manifestMode: "block",
    contentSafetyEndpoint: "https://cs.cognitiveservices.azure.com/",
    gatewayIdentityClientId: "99999999-8888-4777-8666-555555555555",
};
const server: ServerPolicyInput = {
    server: "docs",
    tenantId,
    apiAppClientId: "aaaaaaaa-0000-4000-8000-000000000001",
    apiIdentifierUri: `api://${tenantId}/docs`,
    requiredScope: "mcp.access",
    appRoleValues: ["Docs.Read"],
    clientApplicationIds: ["aebc6443-996d-45c2-90f0-388ff96faa56"],
    tools: { search_docs: "Docs.Read" },
    manifestDigest: `sha256:${"ab".repeat(32)}`,
    backendIdentifierUri: `api://${tenantId}/docs-backend`,
    backendId: "mcp-docs",
    gatewayIdentityClientId: settings.gatewayIdentityClientId,
    publicBaseUrl: "https://mcp.contoso.com",
    rateLimits: { perUserPerMinute: 60, perSessionPerMinute: 30, perUserToolPerMinute: 20, perUserDailyQuota: 5000 },
    fragmentIdPrefix: "gw",
};

const api = planned("azure-native:apimanagement:Api", "gw-api-docs", { apiId: "mcp-docs", path: "mcp/docs", serviceName: "apim" });
const fragments = (s: FragmentSettings = settings): PlannedResource[] =>
    buildFragments(s).map((f) => planned("azure-native:apimanagement:PolicyFragment", fragmentId("gw", f.id), { serviceName: "apim", format: "xml", value: serialize(f.root) }));
const apiPolicy = (value: string | undefined) =>
    planned("azure-native:apimanagement:ApiPolicy", "gw-api-docs-policy", { apiId: "mcp-docs", serviceName: "apim", format: "xml", value });
const platform = (protocolVersions: string[]) => planned("mcp:platform:McpPlatform", "platform", { protocolVersions }, { custom: false });

/** The generated policy with `edit` applied to the inbound section's children. */
function editedPolicy(edit: (inbound: XmlElement[]) => XmlElement[]): string {
    const root = buildApiPolicy(server);
    const children = root.children.map((c) => ("name" in c && c.name === "inbound" ? { ...c, children: edit(c.children as XmlElement[]) } : c));
    return serialize({ ...root, children });
}
const without = (name: string, pred: (e: XmlElement) => boolean = () => true) => (inbound: XmlElement[]) => inbound.filter((e) => !(e.name === name && pred(e)));
const compliant = () => [api, apiPolicy(serialize(buildApiPolicy(server))), ...fragments()];
const messages = async (policy: Parameters<typeof violationsOf>[0], resources: PlannedResource[]) => (await violationsOf(policy, resources)).map((v) => v.message);

/** The fragments with the one whose base id is `base` rewritten (as XML text) by `edit`. */
const fragmentsEdited = (base: string, edit: (xml: string) => string, s: FragmentSettings = settings): PlannedResource[] =>
    fragments(s).map((f) => (f.name === fragmentId("gw", base) ? { ...f, inputs: { ...f.inputs, value: edit(String(f.inputs.value)) } } : f));
const withFragments = (fs: PlannedResource[], policyXml = serialize(buildApiPolicy(server))) => [api, apiPolicy(policyXml), ...fs];
const emptied = (base: string) => fragmentsEdited(base, () => "<fragment/>");
/** The generated API policy with `edit` applied to its root's sections. */
const editedSections = (edit: (sections: XmlElement[]) => XmlElement[]) => {
    const root = buildApiPolicy(server);
    return serialize({ ...root, children: edit(root.children as XmlElement[]) });
};
const isInclude = (base: string) => (e: XmlElement) => e.name === "include-fragment" && e.attributes["fragment-id"] === fragmentId("gw", base);
/** Wraps the inbound include of `base` in a condition that never holds. */
const hiddenInCondition = (base: string) => apiPolicy(editedPolicy((inbound) => inbound.map((e) => (isInclude(base)(e) ? el("choose", {}, el("when", { condition: "@(false)" }, e)) : e))));
const profilePlatform = (profile: string) => planned("mcp:platform:McpPlatform", "platform", { profile, protocolVersions: settings.protocolVersions }, { custom: false });

const apiPolicies = [
    azureApimanagementApiEnforceTokenValidation,
    azureApimanagementApiDisableTokenPassthrough,
    azureApimanagementApiEnforceProtocolVersion,
    azureApimanagementApiEnableSessionBinding,
    azureApimanagementApiEnableUserRateLimit,
    azureApimanagementApiEnforceRequestValidation,
    azureApimanagementApiEnforceToolAuthorization,
    azureApimanagementApiEnablePromptShields,
    azureApimanagementApiEnforceManifestIntegrity,
    azureApimanagementApiEnforceSecurityHeaders,
    azureApimanagementApiEnableAuditTrace,
];

describe("MCP API policies (shared cases)", () => {
    for (const policy of apiPolicies) {
        it(`${policy.name} accepts the gateway's generated policy with its fragments resolved`, async () => {
            expect(await violationsOf(policy, compliant())).toEqual([]);
            expect(await violationsOf(policy, [...compliant(), platform(["2025-11-25", "2026-07-28"])])).toEqual([]);
        });
        it(`${policy.name} rejects an MCP API without an API policy (unset)`, async () => {
            expect(await messages(policy, [api, ...fragments()])).toEqual([expect.stringContaining("Api gw-api-docs must have an API policy (none is attached)")]);
        });
        it(`${policy.name} rejects an API policy whose fragments do not exist`, async () => {
            expect(await messages(policy, [api, apiPolicy(serialize(buildApiPolicy(server)))])).toEqual([
                expect.stringContaining("must include only policy fragments that exist (missing: gw-mcp-resource-metadata"),
            ]);
        });
    }

    it("ignores APIs that are not MCP APIs", async () => {
        const other = planned("azure-native:apimanagement:Api", "echo", { apiId: "echo", path: "echo", serviceName: "apim" });
        expect(await violationsOf(azureApimanagementApiEnforceTokenValidation, [other])).toEqual([]);
    });
});

describe("azure-apimanagement-api-enforce-token-validation (M1, M2, M3, C7.2, C7.3)", () => {
    it("rejects an API policy without token validation", async () => {
        const policy = apiPolicy(editedPolicy(without("validate-azure-ad-token")));
        expect(await messages(azureApimanagementApiEnforceTokenValidation, [api, policy, ...fragments()])).toEqual([
            "Api gw-api-docs must validate every request's token with validate-azure-ad-token in inbound, outside any condition (M1, M2, M3, C7.2, C7.3).",
        ]);
    });

    it("rejects validation hidden inside a condition", async () => {
        const policy = apiPolicy(
            editedPolicy((inbound) => inbound.map((e) => (e.name === "validate-azure-ad-token" ? el("choose", {}, el("when", { condition: "@(false)" }, e)) : e))),
        );
        expect(await violationsOf(azureApimanagementApiEnforceTokenValidation, [api, policy, ...fragments()])).toHaveLength(1);
    });

    it("rejects an audience taken from the request instead of pinned", async () => {
        const policy = apiPolicy(
            editedPolicy((inbound) =>
                inbound.map((e) =>
                    e.name === "validate-azure-ad-token"
                        ? { ...e, children: e.children.map((c) => ("name" in c && c.name === "audiences" ? el("audiences", {}, el("audience", {}, "@(context.Request.OriginalUrl.Host)")) : c)) }
                        : e,
                ),
            ),
        );
        expect(await messages(azureApimanagementApiEnforceTokenValidation, [api, policy, ...fragments()])).toEqual([expect.stringContaining("pin the token audience to literal values")]);
    });

    it("rejects a tenant given by expression", async () => {
        const policy = apiPolicy(
            editedPolicy((inbound) => inbound.map((e) => (e.name === "validate-azure-ad-token" ? { ...e, attributes: { ...e.attributes, "tenant-id": "@(context.Request.Headers.GetValueOrDefault(\"t\",\"\"))" } } : e))),
        );
        expect(await messages(azureApimanagementApiEnforceTokenValidation, [api, policy, ...fragments()])).toEqual([expect.stringContaining("pin the token tenant")]);
    });

    it("rejects token validation that requires neither scope nor app roles (C7.3)", async () => {
        const policy = apiPolicy(
            editedPolicy((inbound) =>
                inbound.map((e) => (e.name === "validate-azure-ad-token" ? { ...e, children: e.children.filter((c) => !("name" in c && c.name === "required-claims")) } : e)),
            ),
        );
        expect(await messages(azureApimanagementApiEnforceTokenValidation, [api, policy, ...fragments()])).toEqual([
            "Api gw-api-docs must require the server's scope or app roles (required-claims with a literal scp or roles value) (M1, M2, M3, C7.2, C7.3).",
        ]);
    });

    it("rejects a policy document that is not XML", async () => {
        expect(await messages(azureApimanagementApiEnforceTokenValidation, [api, apiPolicy("<policies><inbound>"), ...fragments()])).toEqual([
            expect.stringContaining("must have a well-formed <policies> API policy"),
        ]);
    });
});

describe("azure-apimanagement-api-disable-token-passthrough (C7.1)", () => {
    it("rejects a policy that forwards the caller's Authorization header", async () => {
        const policy = apiPolicy(editedPolicy(without("set-header", (e) => e.attributes.name === "Authorization")));
        expect(await messages(azureApimanagementApiDisableTokenPassthrough, [api, policy, ...fragments()])).toEqual([
            "Api gw-api-docs must delete the caller's Authorization header before forwarding (no token passthrough) (C7.1).",
        ]);
    });

    it("rejects a policy without managed-identity authentication to the backend", async () => {
        const policy = apiPolicy(editedPolicy(without("authentication-managed-identity")));
        expect(await messages(azureApimanagementApiDisableTokenPassthrough, [api, policy, ...fragments()])).toEqual([
            expect.stringContaining("authenticate to the backend with authentication-managed-identity"),
        ]);
    });
});

describe("azure-apimanagement-api-enforce-protocol-version (C3.4)", () => {
    it("rejects an API whose protocol-version fragment is swapped for an empty one", async () => {
        const emptied = fragments().map((f) =>
            f.name.endsWith("mcp-protocol-version") || f.name.endsWith("mcp-envelope") ? { ...f, inputs: { ...f.inputs, value: "<fragment/>" } } : f,
        );
        const [message] = await messages(azureApimanagementApiEnforceProtocolVersion, [api, apiPolicy(serialize(buildApiPolicy(server))), ...emptied]);
        expect(message).toContain("must check the MCP protocol version in inbound (nothing reads MCP-Protocol-Version");
    });

    it("requires the 2026-07-28 header checks only when the platform allows that revision", async () => {
        const legacyOnly = fragments({ ...settings, protocolVersions: ["2025-11-25"] });
        const policy = apiPolicy(serialize(buildApiPolicy(server)));
        expect(await violationsOf(azureApimanagementApiEnforceProtocolVersion, [api, policy, ...legacyOnly, platform(["2025-11-25"])])).toEqual([]);
        // Without a platform declaration every revision is assumed (fail closed).
        const stripped = legacyOnly.map((f) => ({ ...f, inputs: { ...f.inputs, value: String(f.inputs.value).replace(/Mcp-Name/g, "X") } }));
        expect(await messages(azureApimanagementApiEnforceProtocolVersion, [api, policy, ...stripped])).toEqual([expect.stringContaining("Mcp-Name")]);
    });
});

describe("azure-apimanagement-api-enable-session-binding (M4, C8.2, C8.3, C7.4, C8.1)", () => {
    it("names the session controls: bound to the token subject (C7.4), random-length ids (C8.1)", () => {
        expect(azureApimanagementApiEnableSessionBinding.controls).toEqual(expect.arrayContaining(["M4", "C8.2", "C8.3", "C7.4", "C8.1"]));
    });

    it("rejects a session id check that admits short, guessable ids (C8.1)", async () => {
        const weak = fragmentsEdited("mcp-session", (xml) => xml.replace("{16,128}", "{1,128}"));
        expect(await messages(azureApimanagementApiEnableSessionBinding, withFragments(weak))).toEqual([
            "Api gw-api-docs must reject malformed session ids in inbound with 400 (a Regex.IsMatch check admitting no id shorter than 16 characters) (M4, C8.2, C8.3, C7.4, C8.1).",
        ]);
    });

    it("rejects an API that never checks the session id's format", async () => {
        const unchecked = fragmentsEdited("mcp-session", (xml) => xml.replace(/Regex\.IsMatch/g, "String.Equals"));
        expect(await messages(azureApimanagementApiEnableSessionBinding, withFragments(unchecked))).toEqual([expect.stringContaining("reject malformed session ids")]);
    });

    it("rejects an API that never stores the session binding", async () => {
        const noBind = fragments().map((f) => (f.name.endsWith("mcp-session-bind") ? { ...f, inputs: { ...f.inputs, value: "<fragment/>" } } : f));
        expect(await messages(azureApimanagementApiEnableSessionBinding, [api, apiPolicy(serialize(buildApiPolicy(server))), ...noBind])).toEqual([
            expect.stringContaining("store each session binding keyed by the caller's oid and the session id (cache-store-value)"),
        ]);
    });

    it("does not require sessions when the platform allows only the stateless revision", async () => {
        const stateless = [api, apiPolicy(serialize(buildApiPolicy(server))), ...fragments().map((f) => ({ ...f, inputs: { ...f.inputs, value: "<fragment/>" } }))];
        expect(await violationsOf(azureApimanagementApiEnableSessionBinding, [...stateless, platform(["2026-07-28"])])).toEqual([]);
        expect(await violationsOf(azureApimanagementApiEnableSessionBinding, stateless)).toHaveLength(1);
    });
});

describe("azure-apimanagement-api-enable-user-rate-limit (C4.1)", () => {
    it("rejects an API without a per-user rate limit", async () => {
        const policy = apiPolicy(editedPolicy(without("rate-limit-by-key")));
        expect(await messages(azureApimanagementApiEnableUserRateLimit, [api, policy, ...fragments()])).toEqual([
            "Api gw-api-docs must rate-limit every caller by oid with rate-limit-by-key in inbound, outside any condition (C4.1).",
        ]);
    });

    it("rejects a rate limit keyed on something other than the user", async () => {
        const policy = apiPolicy(
            editedPolicy((inbound) => inbound.map((e) => (e.name === "rate-limit-by-key" ? { ...e, attributes: { ...e.attributes, "counter-key": "@(context.Request.IpAddress)" } } : e))),
        );
        expect(await violationsOf(azureApimanagementApiEnableUserRateLimit, [api, policy, ...fragments()])).toHaveLength(1);
    });
});

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

describe("azure-apimanagement-api-enforce-tool-authorization (C2.2, C7.3)", () => {
    const policy = azureApimanagementApiEnforceToolAuthorization;

    it("rejects an API without the tool authorisation check", async () => {
        expect(await messages(policy, withFragments(emptied("mcp-tool-authorization")))).toEqual([
            "Api gw-api-docs must authorise every tools/call by the tool's required app role (roles claim), answering 403, in inbound outside any other condition (C2.2, C7.3).",
        ]);
    });

    it("rejects a tool check hidden inside another condition", async () => {
        expect(await violationsOf(policy, [api, hiddenInCondition("mcp-tool-authorization"), ...fragments()])).toHaveLength(1);
    });

    it("rejects a tool check that never refuses (no 403 answer)", async () => {
        const toothless = fragmentsEdited("mcp-tool-authorization", (xml) => xml.replace(/code="403"/g, 'code="200"'));
        expect(await violationsOf(policy, withFragments(toothless))).toHaveLength(1);
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
        expect(await violationsOf(policy, [api, hiddenInCondition("mcp-prompt-shields"), ...fragments()])).toHaveLength(1);
    });

    it("rejects a Prompt Shields call authenticated with a key", async () => {
        const keyed = fragmentsEdited("mcp-prompt-shields", (xml) =>
            xml.replace(/<authentication-managed-identity[^>]*\/>/, '<set-header name="Ocp-Apim-Subscription-Key" exists-action="override"><value>{{cs-key}}</value></set-header>'),
        );
        expect(await messages(policy, withFragments(keyed))).toEqual([expect.stringContaining("call Prompt Shields with the gateway's managed identity")]);
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
            "Api gw-api-docs must block a tools/list result whose digest drifted (5xx answer; manifestMode block) in the prod profile (C9.2).",
        ]);
    });

    it("treats a stack without a platform declaration as prod", async () => {
        expect(await messages(policy, withFragments(detect()))).toEqual([expect.stringContaining("in the unknown (treated as prod) profile")]);
    });

    it("rejects an API without the digest comparison, even in dev", async () => {
        expect(await messages(policy, [...withFragments(emptied("mcp-manifest-integrity")), profilePlatform("dev")])).toEqual([
            expect.stringContaining("compare the SHA-256 digest of every tools/list result with the approved digest in outbound"),
        ]);
    });

    it("rejects an API without a pinned approved digest", async () => {
        const unpinned = apiPolicy(editedPolicy(without("set-variable", (e) => e.attributes.name === "mcpManifestDigest")));
        expect(await messages(policy, [api, unpinned, ...fragments()])).toEqual([expect.stringContaining("pin the approved tools/list digest as a literal sha256:<64 hex> value")]);
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
        expect(await violationsOf(policy, [api, hiddenInCondition("mcp-audit"), ...fragments()])).toHaveLength(1);
    });

    it("rejects an audit trace emitted before token validation", async () => {
        const early = editedPolicy((inbound) => {
            const audit = inbound.find(isInclude("mcp-audit"))!;
            return [audit, ...inbound.filter((e) => e !== audit)];
        });
        expect(await messages(policy, [api, apiPolicy(early), ...fragments()])).toEqual([expect.stringContaining("after token validation")]);
    });

    it("rejects an audit event that logs the request body", async () => {
        const verbose = fragmentsEdited("mcp-audit", (xml) => xml.replace("return e.ToString", 'e["args"] = context.Request.Body.As&lt;string&gt;(preserveContent: true);\nreturn e.ToString'));
        expect(await messages(policy, withFragments(verbose))).toEqual([expect.stringContaining("keep the audit event minimal")]);
    });
});

describe("azure-apimanagement-diagnostic-disable-sensitive-logging (C5.3, A5)", () => {
    const policy = azureApimanagementDiagnosticDisableSensitiveLogging;
    const diagnostic = (inputs: Record<string, any>, type = "azure-native:apimanagement:Diagnostic") => planned(type, "gw-diagnostic", { diagnosticId: "azuremonitor", ...inputs });
    const settingsWith = (edit: (s: any) => void) => {
        // A JSON copy: the settings share one request/response object between frontend and backend.
        const s = JSON.parse(JSON.stringify(gatewayDiagnosticSettings()));
        edit(s);
        return s;
    };

    it("accepts the gateway's diagnostic settings on the service and on an API", async () => {
        expect(await violationsOf(policy, [diagnostic(gatewayDiagnosticSettings())])).toEqual([]);
        expect(await violationsOf(policy, [diagnostic(gatewayDiagnosticSettings(), "azure-native:apimanagement:ApiDiagnostic")])).toEqual([]);
    });

    it("rejects a diagnostic that logs response bodies", async () => {
        const inputs = settingsWith((s) => (s.frontend.response.body.bytes = 8192));
        expect(await messages(policy, [diagnostic(inputs)])).toEqual(["Diagnostic gw-diagnostic must log no response bodies (frontend.response.body.bytes 0, got 8192) (C5.3, A5)."]);
    });

    it("rejects a diagnostic that logs the Authorization header unmasked", async () => {
        const inputs = settingsWith((s) => {
            s.backend.request.headers = ["Authorization"];
            s.backend.request.dataMasking = { headers: [] };
        });
        const found = await messages(policy, [diagnostic(inputs, "azure-native:apimanagement:ApiDiagnostic")]);
        expect(found).toContain("ApiDiagnostic gw-diagnostic must log no credential header unmasked (backend.request.headers has Authorization) (C5.3, A5).");
        expect(found).toContain("ApiDiagnostic gw-diagnostic must mask the Authorization and Cookie headers (backend.request.dataMasking.headers, mode Mask) (C5.3, A5).");
    });

    it("rejects a diagnostic that masks Authorization but not Cookie", async () => {
        const inputs = settingsWith((s) => (s.frontend.request.dataMasking.headers = s.frontend.request.dataMasking.headers.filter((h: any) => h.value !== "Cookie")));
        expect(await messages(policy, [diagnostic(inputs)])).toEqual([expect.stringContaining("must mask the Cookie header (frontend.request.dataMasking.headers")]);
    });

    it("rejects a diagnostic without frontend and backend settings (unset: no masking)", async () => {
        expect(await messages(policy, [diagnostic({})])).toEqual([
            expect.stringContaining("mask the Authorization and Cookie headers (frontend.request.dataMasking.headers"),
            expect.stringContaining("mask the Authorization and Cookie headers (backend.request.dataMasking.headers"),
        ]);
    });
});

const service = (inputs: Record<string, any>) => planned("azure-native:apimanagement:ApiManagementService", "gw-service", inputs);

describe("azure-apimanagement-service-disable-legacy-tls (C3.1)", () => {
    it("accepts the full TLS set the gateway sends", async () => {
        expect(await violationsOf(azureApimanagementServiceDisableLegacyTls, [service({ customProperties: gatewayCustomProperties("Premium") })])).toEqual([]);
        expect(await violationsOf(azureApimanagementServiceDisableLegacyTls, [service({ customProperties: gatewayCustomProperties("PremiumV2") })])).toEqual([]);
    });

    it("rejects TLS 1.0 left on at the backend side", async () => {
        const customProperties = { ...gatewayCustomProperties("Premium"), "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls10": "True" };
        expect(await messages(azureApimanagementServiceDisableLegacyTls, [service({ customProperties })])).toEqual([
            "ApiManagementService gw-service must set the TLS settings Security.Backend.Protocols.Tls10=false in customProperties (C3.1).",
        ]);
    });

    it("rejects a set that omits a key (absent resets to the service default)", async () => {
        const { ["Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls13"]: _, ...customProperties } = gatewayCustomProperties("Premium");
        expect(await messages(azureApimanagementServiceDisableLegacyTls, [service({ customProperties })])).toEqual([expect.stringContaining("Security.Protocols.Tls13=true")]);
    });

    it("rejects a service with no customProperties at all", async () => {
        const [violation] = await violationsOf(azureApimanagementServiceDisableLegacyTls, [service({})]);
        expect(violation.message).toContain("Security.Protocols.Ssl30=false");
        expect(violation.message).toContain("Ciphers.TripleDes168=false");
    });
});

describe("azure-apimanagement-service-enable-internal-vnet (C10.3, A2)", () => {
    const subnet = { subnetResourceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/gw" };
    it("accepts an internal, subnet-injected gateway", async () => {
        expect(await violationsOf(azureApimanagementServiceEnableInternalVnet, [service({ virtualNetworkType: "Internal", virtualNetworkConfiguration: subnet })])).toEqual([]);
    });
    it("rejects an external VNet gateway", async () => {
        expect(await messages(azureApimanagementServiceEnableInternalVnet, [service({ virtualNetworkType: "External", virtualNetworkConfiguration: subnet })])).toEqual([
            "ApiManagementService gw-service must run in Internal VNet mode (virtualNetworkType is External) (C10.3, A2).",
        ]);
    });
    it("rejects a gateway with no VNet settings (unset)", async () => {
        expect(await violationsOf(azureApimanagementServiceEnableInternalVnet, [service({})])).toHaveLength(2);
    });
});
