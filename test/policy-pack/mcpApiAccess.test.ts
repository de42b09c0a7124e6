import { describe, expect, it } from "vitest";
import {
    azureApimanagementApiDisableTokenPassthrough,
    azureApimanagementApiEnableSessionBinding,
    azureApimanagementApiEnableUserRateLimit,
    azureApimanagementApiEnforceProtocolVersion,
    azureApimanagementApiEnforceTokenValidation,
    azureApimanagementApiEnforceToolAuthorization,
} from "../../policy-pack/policies/mcpApiAccess";
import { buildApiPolicy } from "../../components/gateway/policy/apiPolicy";
import { el, serialize } from "../../components/gateway/policy/xml";
import { violationsOf } from "../helpers/policy";
import { planned } from "../helpers/resources";
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
