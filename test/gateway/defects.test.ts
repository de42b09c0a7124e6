import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { securityEvents } from "../../policy-pack/contract/events";
import { el, XmlElement, XmlNode } from "../../components/gateway/policy/xml";
import { PolicyBench, PolicyConfigurationError } from "./support/bench";
import { approvedTools, documents, variant, VariantName } from "./support/documents";
import { bearer, benchFor, bindSession, driftedTools, json, legacyPost, modernPost, sse, toolCall, toolsListResult } from "./support/mcp";

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
