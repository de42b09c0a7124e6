import { describe, expect, it } from "vitest";
import {
    azureApimanagementApiDisableTokenPassthrough,
    azureApimanagementApiEnableSessionBinding,
    azureApimanagementApiEnableUserRateLimit,
    azureApimanagementApiEnforceProtocolVersion,
    azureApimanagementApiEnforceTokenValidation,
    azureApimanagementApiEnforceToolAuthorization,
} from "../../policy-pack/policies/gateway/mcpApiAccess";
import { buildApiPolicy } from "../../components/gateway/policy/apiPolicy";
import { el, serialize } from "../../components/gateway/policy/xml";
import { violationsOf } from "../helpers/policy";
import { planned } from "../helpers/resources";
import type { PlannedResource } from "../../tools/offline/types";
import type { McpPolicy } from "../../policy-pack/lib/policy";

type McpPolicyUnderTest = McpPolicy;
import {
    api,
    apiPolicies,
    apiPolicy,
    compliant,
    editedPolicy,
    emptied,
    fragments,
    fragmentsEdited,
    hiddenInCondition,
    messages,
    peers,
    q,
    replaced,
    withFragment,
    withPolicy,
    platform,
    server,
    settings,
    withFragments,
    without,
} from "./gateway.fixture";

// The shared cases run every per-API MCP policy, content ones included (apiPolicies spans both
// modules). They sit here because their MCP-API recognition case goes through token validation.
describe("MCP API policies (shared cases)", () => {
    for (const policy of apiPolicies) {
        it(`${policy.name} accepts the gateway's generated policy with its fragments resolved`, async () => {
            expect(await violationsOf(policy, compliant())).toEqual([]);
            expect(await violationsOf(policy, [...compliant(), platform(["2025-11-25", "2026-07-28"])])).toEqual([]);
        });
        it(`${policy.name} rejects an MCP API without an API policy (unset)`, async () => {
            expect(await messages(policy, [api, ...fragments(), ...peers()])).toEqual([expect.stringContaining("Api gw-api-docs must have an API policy (none is attached)")]);
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
        expect(await messages(azureApimanagementApiEnforceTokenValidation, [api, policy, ...fragments(), ...peers()])).toEqual([
            "Api gw-api-docs must validate every request's token with validate-azure-ad-token in inbound, outside any condition (M1, M2, M3, C7.2, C7.3).",
        ]);
    });

    it("rejects validation hidden inside a condition", async () => {
        const policy = apiPolicy(
            editedPolicy((inbound) => inbound.map((e) => (e.name === "validate-azure-ad-token" ? el("choose", {}, el("when", { condition: "@(false)" }, e)) : e))),
        );
        expect(await violationsOf(azureApimanagementApiEnforceTokenValidation, [api, policy, ...fragments(), ...peers()])).toHaveLength(1);
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
        expect(await messages(azureApimanagementApiEnforceTokenValidation, [api, policy, ...fragments(), ...peers()])).toEqual([expect.stringContaining("pin the token audience to literal values")]);
    });

    it("rejects a tenant given by expression", async () => {
        const policy = apiPolicy(
            editedPolicy((inbound) => inbound.map((e) => (e.name === "validate-azure-ad-token" ? { ...e, attributes: { ...e.attributes, "tenant-id": "@(context.Request.Headers.GetValueOrDefault(\"t\",\"\"))" } } : e))),
        );
        expect(await messages(azureApimanagementApiEnforceTokenValidation, [api, policy, ...fragments(), ...peers()])).toEqual([expect.stringContaining("pin the token tenant")]);
    });

    it("rejects token validation that requires neither scope nor app roles (C7.3)", async () => {
        const policy = apiPolicy(
            editedPolicy((inbound) =>
                inbound.map((e) => (e.name === "validate-azure-ad-token" ? { ...e, children: e.children.filter((c) => !("name" in c && c.name === "required-claims")) } : e)),
            ),
        );
        expect(await messages(azureApimanagementApiEnforceTokenValidation, [api, policy, ...fragments(), ...peers()])).toEqual([
            "Api gw-api-docs must require the server's scope or app roles (required-claims with a literal scp or roles value) (M1, M2, M3, C7.2, C7.3).",
        ]);
    });

    it("rejects a policy document that is not XML", async () => {
        expect(await messages(azureApimanagementApiEnforceTokenValidation, [api, apiPolicy("<policies><inbound>"), ...fragments(), ...peers()])).toEqual([
            expect.stringContaining("must have a well-formed <policies> API policy"),
        ]);
    });
});

describe("azure-apimanagement-api-disable-token-passthrough (C7.1)", () => {
    it("rejects a policy that forwards the caller's Authorization header", async () => {
        const policy = apiPolicy(editedPolicy(without("set-header", (e) => e.attributes.name === "Authorization")));
        expect(await messages(azureApimanagementApiDisableTokenPassthrough, [api, policy, ...fragments(), ...peers()])).toEqual([
            "Api gw-api-docs must delete the caller's Authorization header before forwarding (no token passthrough) (C7.1).",
        ]);
    });

    it("rejects a policy without managed-identity authentication to the backend", async () => {
        const policy = apiPolicy(editedPolicy(without("authentication-managed-identity")));
        expect(await messages(azureApimanagementApiDisableTokenPassthrough, [api, policy, ...fragments(), ...peers()])).toEqual([
            expect.stringContaining("authenticate to the backend with authentication-managed-identity"),
        ]);
    });
});

describe("azure-apimanagement-api-enforce-protocol-version (C3.4)", () => {
    it("rejects an API whose protocol-version fragment is swapped for an empty one", async () => {
        const emptied = fragments().map((f) =>
            f.name.endsWith("mcp-protocol-version") || f.name.endsWith("mcp-envelope") ? { ...f, inputs: { ...f.inputs, value: "<fragment/>" } } : f,
        );
        const [message] = await messages(azureApimanagementApiEnforceProtocolVersion, [api, apiPolicy(serialize(buildApiPolicy(server))), ...emptied, ...peers()]);
        expect(message).toContain("must check the MCP protocol version in inbound (nothing reads MCP-Protocol-Version");
    });

    it("requires the 2026-07-28 header checks only when the platform allows that revision", async () => {
        const legacyOnly = fragments({ ...settings, protocolVersions: ["2025-11-25"] });
        const policy = apiPolicy(serialize(buildApiPolicy(server)));
        expect(await violationsOf(azureApimanagementApiEnforceProtocolVersion, [api, policy, ...legacyOnly, ...peers(), platform(["2025-11-25"])])).toEqual([]);
        // Without a platform declaration every revision is assumed (fail closed).
        const stripped = legacyOnly.map((f) => ({ ...f, inputs: { ...f.inputs, value: String(f.inputs.value).replace(/Mcp-Name/g, "X") } }));
        expect(await messages(azureApimanagementApiEnforceProtocolVersion, [api, policy, ...stripped, ...peers()])).toEqual([expect.stringContaining("Mcp-Name")]);
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
        expect(await messages(azureApimanagementApiEnableSessionBinding, [api, apiPolicy(serialize(buildApiPolicy(server))), ...noBind, ...peers()])).toEqual([
            expect.stringContaining("store each session binding keyed by the validated caller's oid and the session id (cache-store-value)"),
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
        expect(await messages(azureApimanagementApiEnableUserRateLimit, [api, policy, ...fragments(), ...peers()])).toEqual([
            "Api gw-api-docs must rate-limit every caller per user (rate-limit-by-key on the validated oid, in inbound outside any condition) (C4.1).",
        ]);
    });

    it("rejects a rate limit keyed on something other than the user", async () => {
        const policy = apiPolicy(
            editedPolicy((inbound) => inbound.map((e) => (e.name === "rate-limit-by-key" ? { ...e, attributes: { ...e.attributes, "counter-key": "@(context.Request.IpAddress)" } } : e))),
        );
        expect(await violationsOf(azureApimanagementApiEnableUserRateLimit, [api, policy, ...fragments(), ...peers()])).toHaveLength(1);
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
        expect(await violationsOf(policy, [api, hiddenInCondition("mcp-tool-authorization"), ...fragments(), ...peers()])).toHaveLength(1);
    });

    it("rejects a tool check that never refuses (no 403 answer)", async () => {
        const toothless = fragmentsEdited("mcp-tool-authorization", (xml) => xml.replace(/code="403"/g, 'code="200"'));
        expect(await violationsOf(policy, withFragments(toothless))).toHaveLength(1);
    });
});

/**
 * One violating case per way of weakening a value the access policies compare: the property stays,
 * its value gets weaker, and the policy names what it compared against.
 */
describe("MCP API access: every weaker value is rejected", () => {
    const header = (name: string) => `@(context.Request.Headers.GetValueOrDefault(${q}${name}${q}, ${q}${q}))`;
    const cases: [string, McpPolicyUnderTest, PlannedResource[], string][] = [
        ["a foreign audience", azureApimanagementApiEnforceTokenValidation, withPolicy("<audiences>", "<audiences><audience>https://management.azure.com</audience>"), "accept only the server app's own audiences"],
        ["a second client-id audience", azureApimanagementApiEnforceTokenValidation, withPolicy("<audiences>", "<audiences><audience>22222222-2222-4222-8222-222222222222</audience>"), "accept one client-id audience only"],
        ["the common tenant", azureApimanagementApiEnforceTokenValidation, withPolicy(/tenant-id="[^"]+"/, 'tenant-id="common"'), "validate tokens of the platform's own tenant"],
        ["a tenant that is not a tenant id", azureApimanagementApiEnforceTokenValidation, withPolicy(/tenant-id="[^"]+"/, 'tenant-id="contoso.onmicrosoft.com"'), "validate tokens of the platform's own tenant"],
        ["a token from a query parameter", azureApimanagementApiEnforceTokenValidation, withPolicy("<validate-azure-ad-token ", '<validate-azure-ad-token query-parameter-name="access_token" '), "Authorization header only"],
        ["a token from another header", azureApimanagementApiEnforceTokenValidation, withPolicy('header-name="Authorization"', 'header-name="X-Token"'), "Authorization header only"],
        ["a token from an expression", azureApimanagementApiEnforceTokenValidation, withPolicy("<validate-azure-ad-token ", `<validate-azure-ad-token token-value="${header("X-Token")}" `), "Authorization header only"],
        ["a failure answered 200", azureApimanagementApiEnforceTokenValidation, withPolicy('failed-validation-httpcode="401"', 'failed-validation-httpcode="200"'), "answer a failed validation with 401"],
        ["a wildcard client application", azureApimanagementApiEnforceTokenValidation, withPolicy("<client-application-ids>", "<client-application-ids><application-id>*</application-id>"), "literal allow-list of application ids"],
        ["an empty required claim value", azureApimanagementApiEnforceTokenValidation, withPolicy("<value>mcp.access</value>", "<value></value>"), "non-empty literal values for the claim scp"],
        ["a computed required claim value", azureApimanagementApiEnforceTokenValidation, withPolicy("<value>mcp.access</value>", `<value>@(${q}x${q})</value>`), "non-empty literal values for the claim scp"],
        ["a copied Authorization header", azureApimanagementApiDisableTokenPassthrough, withPolicy("<set-backend-service", `<set-header name="X-Auth" exists-action="override"><value>${header("Authorization")}</value></set-header><set-backend-service`), "never forward the caller's token"],
        ["a token query parameter", azureApimanagementApiDisableTokenPassthrough, withPolicy("<set-backend-service", `<set-query-parameter name="t" exists-action="override"><value>${header("Authorization")}</value></set-query-parameter><set-backend-service`), "never forward the caller's token"],
        ["Authorization set again after the managed identity", azureApimanagementApiDisableTokenPassthrough, withPolicy(/(<authentication-managed-identity [^>]*\/>)/, '$1<set-header name="Authorization" exists-action="override"><value>x</value></set-header>'), "set Authorization only through authentication-managed-identity"],
        ["a backend token for Azure Resource Manager", azureApimanagementApiDisableTokenPassthrough, withPolicy(/(<authentication-managed-identity resource=")[^"]+"/, '$1https://management.azure.com/"'), "request the backend token for the backend's own Entra app"],
        ["a backend token for the MCP API's own audience", azureApimanagementApiDisableTokenPassthrough, withPolicy(/(<authentication-managed-identity resource=")[^"]+"/, `$1${server.apiIdentifierUri}"`), "request the backend token for the backend's own Entra app"],
        ["an undeclared revision in the allow-list", azureApimanagementApiEnforceProtocolVersion, withFragment("mcp-protocol-version", `new string[] { ${q}2025-11-25${q}`, `new string[] { ${q}2024-11-05${q}, ${q}2025-11-25${q}`), "allow exactly the declared protocol versions"],
        ["an unsupported version answered 200", azureApimanagementApiEnforceProtocolVersion, withFragment("mcp-protocol-version", /code="400"/g, 'code="200"'), "reject an unsupported or mismatched protocol version with 400"],
        ["a version allow-list that is not a literal", azureApimanagementApiEnforceProtocolVersion, withFragment("mcp-protocol-version", /new string\[\] \{[^}]*\}/, "context.Variables.GetValueOrDefault&lt;string[]&gt;(&quot;v&quot;)"), "cannot be evaluated and fails closed"],
        ["an unknown session adopted", azureApimanagementApiEnableSessionBinding, withFragment("mcp-session", /code="404"/g, 'code="200"'), "never adopt an unknown or foreign session"],
        ["a foreign session adopted", azureApimanagementApiEnableSessionBinding, withFragment("mcp-session", /code="403"/g, 'code="200"'), "never adopt an unknown or foreign session"],
        ["a day-long idle lifetime", azureApimanagementApiEnableSessionBinding, withFragments(fragmentsEdited("mcp-session-bind", (x) => replaced(x, /duration="1800"/g, 'duration="86400"'))), "expire idle sessions within 3600 seconds"],
        ["a month-long session", azureApimanagementApiEnableSessionBinding, withFragments(fragmentsEdited("mcp-session-bind", (x) => replaced(x, /duration="28800"/g, 'duration="2592000"'))), "keep no session binding longer than 86400 seconds"],
        ["a computed session duration", azureApimanagementApiEnableSessionBinding, withFragments(fragmentsEdited("mcp-session-bind", (x) => replaced(x, /duration="28800"/g, 'duration="@(1)"'))), "literal duration"],
        ["a session bound to a header instead of the validated oid", azureApimanagementApiEnableSessionBinding, withFragment("mcp-identity", /(<set-variable name="mcpOid" value=")[^"]+"/, `$1${header("X-Oid")}"`), "validated caller"],
        ["a hundredfold per-user limit", azureApimanagementApiEnableUserRateLimit, withPolicy(/(id="mcp-limit-user" calls=")\d+"/, '$16000"'), "per user (rate-limit-by-key on the validated oid, in inbound outside any condition) to at most 600 calls per minute"],
        ["a per-user limit renewed every second", azureApimanagementApiEnableUserRateLimit, withPolicy(/(id="mcp-limit-user" calls="\d+" renewal-period=")\d+"/, '$11"'), "to at most 600 calls per minute (got 3600)"],
        ["a per-user limit keyed on a header", azureApimanagementApiEnableUserRateLimit, withPolicy(/(id="mcp-limit-user" [^>]*counter-key=")[^"]+"/, `$1${header("X-Oid")}"`), "rate-limit every caller per user"],
        ["a hundredfold per-session limit", azureApimanagementApiEnableUserRateLimit, withPolicy(/(id="mcp-limit-session" calls=")\d+"/, '$13000"'), "per session (rate-limit-by-key on the session) to at most 300"],
        ["a per-session limit on a constant", azureApimanagementApiEnableUserRateLimit, withPolicy(/(id="mcp-limit-session" [^>]*counter-key=")[^"]+"/, `$1@(${q}all${q})"`), "rate-limit every caller per session"],
        ["a per-session limit on the raw session header value", azureApimanagementApiEnableUserRateLimit, withPolicy(/(id="mcp-limit-session" [^>]*counter-key=")[^"]+"/, `$1@(context.Variables.GetValueOrDefault&lt;string&gt;(${q}mcpSessionId${q}, ${q}${q}))"`), "rate-limit every caller per session"],
        ["a per-tool limit that ignores the tool", azureApimanagementApiEnableUserRateLimit, withPolicy(/(id="mcp-limit-user-tool" [^>]*counter-key=")[^"]+"/, `$1@(context.Variables.GetValueOrDefault&lt;string&gt;(${q}mcpOid${q}, ${q}${q}))"`), "rate-limit every caller per user and tool"],
        ["a hundredfold per-tool limit", azureApimanagementApiEnableUserRateLimit, withPolicy(/(id="mcp-limit-user-tool" calls=")\d+"/, '$12000"'), "per user and tool (rate-limit-by-key on the validated oid and the tool name) to at most 300"],
        ["a thousandfold daily quota", azureApimanagementApiEnableUserRateLimit, withPolicy(/(id="mcp-quota-user" calls=")\d+"/, '$15000000"'), "to at most 100000 calls per day (got 5000000)"],
        ["an hourly quota", azureApimanagementApiEnableUserRateLimit, withPolicy(/(id="mcp-quota-user" calls="\d+" renewal-period=")\d+"/, '$13600"'), "to at most 100000 calls per day (got 120000)"],
        ["a computed limit", azureApimanagementApiEnableUserRateLimit, withPolicy(/(id="mcp-limit-user" calls=")\d+"/, '$1@(60)"'), "fails closed"],
        ["roles from a header", azureApimanagementApiEnforceToolAuthorization, withFragment("mcp-identity", /(<set-variable name="mcpRoles" value=")[^"]+"/, `$1${header("X-Roles")}"`), "validated token's roles claim"],
        ["roles from an unvalidated parse of the Authorization header", azureApimanagementApiEnforceToolAuthorization, withFragment("mcp-identity", /(<set-variable name="mcpRoles" value=")[^"]+"/, `$1@(context.Request.Headers.GetValueOrDefault(${q}Authorization${q}, ${q}${q}).AsJwt()?.Claims.GetValueOrDefault(${q}roles${q}, ${q}${q}))"`), "validated token's roles claim"],
        ["an unmapped tool allowed", azureApimanagementApiEnforceToolAuthorization, withFragment("mcp-tool-authorization", /<when condition="@\(context\.Variables\.GetValueOrDefault&lt;string&gt;\(&quot;mcpRequiredRole&quot;, &quot;&quot;\) == &quot;&quot;\)">[\s\S]*?<\/when>/, ""), "deny (403) a tool the role map does not list"],
    ];
    it.each(cases)("rejects %s", async (_what, policy, resources, expected) => {
        expect(await messages(policy, resources)).toEqual([expect.stringContaining(expected)]);
    });

    it("compares the client allow-list and rate limits with the platform declaration when it carries them", async () => {
        const declaring = (s: Record<string, unknown>) => planned("mcp:platform:McpPlatform", "platform", { protocolVersions: settings.protocolVersions, servers: [{ name: "docs", ...s }] }, { custom: false });
        expect(await messages(azureApimanagementApiEnforceTokenValidation, [...compliant(), declaring({ allowedClientAppIds: ["33333333-3333-4333-8333-333333333333"] })])).toEqual([
            expect.stringContaining("admit only the declared client applications"),
        ]);
        expect(await messages(azureApimanagementApiEnableUserRateLimit, [...compliant(), declaring({ rateLimits: { perUserPerMinute: 30 } })])).toEqual([
            expect.stringContaining("to at most 30 calls per minute (got 60)"),
        ]);
        expect(await violationsOf(azureApimanagementApiEnforceTokenValidation, [...compliant(), declaring({ allowedClientAppIds: server.clientApplicationIds })])).toEqual([]);
    });

    it("reads an operation policy: one without <base/> first in inbound drops the API's validation", async () => {
        const operationPolicy = (value: string) =>
            planned("azure-native:apimanagement:ApiOperationPolicy", "gw-api-docs-post-policy", { apiId: "mcp-docs", serviceName: "apim", operationId: "post", value });
        const none = "<policies><inbound><set-backend-service base-url=\"https://x\"/></inbound><backend><forward-request/></backend><outbound/><on-error/></policies>";
        expect(await messages(azureApimanagementApiEnforceTokenValidation, [...compliant(), operationPolicy(none)])).toEqual([expect.stringContaining("must start inbound with <base/>")]);
        const late = "<policies><inbound><return-response><set-status code=\"200\"/></return-response><base/></inbound><backend><base/></backend><outbound><base/></outbound><on-error><base/></on-error></policies>";
        expect(await messages(azureApimanagementApiEnforceTokenValidation, [...compliant(), operationPolicy(late)])).toEqual([expect.stringContaining("must start inbound with <base/>")]);
        expect(await messages(azureApimanagementApiEnforceTokenValidation, [...compliant(), operationPolicy("<policies><inbound>")])).toEqual([expect.stringContaining("fails closed")]);
        const inherits = "<policies><inbound><base/></inbound><backend><base/></backend><outbound><base/></outbound><on-error><base/></on-error></policies>";
        expect(await violationsOf(azureApimanagementApiEnforceTokenValidation, [...compliant(), operationPolicy(inherits)])).toEqual([]);
    });

    it("treats an API as an MCP API by what it is: one at /weather-mcp whose backend is an MCP workload gets every check", async () => {
        const app = planned("azure-native:app:ContainerApp", "weather-ca", {}, { urn: "urn:pulumi:test::mcp-platform::mcp:workload:McpWorkload$azure-native:app:ContainerApp::weather-ca" });
        const moved = { ...api, inputs: { ...api.inputs, path: "weather-mcp" }, propertyDependencies: { serviceUrl: [app.urn] } };
        const unvalidated = apiPolicy(editedPolicy(without("validate-azure-ad-token")));
        expect(await messages(azureApimanagementApiEnforceTokenValidation, [moved, app, unvalidated, ...fragments(), ...peers()])).toEqual([
            expect.stringContaining("validate every request's token"),
        ]);
        const operation = (method: string, urlTemplate: string) => planned("azure-native:apimanagement:ApiOperation", `op-${method}`, { apiId: "mcp-docs", serviceName: "apim", method, urlTemplate });
        const elsewhere = { ...api, inputs: { ...api.inputs, path: "weather-mcp" } };
        expect(await messages(azureApimanagementApiEnforceTokenValidation, [elsewhere, operation("POST", "/"), operation("GET", "/.well-known/oauth-protected-resource"), unvalidated, ...fragments(), ...peers()])).toHaveLength(1);
        // An ordinary API (no MCP backend, no MCP sign-in metadata) is not an MCP API.
        expect(await messages(azureApimanagementApiEnforceTokenValidation, [elsewhere, operation("POST", "/"), unvalidated, ...fragments(), ...peers()])).toEqual([]);
    });
});

/** The same checks on the other validation element, validate-jwt: one case per way of weakening it. */
describe("validate-jwt: every weaker value is rejected", () => {
    const issuer = `https://login.microsoftonline.com/${server.tenantId}/v2.0`;
    const jwt = (attributes: string, body: string) =>
        `<validate-jwt header-name="Authorization" failed-validation-httpcode="401" output-token-variable-name="mcpJwt"${attributes}>` +
        `<openid-config url="https://login.microsoftonline.com/${server.tenantId}/v2.0/.well-known/openid-configuration"/>` +
        body +
        "</validate-jwt>";
    const audiences = `<audiences><audience>${server.apiAppClientId}</audience><audience>${server.apiIdentifierUri}</audience></audiences>`;
    const issuers = (value = issuer) => `<issuers><issuer>${value}</issuer></issuers>`;
    const claims = (apps = server.clientApplicationIds) =>
        `<required-claims><claim name="scp" match="any" separator=" "><value>mcp.access</value></claim>` +
        (apps.length > 0 ? `<claim name="azp" match="any">${apps.map((a) => `<value>${a}</value>`).join("")}</claim>` : "") +
        "</required-claims>";
    const withJwt = (element: string) => withPolicy(/<validate-azure-ad-token[\s\S]*?<\/validate-azure-ad-token>/, element);
    const compliantJwt = jwt(' require-signed-tokens="true" require-expiration-time="true" clock-skew="60"', audiences + issuers() + claims());

    it("accepts a validate-jwt with the tenant's issuer, the server's audiences, signed tokens, a short skew and an azp allow-list", async () => {
        expect(await messages(azureApimanagementApiEnforceTokenValidation, withJwt(compliantJwt))).toEqual([]);
    });
    it.each<[string, string, string]>([
        ["unsigned tokens", jwt(' require-signed-tokens="false"', audiences + issuers() + claims()), "require signed tokens"],
        ["no expiry required", jwt(' require-expiration-time="false"', audiences + issuers() + claims()), "require an expiry"],
        ["an hour of clock skew", jwt(' clock-skew="3600"', audiences + issuers() + claims()), "at most 300 seconds"],
        ["a computed clock skew", jwt(' clock-skew="@(60)"', audiences + issuers() + claims()), "fails closed"],
        ["the multi-tenant issuer", jwt("", audiences + issuers("https://login.microsoftonline.com/common/v2.0") + claims()), "accept only issuers of the platform's tenant"],
        ["no client allow-list", jwt("", audiences + issuers() + claims([])), "a required azp or appid claim"],
        ["a wildcard client", jwt("", audiences + issuers() + claims(["*"])), "literal allow-list of application ids"],
        ["a foreign audience", jwt("", `<audiences><audience>https://management.azure.com</audience></audiences>` + issuers() + claims()), "accept only the server app's own audiences"],
        ["a token from a query parameter", jwt(' query-parameter-name="token"', audiences + issuers() + claims()), "Authorization header only"],
    ])("rejects %s", async (_what, element, expected) => {
        expect(await messages(azureApimanagementApiEnforceTokenValidation, withJwt(element))).toEqual([expect.stringContaining(expected)]);
    });
});

describe("the daily quota on the v2 tiers (no quota-by-key: a per-UTC-day cache counter)", () => {
    const v2 = serialize(buildApiPolicy({ ...server, gatewaySku: "PremiumV2" }));
    it("accepts the gateway's cache-based quota", async () => {
        expect(await violationsOf(azureApimanagementApiEnableUserRateLimit, withFragments(fragments(), v2))).toEqual([]);
    });
    it.each<[string, RegExp, string, string]>([
        ["a thousandfold limit", /&gt;= 5000\)/, "&gt;= 5000000)", "to at most 100000 calls per day (got 5000000)"],
        ["a counter that is never stored", /<cache-store-value key="@\(&quot;mcp-quota:[^>]*\/>/, "", "rate-limit every caller with a daily quota per user"],
        ["a counter keyed on the client address", /&quot;:user:&quot; \+ context\.Variables\.GetValueOrDefault&lt;string&gt;\(&quot;mcpOid&quot;, &quot;&quot;\) \+ &quot;:&quot; \+ DateTime/g, "&quot;:user:&quot; + context.Request.IpAddress + &quot;:&quot; + DateTime", "rate-limit every caller with a daily quota per user"],
    ])("rejects %s", async (_what, pattern, replacement, expected) => {
        expect(await messages(azureApimanagementApiEnableUserRateLimit, withFragments(fragments(), replaced(v2, pattern, replacement)))).toEqual([expect.stringContaining(expected)]);
    });
});
