import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { securityEvents } from "../../policy-pack/contract/events";
import { isStatelessRevision, supportedProtocolVersions } from "../../policy-pack/contract/revisions";
import { el, XmlElement, XmlNode } from "../../components/gateway/policy/xml";
import { PolicyBench, PolicyConfigurationError, token } from "./support/bench";
import { approvedTools, documents, tenantId, variant, VariantName } from "./support/documents";
import { bearer, benchFor, bindSession, driftedTools, json, legacy, legacyPost, modern, modernPost, sse, toolCall, toolsListResult, userClaims } from "./support/mcp";

/**
 * The defects issue 13 lists, each as the bench case that failed before its fix.
 */
for (const name of ["dev", "prod"] as VariantName[]) {
    describe(`${name}: defects found by executing the policies`, () => {
        let bench: PolicyBench;
        beforeAll(() => {
            bench = benchFor(name);
        });
        afterAll(() => bench.close());
        beforeEach(() => bench.reset());
        const block = name === "prod";

        describe("1. tools/list over SSE: only the answer to this request counts (C9.2)", () => {
            it("a drifted answer under the request id with an approved decoy under another id is drift", async () => {
                bench.backend = () => sse([toolsListResult(7, driftedTools), toolsListResult(99, approvedTools)]);
                const r = await bench.send(modernPost("tools/list", { id: 7 }));
                expect(r.events).toContain(securityEvents.manifestDrift);
                expect(r.status).toBe(block ? 502 : 200);
            });

            it("the approved answer followed by a notification carrying a result key passes", async () => {
                const note = { jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: { result: "done" } } };
                bench.backend = () => sse([toolsListResult(7), note]);
                const r = await bench.send(modernPost("tools/list", { id: 7 }));
                expect([r.status, r.events]).toEqual([200, [securityEvents.auditCall]]);
            });

            it("two answers under the request id are drift (exactly one is required)", async () => {
                bench.backend = () => sse([toolsListResult(7), toolsListResult(7, driftedTools)]);
                const r = await bench.send(modernPost("tools/list", { id: 7 }));
                expect(r.events).toContain(securityEvents.manifestDrift);
            });

            it("a JSON answer under another id is drift; a string id matches itself", async () => {
                bench.backend = () => json(toolsListResult(8));
                expect((await bench.send(modernPost("tools/list", { id: 7 }))).events).toContain(securityEvents.manifestDrift);
                bench.backend = () => json(toolsListResult("a-1"));
                expect((await bench.send(modernPost("tools/list", { id: "a-1" }))).events).toEqual([securityEvents.auditCall]);
                bench.backend = () => sse([toolsListResult("a-1")]);
                expect((await bench.send(modernPost("tools/list", { id: "a-1" }))).events).toEqual([securityEvents.auditCall]);
            });
        });

        describe("2. bodies the envelope could not read are 400 with the envelope event, never 500 (C1.1)", () => {
            it("a POST without a body", async () => {
                const r = await bench.send({ ...modernPost("tools/list"), body: null });
                expect([r.status, r.rpcCode, r.forwarded]).toEqual([400, -32600, undefined]);
                expect(r.events).toEqual([securityEvents.envelopeRejected]);
            });

            for (const length of ["abc", "-1", "99999999999999999999", "1e3", ""]) {
                it(`Content-Length ${JSON.stringify(length)}`, async () => {
                    const r = await bench.send(modernPost("tools/list", { headers: { "Content-Length": length } }));
                    expect([r.status, r.rpcCode, r.forwarded]).toEqual([400, -32600, undefined]);
                    expect(r.events).toEqual([securityEvents.envelopeRejected]);
                });
            }

            it("a valid Content-Length still passes", async () => {
                bench.backend = () => json(toolsListResult(1));
                const request = modernPost("tools/list");
                const r = await bench.send({ ...request, headers: { ...request.headers, "Content-Length": String(Buffer.byteLength(request.body!)) } });
                expect(r.status).toBe(200);
            });
        });

        describe("4. bodies are strict JSON: what Json.NET alone would read is refused", () => {
            const cases = {
                comment: '{"jsonrpc":"2.0",/* x */"id":1,"method":"tools/list"}',
                "single quotes": "{'jsonrpc':'2.0','id':1,'method':'tools/list'}",
                "bare names": '{jsonrpc:"2.0",id:1,method:"tools/list"}',
                NaN: '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"n":NaN}}',
            };
            for (const [label, raw] of Object.entries(cases)) {
                it(`${label}: 400 with the envelope event`, async () => {
                    const r = await bench.send(legacyPost("tools/list", { raw }));
                    expect([r.status, r.rpcCode, r.forwarded]).toEqual([400, -32600, undefined]);
                    expect(r.events).toEqual([securityEvents.envelopeRejected]);
                });
            }

            it("strings may hold any of those characters", async () => {
                bench.backend = () => json(toolsListResult(1));
                const r = await bench.send(modernPost("tools/call", { params: toolCall("search_docs", { query: "it's /* not */ a comment, NaN \"quoted\" \\" }) }));
                expect(r.status).toBe(200);
            });
        });

        describe("4. JSON-RPC method names are exact: a case variant of a checked method is refused", () => {
            for (const method of ["Tools/Call", "TOOLS/CALL", "tools/Call"]) {
                it(`${method} is 400 and not forwarded (it would skip tool authorisation and Prompt Shields)`, async () => {
                    const raw = JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: { name: "update_page", arguments: { id: "1" }, _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28" } } });
                    const r = await bench.send(modernPost("tools/call", { raw, headers: { "Mcp-Method": method, "Mcp-Name": "update_page" } }));
                    expect([r.status, r.rpcCode, r.forwarded]).toEqual([400, -32600, undefined]);
                    expect(r.events).toEqual([securityEvents.envelopeRejected]);
                });
            }

            it("the same in a 2025-11-25 session", async () => {
                await bindSession(bench);
                const raw = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "Tools/Call", params: toolCall("update_page") });
                const r = await bench.send(legacyPost("tools/call", { raw }));
                expect([r.status, r.forwarded]).toEqual([400, undefined]);
            });

            it("methods with capitals MCP defines (logging/setLevel) still pass", async () => {
                const r = await bench.send(modernPost("logging/setLevel", { params: { level: "info" } }));
                expect(r.status).toBe(200);
            });
        });

        describe("5. a client application outside the allow-list is 403 client-not-allowed, decided from the token (M3)", () => {
            const unlisted = "dddddddd-0000-4000-8000-000000000004";
            // Learn documents no reason for validate-azure-ad-token: whatever it says, the answer is the same.
            for (const reason of ["JwtInvalid", "TokenClientApplicationNotAllowed", ""]) {
                it(`reason ${JSON.stringify(reason)}: 403 -31403 with the event and the unverified claims, not forwarded`, async () => {
                    bench.clientNotAllowedReason = reason;
                    const r = await bench.send(modernPost("tools/list", { auth: bearer({ azp: unlisted }) }));
                    expect([r.status, r.rpcCode, r.forwarded, r.events]).toEqual([403, -31403, undefined, [securityEvents.clientNotAllowed]]);
                    const detail = JSON.parse(JSON.parse(r.traces.find((t) => t.event === securityEvents.clientNotAllowed)!.message).detail);
                    expect([detail.unverified, detail.appid, detail.aud]).toEqual([true, unlisted, "aaaaaaaa-0000-4000-8000-000000000001"]);
                });
            }

            it("a v1 token (appid, no azp) and the sts.windows.net issuer are read the same way", async () => {
                const r = await bench.send(modernPost("tools/list", { auth: bearer({ azp: undefined, appid: unlisted, iss: `https://sts.windows.net/${tenantId}/` }) }));
                expect([r.status, r.events]).toEqual([403, [securityEvents.clientNotAllowed]]);
            });

            it("another tenant's or another API's token from an unlisted client stays 401 audience/issuer mismatch", async () => {
                for (const claims of [{ iss: "https://login.microsoftonline.com/99999999-0000-4000-8000-000000000009/v2.0" }, { aud: "api://someone-else" }]) {
                    const r = await bench.send(modernPost("tools/list", { auth: bearer({ ...claims, azp: unlisted }) }));
                    expect([r.status, r.events]).toEqual([401, [securityEvents.audienceMismatch]]);
                }
            });

            it("a listed client whose token fails is still 401 token-rejected; a forged one naming an unlisted client is 403 (claims unverified)", async () => {
                const r = await bench.send(modernPost("tools/list", { auth: `Bearer ${token(userClaims(), "forged")}` }));
                expect([r.status, r.events]).toEqual([401, [securityEvents.tokenRejected]]);
                const forged = await bench.send(modernPost("tools/list", { auth: `Bearer ${token(userClaims({ azp: unlisted }), "forged")}` }));
                expect([forged.status, forged.forwarded, forged.events]).toEqual([403, undefined, [securityEvents.clientNotAllowed]]);
                expect(JSON.parse(JSON.parse(forged.traces[0].message).detail).unverified).toBe(true);
            });

            it("without the allow-list variable the decision cannot be made: 401 token-rejected (the variable is what decides)", async () => {
                const v = variant(name);
                const docs = documents(v);
                const strip = (e: XmlElement): XmlElement => ({
                    ...e,
                    children: e.children.filter((c) => !("name" in c && c.name === "set-variable" && c.attributes.name === "mcpClientApplicationIds")).map((c) => ("name" in c ? strip(c) : c)),
                });
                const weak = new PolicyBench(v, { ...docs, api: strip(docs.api) });
                try {
                    const r = await weak.send(modernPost("tools/list", { auth: bearer({ azp: unlisted }) }));
                    expect([r.status, r.events]).toEqual([401, [securityEvents.tokenRejected]]);
                } finally {
                    weak.close();
                }
            });
        });

        describe("6. tool arguments over the Prompt Shields input limit are 400 -32602 with the envelope event, never 503 (C1.3)", () => {
            // `{"query":"…"}` is 12 characters around the value.
            const argsOf = (length: number) => ({ query: "x".repeat(length - 12) });

            it("10,001 characters: 400 -32602, no Retry-After, not screened, not forwarded", async () => {
                let screened = false;
                bench.contentSafety = () => {
                    screened = true;
                    return json({ userPromptAnalysis: { attackDetected: false }, documentsAnalysis: [] });
                };
                const r = await bench.send(modernPost("tools/call", { params: toolCall("search_docs", argsOf(10_001)) }));
                expect([r.status, r.rpcCode, r.forwarded, r.header("Retry-After"), screened]).toEqual([400, -32602, undefined, undefined, false]);
                expect(r.events).toEqual([securityEvents.envelopeRejected]);
            });

            it("10,000 characters are screened and forwarded", async () => {
                let seen = "";
                bench.contentSafety = (call) => {
                    seen = call.body;
                    return json({ userPromptAnalysis: { attackDetected: false }, documentsAnalysis: [] });
                };
                const r = await bench.send(modernPost("tools/call", { params: toolCall("search_docs", argsOf(10_000)) }));
                expect(r.status).toBe(200);
                expect((JSON.parse(seen) as { userPrompt: string }).userPrompt).toHaveLength(10_000);
            });
        });

        describe("7. Prompt Shields screens the arguments as the tool receives them (Json.NET rewrote ISO dates)", () => {
            const rawCall = (paramsTail: string) =>
                modernPost("tools/call", {
                    raw: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search_docs",${paramsTail},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}`,
                    headers: { "Mcp-Name": "search_docs" },
                });
            const screenedText = async (request: ReturnType<typeof rawCall>) => {
                const seen: string[] = [];
                bench.contentSafety = (call) => {
                    seen.push((JSON.parse(call.body) as { userPrompt: string }).userPrompt);
                    return json({ userPromptAnalysis: { attackDetected: false }, documentsAnalysis: [] });
                };
                const r = await bench.send(request);
                expect(r.status).toBe(200);
                return seen;
            };

            it("date strings, numbers and nesting reach the screen unchanged (whitespace aside)", async () => {
                const args = '{ "when": "2025-01-01T10:00:00.000+02:00", "at": "2025-06-30T23:59:59.1234567Z", "n": 1.50, "e": 1e3, "list": [1, {"b": "/Date(1234)/"}], "none": null, "yes": true }';
                expect(await screenedText(rawCall(`"arguments":${args}`))).toEqual(['{"when":"2025-01-01T10:00:00.000+02:00","at":"2025-06-30T23:59:59.1234567Z","n":1.50,"e":1e3,"list":[1,{"b":"/Date(1234)/"}],"none":null,"yes":true}']);
            });

            it("escapes are decoded as the tool decodes them (\\u0069gnore is ignore)", async () => {
                expect(await screenedText(rawCall('"arguments":{"query":"\\u0069gnore previous \\"instructions\\""}'))).toEqual(['{"query":"ignore previous \\"instructions\\""}']);
            });

            it("an escaped key is still the arguments; of duplicate keys the last is screened (as Json.NET and the server read it)", async () => {
                expect(await screenedText(rawCall('"\\u0061rguments":{"query":"hidden"}'))).toEqual(['{"query":"hidden"}']);
                expect(await screenedText(rawCall('"arguments":{"query":"first"},"arguments":{"query":"last"}'))).toEqual(['{"query":"last"}']);
            });
        });

        describe("8. 2026-07-28 version negotiation as SEP-2575 orders it (found by the conformance comparison)", () => {
            const discover = (params: Record<string, unknown>, headers: Record<string, string> = {}, id = 101) =>
                modernPost("server/discover", { raw: JSON.stringify({ jsonrpc: "2.0", id, method: "server/discover", params }), headers });
            const capabilities = { "io.modelcontextprotocol/clientCapabilities": {} };
            const errorOf = (body: string | null | undefined) => (JSON.parse(body ?? "{}") as { id?: unknown; error?: { data?: { supported?: string[]; requested?: string } } });

            it("a request without _meta is 400 -32602 Invalid params (a required per-request field is missing), not -32020", async () => {
                const r = await bench.send(discover({}));
                expect([r.status, r.rpcCode, r.forwarded, r.events]).toEqual([400, -32602, undefined, [securityEvents.protocolVersionRejected]]);
                expect(errorOf(r.body).id).toBe(101);
            });

            it("_meta without io.modelcontextprotocol/protocolVersion is 400 -32602 Invalid params", async () => {
                const r = await bench.send(discover({ _meta: capabilities }));
                expect([r.status, r.rpcCode, r.forwarded, r.events]).toEqual([400, -32602, undefined, [securityEvents.protocolVersionRejected]]);
            });

            it("a supported header with an unknown _meta version is the header/body mismatch first: 400 -32020", async () => {
                const r = await bench.send(discover({ _meta: { ...capabilities, "io.modelcontextprotocol/protocolVersion": "v999.0.0" } }));
                expect([r.status, r.rpcCode, r.forwarded, r.events]).toEqual([400, -32020, undefined, [securityEvents.headerBodyMismatch]]);
            });

            it("an unsupported header is -32022 before the match (conformance PR 293), whatever _meta says", async () => {
                for (const meta of ["v999.0.0", modern]) {
                    const r = await bench.send(discover({ _meta: { ...capabilities, "io.modelcontextprotocol/protocolVersion": meta } }, { "MCP-Protocol-Version": "v999.0.0" }));
                    expect([r.status, r.rpcCode, r.forwarded, r.events]).toEqual([400, -32022, undefined, [securityEvents.protocolVersionRejected]]);
                    expect(errorOf(r.body).error?.data?.requested).toBe("v999.0.0");
                }
            });

            it("-32022 of a stateless request lists only the stateless revisions (as server/discover does) and echoes the requested version", async () => {
                const r = await bench.send(discover({ _meta: { ...capabilities, "io.modelcontextprotocol/protocolVersion": "v999.0.0" } }, { "MCP-Protocol-Version": "v999.0.0" }, 301));
                const parsed = errorOf(r.body);
                expect([r.status, r.rpcCode, parsed.id]).toEqual([400, -32022, 301]);
                expect(parsed.error?.data).toEqual({ supported: supportedProtocolVersions.filter(isStatelessRevision), requested: "v999.0.0" });
            });

            it("a session-based revision named in _meta (header equal) is -32022 with the stateless list; a legacy initialize error still lists every revision", async () => {
                const r = await bench.send(discover({ _meta: { ...capabilities, "io.modelcontextprotocol/protocolVersion": legacy } }, { "MCP-Protocol-Version": legacy }));
                expect([r.status, r.rpcCode]).toEqual([400, -32022]);
                expect(errorOf(r.body).error?.data).toEqual({ supported: supportedProtocolVersions.filter(isStatelessRevision), requested: legacy });
                const init = await bench.send(legacyPost("initialize", { params: { protocolVersion: "2024-11-05", capabilities: {} } }));
                expect([init.status, init.rpcCode]).toEqual([400, -32602]);
                expect(errorOf(init.body).error?.data).toEqual({ supported: [...supportedProtocolVersions], requested: "2024-11-05" });
            });

            it("what stays: a missing header is -32020; a legacy header against a stateless _meta is -32020; a complete request passes", async () => {
                const meta = { _meta: { ...capabilities, "io.modelcontextprotocol/protocolVersion": modern } };
                expect((await bench.send(discover(meta, { "MCP-Protocol-Version": "" }))).rpcCode).toBe(-32020);
                expect((await bench.send(discover(meta, { "MCP-Protocol-Version": legacy }))).rpcCode).toBe(-32020);
                bench.backend = () => json({ jsonrpc: "2.0", id: 101, result: { supportedVersions: [modern], capabilities: {} } });
                expect((await bench.send(discover(meta))).status).toBe(200);
            });
        });
    });
}

describe("3. PremiumV2: no quota-by-key (classic and self-hosted gateways only); the daily quota still holds", () => {
    it("builds a policy set the v2 tier accepts and answers 429 once the daily quota is used", async () => {
        const bench = benchFor("premiumv2", { perUserDailyQuota: 3 });
        try {
            for (let i = 0; i < 3; i++) expect((await bench.send(modernPost("ping"))).status).toBe(200);
            const r = await bench.send(modernPost("ping"));
            expect([r.status, r.rpcCode, r.forwarded]).toEqual([429, -31429, undefined]);
            expect(r.events).toEqual([securityEvents.rateLimited]);
            expect(Number(r.header("Retry-After"))).toBeGreaterThan(0);
            expect(Number(r.header("Retry-After"))).toBeLessThanOrEqual(86_400);
            // Another user has their own quota.
            expect((await bench.send(modernPost("ping", { auth: bearer({ oid: "00000000-0000-4000-8000-0000000000c3" }) }))).status).toBe(200);
            bench.advance(86_400);
            expect((await bench.send(modernPost("ping"))).status).toBe(200);
        } finally {
            bench.close();
        }
    });
});

describe("3. the bench refuses what API Management would not save (a weaker document fails)", () => {
    it("quota-by-key in a PremiumV2 policy", () => {
        const v = variant("premiumv2");
        const classic = documents({ ...v, server: { ...v.server, gatewaySku: "Premium" } });
        expect(() => new PolicyBench(v, classic)).toThrow(PolicyConfigurationError);
        expect(() => new PolicyBench(v, classic)).toThrow(/quota-by-key.*v2/);
    });

    it("a rate-limit-by-key window longer than 300 seconds (the 'daily rate limit' shortcut)", async () => {
        const v = variant("premiumv2");
        const docs = documents(v);
        const daily = el("rate-limit-by-key", { id: "daily", calls: 5000, "renewal-period": 86400, "counter-key": "@(\"x\")" });
        const api: XmlElement = {
            ...docs.api,
            children: docs.api.children.map((c: XmlNode) => ("name" in c && c.name === "inbound" ? { ...c, children: [c.children[0], daily, ...c.children.slice(1)] } : c)),
        };
        const bench = new PolicyBench(v, { ...docs, api });
        try {
            await expect(bench.send(modernPost("ping"))).rejects.toThrow(/renewal-period 86400 outside 1–300/);
        } finally {
            bench.close();
        }
    });
});

describe("6. open failure mode: over-long tool arguments are refused too (padding must not skip the screen)", () => {
    it("10,001 characters with promptShieldsFailureMode open: 400 -32602, not forwarded", async () => {
        const v = variant("dev");
        const open = { ...v, settings: { ...v.settings, promptShieldsFailureMode: "open" as const } };
        const bench = new PolicyBench(open, documents(open));
        try {
            const r = await bench.send(modernPost("tools/call", { params: toolCall("search_docs", { query: "x".repeat(10_001 - 12) }) }));
            expect([r.status, r.rpcCode, r.forwarded, r.events]).toEqual([400, -32602, undefined, [securityEvents.envelopeRejected]]);
            // The open mode still forwards when the screen itself is down (its documented purpose).
            bench.contentSafety = () => "timeout";
            const down = await bench.send(modernPost("tools/call", { params: toolCall("search_docs") }));
            expect([down.status, down.forwarded !== undefined]).toEqual([200, true]);
        } finally {
            bench.close();
        }
    });
});

describe("8. a gateway that accepts no stateless revision answers a stateless request the legacy way (dual-era clients fall back)", () => {
    it("2026-07-28 request to a 2025-11-25-only gateway: 400 -32602 listing 2025-11-25, never -32022", async () => {
        const v = variant("prod");
        const legacyOnly = { ...v, settings: { ...v.settings, protocolVersions: [legacy] } };
        const bench = new PolicyBench(legacyOnly, documents(legacyOnly));
        try {
            const r = await bench.send(modernPost("tools/list"));
            expect([r.status, r.rpcCode, r.forwarded]).toEqual([400, -32602, undefined]);
            expect((JSON.parse(r.body ?? "{}") as { error?: { data?: unknown } }).error?.data).toEqual({ supported: [legacy], requested: modern });
        } finally {
            bench.close();
        }
    });
});
