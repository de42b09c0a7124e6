import { describe, expect, it } from "vitest";
import { XMLParser } from "fast-xml-parser";
import { auditEventFields, securityEvents, traceSource } from "../../policy-pack/contract/events";
import { buildFragments, Fragment, fragmentIds } from "../../components/gateway/policy/fragments";
import { buildApiPolicy, resourceMetadata, ServerPolicyInput } from "../../components/gateway/policy/apiPolicy";
import { FragmentSettings } from "../../components/gateway/policy/settings";
import { el, findAll, parse, serialize, textOf, XmlElement } from "../../components/gateway/policy/xml";
import { fragmentSettings, serverPolicyInput, tenantId } from "../helpers/gatewayInputs";

const settings: FragmentSettings = fragmentSettings();
const server: ServerPolicyInput = serverPolicyInput();

/** Serialise, then parse with an independent parser configuration: what API Management would read. */
function roundTrip(root: XmlElement): XmlElement {
    return parse(serialize(root));
}
const fragmentsOf = (s: FragmentSettings = settings) => new Map(buildFragments(s).map((f: Fragment) => [f.id, roundTrip(f.root)]));
const fragments = fragmentsOf();
const frag = (id: string) => fragments.get(id)!;
const api = roundTrip(buildApiPolicy(server));
const section = (name: string) => api.children.find((c) => "name" in c && c.name === name) as XmlElement;
const direct = (parent: XmlElement, name: string) => parent.children.filter((c): c is XmlElement => "name" in c && c.name === name);
const expressions = (root: XmlElement) => {
    const out: string[] = [];
    const visit = (e: XmlElement) => {
        out.push(...Object.values(e.attributes), textOf(e));
        e.children.forEach((c) => "name" in c && visit(c));
    };
    visit(root);
    return out.join("\n");
};
const traces = (root: XmlElement) => findAll(root, "trace");

describe("policy XML escaping", () => {
    it("keeps a C# expression with <, && and quotes intact through build → serialize → parse", () => {
        const expression = `@(context.Request.Headers.GetValueOrDefault("X-Count", "0").Length < 3 && context.Variables.GetValueOrDefault<string>("a", "") != "it's \\"quoted\\"")`;
        const xml = serialize(el("policies", {}, el("inbound", {}, el("set-variable", { name: "x", value: expression }), el("set-body", {}, expression))));
        expect(xml).toContain("&lt;");
        expect(xml).toContain("&amp;&amp;");
        expect(xml).not.toContain('value="@(context.Request.Headers.GetValueOrDefault("');
        const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", parseAttributeValue: false, parseTagValue: false }).parse(xml);
        expect(parsed.policies.inbound["set-variable"].value).toBe(expression);
        expect(parsed.policies.inbound["set-body"]).toBe(expression);
    });

    it("produces documents every fragment and the API policy parse back from", () => {
        for (const f of buildFragments(settings)) expect(roundTrip(f.root).name).toBe("fragment");
        expect(api.name).toBe("policies");
    });
});

describe("API policy of an MCP server", () => {
    it("includes every fragment, after <base /> in inbound, outbound and on-error", () => {
        const included = findAll(api, "include-fragment").map((e) => e.attributes["fragment-id"]);
        expect(new Set(included)).toEqual(new Set(Object.values(fragmentIds)));
        for (const name of ["inbound", "outbound", "on-error"]) expect((section(name).children[0] as XmlElement).name).toBe("base");
        // The global backend would forward a second time.
        expect(direct(section("backend"), "base")).toEqual([]);
    });

    it("validates the Entra token with the tenant pinned, both audiences, the client allow-list and scp/roles (M1, M2, M3, C7.2, C7.3)", () => {
        const [validate] = direct(section("inbound"), "validate-azure-ad-token");
        expect(validate.attributes["tenant-id"]).toBe(tenantId);
        expect(validate.attributes["failed-validation-httpcode"]).toBe("401");
        expect(findAll(validate, "audience").map(textOf)).toEqual([server.apiAppClientId, server.apiIdentifierUri]);
        expect(findAll(validate, "application-id").map(textOf)).toEqual(server.clientApplicationIds);
        const claims = findAll(validate, "claim");
        expect(claims.map((c) => [c.attributes.name, c.attributes.match, findAll(c, "value").map(textOf)])).toEqual([
            ["scp", "any", ["mcp.access"]],
            ["roles", "any", ["Docs.Read", "Docs.Write"]],
        ]);
        expect(expressions(frag(fragmentIds.identity))).toContain("ExpirationTime.HasValue");
    });

    it("gives the on-error fragment the same tenant, audiences and client allow-list as validate-azure-ad-token (one home, M3)", () => {
        const [validate] = direct(section("inbound"), "validate-azure-ad-token");
        const variable = (name: string) => direct(section("inbound"), "set-variable").find((v) => v.attributes.name === name)?.attributes.value;
        expect(variable("mcpTenantId")).toBe(validate.attributes["tenant-id"]);
        expect(variable("mcpAudiences")?.split(" ")).toEqual(findAll(validate, "audience").map(textOf));
        expect(variable("mcpClientApplicationIds")?.split(" ")).toEqual(findAll(validate, "application-id").map(textOf));
        const twice = roundTrip(buildApiPolicy({ ...server, clientApplicationIds: [...server.clientApplicationIds, "bbbbbbbb-0000-4000-8000-000000000002", server.clientApplicationIds[0]] }));
        const inbound = twice.children.find((c) => "name" in c && c.name === "inbound") as XmlElement;
        expect(direct(inbound, "set-variable").find((v) => v.attributes.name === "mcpClientApplicationIds")?.attributes.value).toBe(`${server.clientApplicationIds[0]} bbbbbbbb-0000-4000-8000-000000000002`);
        expect(() => buildApiPolicy({ ...server, clientApplicationIds: ["a b"] })).toThrow(/clientApplicationIds: got "a b"/);
        const client = findAll(frag(fragmentIds.onError), "when").find((w) => w.attributes.condition.includes("mcpClientApplicationIds"))!;
        expect(client.attributes.condition).not.toContain("Reason");
        expect(client.attributes.condition).toContain("AsJwt()");
        expect(findAll(client, "set-status")[0].attributes.code).toBe("403");
        expect(findAll(client, "metadata")[0].attributes.value).toBe(securityEvents.clientNotAllowed);
    });

    it("deletes Authorization and then authenticates to the backend with the gateway identity (C7.1)", () => {
        const inbound = section("inbound").children as XmlElement[];
        const del = inbound.findIndex((c) => c.name === "set-header" && c.attributes.name === "Authorization" && c.attributes["exists-action"] === "delete");
        const mi = inbound.findIndex((c) => c.name === "authentication-managed-identity");
        expect(del).toBeGreaterThan(0);
        expect(mi).toBeGreaterThan(del);
        expect(inbound[mi].attributes).toEqual({ resource: server.backendIdentifierUri, "client-id": settings.gatewayIdentityClientId });
        expect(direct(section("inbound"), "set-backend-service")[0].attributes["backend-id"]).toBe("mcp-docs");
    });

    it("rate-limits per user, per session and per user and tool, with a per-user daily quota (C4.1)", () => {
        const limits = findAll(api, "rate-limit-by-key").map((l) => [l.attributes.calls, l.attributes["renewal-period"], l.attributes["counter-key"]]);
        expect(limits).toHaveLength(3);
        expect(limits[0][0]).toBe("60");
        expect(limits[0][2]).toContain('"mcpOid"');
        expect(limits[1][2]).toContain('"mcpSessionHash"');
        expect(limits[2][2]).toContain('":tool:"');
        const [quota] = findAll(api, "quota-by-key");
        expect(quota.attributes).toMatchObject({ calls: "5000", "renewal-period": "86400" });
        expect(quota.attributes["counter-key"]).toContain('"mcpOid"');
        // The per-user limit applies to every request, not only inside a condition.
        expect(direct(section("inbound"), "rate-limit-by-key")).toHaveLength(1);
    });

    it("publishes RFC 9728 metadata naming the tenant's v2.0 issuer, the resource and its scope", () => {
        const vars = Object.fromEntries(findAll(api, "set-variable").map((v) => [v.attributes.name, v.attributes.value]));
        expect(JSON.parse(vars.mcpResourceMetadata)).toEqual(resourceMetadata(server));
        expect(resourceMetadata(server)).toMatchObject({
            resource: "https://mcp.contoso.com/mcp/docs",
            authorization_servers: [`https://login.microsoftonline.com/${tenantId}/v2.0`],
            scopes_supported: [`api://${tenantId}/docs/mcp.access`],
        });
        expect(vars.mcpResourceMetadataUrl).toBe("https://mcp.contoso.com/mcp/docs/.well-known/oauth-protected-resource");
        expect(vars.mcpToolRoles).toBe("search_docs=Docs.Read;update_page=Docs.Write");
    });

    it("refuses a tool mapped to a role the server does not define", () => {
        expect(() => buildApiPolicy({ ...server, tools: { x: "Nope" } })).toThrow(/tools.x: got role "Nope"/);
        expect(() => buildApiPolicy({ ...server, clientApplicationIds: [] })).toThrow(/clientApplicationIds/);
    });
});

describe("policy fragments", () => {
    it("answers the metadata operation before token validation and nothing else without a token (M2)", () => {
        const [when] = findAll(frag(fragmentIds.resourceMetadata), "when");
        expect(when.attributes.condition).toContain('context.Operation.UrlTemplate == "/.well-known/oauth-protected-resource"');
        expect(findAll(when, "set-status")[0].attributes.code).toBe("200");
        const inbound = section("inbound").children as XmlElement[];
        const at = (id: string) => inbound.findIndex((c) => c.attributes?.["fragment-id"] === id);
        const validateAt = inbound.findIndex((c) => c.name === "validate-azure-ad-token");
        expect(at(fragmentIds.resourceMetadata)).toBeLessThan(validateAt);
        expect(at(fragmentIds.bearerRequired)).toBeLessThan(validateAt);
        expect(at(fragmentIds.envelope)).toBeGreaterThan(validateAt);
    });

    it("challenges a request without a token with 401 and WWW-Authenticate resource_metadata (RFC 9728)", () => {
        const f = frag(fragmentIds.bearerRequired);
        expect(findAll(f, "set-status")[0].attributes.code).toBe("401");
        const header = findAll(f, "set-header").find((h) => h.attributes.name === "WWW-Authenticate")!;
        expect(textOf(findAll(header, "value")[0])).toContain('"Bearer resource_metadata=\\"" + context.Variables.GetValueOrDefault<string>("mcpResourceMetadataUrl", "")');
    });

    it("emits every decision as a trace with source mcp-gateway and a JSON message carrying a known event name (C5.1)", () => {
        const known = new Set(Object.values(securityEvents));
        const emitted = new Set<string>();
        for (const f of fragments.values()) {
            for (const t of traces(f)) {
                expect(t.attributes.source).toBe(traceSource);
                expect(["information", "error"]).toContain(t.attributes.severity);
                const event = findAll(t, "metadata")[0].attributes.value;
                expect(known.has(event as never)).toBe(true);
                expect(textOf(findAll(t, "message")[0])).toContain(`e["event"] = "${event}";`);
                emitted.add(event);
            }
        }
        expect([...known].filter((e) => !emitted.has(e))).toEqual([]);
    });

    it("rejects an Origin outside the allow-list with 403 (both revisions)", () => {
        const f = frag(fragmentIds.origin);
        expect(findAll(f, "when")[0].attributes.condition).toContain('new string[] { "https://vscode.dev" }');
        expect(findAll(f, "set-status")[0].attributes.code).toBe("403");
        expect(findAll(f, "metadata")[0].attributes.value).toBe(securityEvents.originRejected);
    });

    it("validates the JSON-RPC envelope: media type, size, version, method, no batches (C1.1, C1.2)", () => {
        const text = expressions(frag(fragmentIds.envelope));
        expect(text).toContain("> 1048576");
        expect(text).toContain('"application/json"');
        for (const rule of ["batch requests are not accepted", 'jsonrpc must be \\"2.0\\"', "method must be a non-empty string", "tools/call needs params.name"]) {
            expect(text).toContain(rule);
        }
        expect(findAll(frag(fragmentIds.envelope), "set-status").map((s) => s.attributes.code).sort()).toEqual(["400", "400", "413", "413", "415"]);
    });

    it("checks both revisions' version carriers and answers a header/body mismatch with 400 and -32020 (C3.4)", () => {
        const f = frag(fragmentIds.protocolVersion);
        const text = expressions(f);
        for (const marker of ['"MCP-Protocol-Version"', '"Mcp-Method"', '"Mcp-Name"', '"initVersion"', '"=?base64?"']) {
            expect(text).toContain(marker);
        }
        // The envelope reads the carriers from the body: _meta (2026-07-28) and initialize params (2025-11-25).
        expect(expressions(frag(fragmentIds.envelope))).toContain('meta["io.modelcontextprotocol/protocolVersion"]');
        expect(expressions(frag(fragmentIds.envelope))).toContain('p["protocolVersion"]');
        expect(text).toContain('new string[] { "2025-11-25", "2026-07-28" }');
        const mismatch = findAll(f, "when").find((w) => w.attributes.condition.includes('== "mismatch"'))!;
        expect(findAll(mismatch, "set-status")[0].attributes.code).toBe("400");
        expect(textOf(findAll(mismatch, "set-body")[0])).toContain('new JProperty("code", -32020)');
        const unsupported = findAll(f, "when").find((w) => w.attributes.condition.includes('== "unsupported"'))!;
        expect(expressions(unsupported)).toContain('new JProperty("code", -32022)');
        expect(findAll(unsupported, "metadata")[0].attributes.value).toBe(securityEvents.protocolVersionRejected);
    });

    it("binds 2025-11-25 sessions as <oid>:<session id> with idle and absolute lifetimes, 403/404 and DELETE (M4, C8.2, C8.3)", () => {
        const session = frag(fragmentIds.session);
        const [lookup] = findAll(session, "cache-lookup-value");
        expect(lookup.attributes.key).toContain('"mcpOid", "") + ":" + context.Variables.GetValueOrDefault<string>("mcpSessionId"');
        const codes = findAll(session, "set-status").map((s) => s.attributes.code);
        expect(codes).toEqual(expect.arrayContaining(["400", "403", "404"]));
        expect(expressions(session)).toContain(String.raw`Regex.IsMatch(context.Variables.GetValueOrDefault<string>("mcpSessionId", ""), "^[\\x21-\\x7E]{16,128}$")`);
        expect(expressions(session)).toContain("> 28800");
        expect(findAll(session, "cache-remove-value")).toHaveLength(4);
        const refresh = findAll(session, "cache-store-value")[0];
        expect(refresh.attributes.duration).toBe("1800");
        const bind = findAll(frag(fragmentIds.sessionBind), "cache-store-value");
        expect(bind.map((b) => b.attributes.duration)).toEqual(["1800", "28800"]);
        expect(bind[0].attributes.key).toBe(lookup.attributes.key);
        const events = traces(session).map((t) => findAll(t, "metadata")[0].attributes.value);
        expect(events).toEqual(expect.arrayContaining([securityEvents.sessionUserMismatch, securityEvents.sessionUnknown, securityEvents.sessionMalformed]));
    });

    it("maps tools/call to the required app role and denies unknown tools (C2.2)", () => {
        const f = frag(fragmentIds.toolAuthorization);
        expect(findAll(f, "when")[0].attributes.condition).toContain('== "tools/call"');
        expect(expressions(f)).toContain('context.Variables.GetValueOrDefault<string>("mcpRoles", "").Split(\',\')');
        expect(findAll(f, "set-status").map((s) => s.attributes.code)).toEqual(["403", "403"]);
    });

    it("screens tools/call arguments with Prompt Shields via managed identity and fails closed by default (C1.3, C9.1)", () => {
        const f = frag(fragmentIds.promptShields);
        const [send] = findAll(f, "send-request");
        expect(textOf(findAll(send, "set-url")[0])).toBe("https://cs-mcp-test.cognitiveservices.azure.com/contentsafety/text:shieldPrompt?api-version=2024-09-01");
        expect(findAll(send, "authentication-managed-identity")[0].attributes).toEqual({
            resource: "https://cognitiveservices.azure.com",
            "client-id": settings.gatewayIdentityClientId,
        });
        const unavailable = findAll(f, "when").filter((w) => w.attributes.condition.includes("unavailable"));
        expect(unavailable).toHaveLength(1);
        for (const w of unavailable) expect(findAll(w, "set-status")[0].attributes.code).toBe("503");
        // Arguments over the Prompt Shields input limit can never be screened: 400 invalid params, not 503
        // "try again later", in a branch of its own (not the screen's answer to an attack).
        const tooLong = findAll(f, "when").filter((w) => w.attributes.condition.includes(".Length > 10000"));
        expect(tooLong.map((w) => [findAll(w, "set-status")[0].attributes.code, findAll(w, "send-request").length])).toEqual([["400", 0]]);
        expect(textOf(findAll(tooLong[0], "set-body")[0])).toContain("-32602");
        const open = fragmentsOf({ ...settings, promptShieldsFailureMode: "open" }).get(fragmentIds.promptShields)!;
        const openUnavailable = findAll(open, "when").find((w) => w.attributes.condition.includes('== "unavailable"'))!;
        expect(findAll(openUnavailable, "return-response")).toEqual([]);
        expect(traces(openUnavailable)[0].attributes.severity).toBe("information");
    });

    it("compares the tools/list digest with the approved one, blocking or detecting per mode (C9.2)", () => {
        const f = frag(fragmentIds.manifestIntegrity);
        expect(expressions(f)).toContain("System.Security.Cryptography.SHA256.Create()");
        expect(findAll(f, "set-status")[0].attributes.code).toBe("502");
        const detect = fragmentsOf({ ...settings, manifestMode: "detect" }).get(fragmentIds.manifestIntegrity)!;
        expect(findAll(detect, "return-response")).toEqual([]);
        expect(findAll(detect, "metadata")[0].attributes.value).toBe(securityEvents.manifestDrift);
    });

    it("sets security headers and removes stack-revealing ones, also on gateway-made answers (C8.4)", () => {
        for (const root of [frag(fragmentIds.securityHeaders), ...findAll(frag(fragmentIds.origin), "return-response")]) {
            const headers = Object.fromEntries(findAll(root, "set-header").map((h) => [h.attributes.name, h.attributes["exists-action"] === "delete" ? "deleted" : textOf(findAll(h, "value")[0])]));
            expect(headers).toMatchObject({
                "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "no-store",
                "X-Frame-Options": "DENY",
                Server: "deleted",
                "X-Powered-By": "deleted",
                "X-AspNet-Version": "deleted",
            });
        }
    });

    it("answers errors as JSON-RPC without internals, 429 with Retry-After for limits (C4.1, C1.4)", () => {
        const f = frag(fragmentIds.onError);
        expect(expressions(f)).not.toContain("LastError.Message)");
        const limit = findAll(f, "when").find((w) => w.attributes.condition.includes("RateLimitExceeded"))!;
        expect(findAll(limit, "set-status")[0].attributes.code).toBe("429");
        expect(findAll(limit, "set-header").some((h) => h.attributes.name === "Retry-After")).toBe(true);
        expect(textOf(findAll(limit, "set-body")[0])).toContain('new JProperty("jsonrpc", "2.0")');
        const otherwise = findAll(f, "otherwise")[0];
        expect(textOf(findAll(otherwise, "set-body")[0])).toContain('"Request failed."');
    });

    it("emits one audit event per forwarded request with only the audit fields (C5.1, C10.4)", () => {
        const [trace] = traces(frag(fragmentIds.audit));
        expect(trace.attributes).toEqual({ source: traceSource, severity: "information" });
        expect(findAll(trace, "metadata")[0].attributes).toEqual({ name: "event", value: securityEvents.auditCall });
        const message = textOf(findAll(trace, "message")[0]);
        expect([...message.matchAll(/e\["([A-Za-z]+)"\] =/g)].map((m) => m[1])).toEqual([...auditEventFields]);
        for (const secret of ["Body", "arguments", "Authorization", '"mcpSessionId"', "mcpJwt", "mcpClientIp"]) expect(message).not.toContain(secret);
        const inbound = section("inbound").children.filter((c): c is XmlElement => "name" in c);
        const at = (base: string) => inbound.findIndex((e) => e.name === "include-fragment" && e.attributes["fragment-id"] === base);
        expect(at(fragmentIds.audit)).toBeGreaterThan(at(fragmentIds.promptShields));
        expect(at(fragmentIds.audit)).toBeLessThan(inbound.findIndex((e) => e.name === "set-backend-service"));
    });

    it("streams responses except tools/list, which it buffers for the digest", () => {
        const forwards = findAll(frag(fragmentIds.forward), "forward-request").map((r) => r.attributes["buffer-response"]);
        expect(forwards).toEqual(["true", "false"]);
    });

    it("answers GET and DELETE with 405 when only the stateless revision is allowed", () => {
        const only2026 = fragmentsOf({ ...settings, protocolVersions: ["2026-07-28"] }).get(fragmentIds.protocolVersion)!;
        expect(expressions(only2026)).toContain('new string[] { "2026-07-28" }');
        expect(findAll(only2026, "set-status").map((s) => s.attributes.code)).toContain("405");
    });

    it("lists only the stateless revisions in -32022 and every revision in the legacy -32602; a legacy-only gateway never answers -32022", () => {
        const both = expressions(frag(fragmentIds.protocolVersion));
        expect(both).toContain('new JProperty("supported", new JArray("2026-07-28"))');
        expect(both).toContain('new JProperty("supported", new JArray("2025-11-25", "2026-07-28"))');
        expect(both).toContain('new JProperty("code", -32602), new JProperty("message", "Invalid params: _meta io.modelcontextprotocol/protocolVersion is required")');
        const only2025 = expressions(fragmentsOf({ ...settings, protocolVersions: ["2025-11-25"] }).get(fragmentIds.protocolVersion)!);
        expect(only2025).not.toContain("-32022");
        expect(only2025).toContain('new JProperty("supported", new JArray("2025-11-25"))');
    });
});

describe("tier-specific policy elements", () => {
    it("uses quota-by-key on the classic tiers only; PremiumV2 counts the daily quota in the internal cache", () => {
        const classic = roundTrip(buildApiPolicy({ ...server, gatewaySku: "Premium" }));
        expect(findAll(classic, "quota-by-key")).toHaveLength(1);
        const v2 = roundTrip(buildApiPolicy({ ...server, gatewaySku: "PremiumV2" }));
        expect(findAll(v2, "quota-by-key")).toHaveLength(0);
        const quotaKeys = findAll(v2, "cache-store-value").map((e) => e.attributes.key);
        expect(quotaKeys.some((k) => k.includes('"mcp-quota:"') && k.includes('DateTime.UtcNow.ToString("yyyy-MM-dd")'))).toBe(true);
        expect(findAll(v2, "rate-limit-by-key").every((e) => Number(e.attributes["renewal-period"]) <= 300)).toBe(true);
    });
});
