import { afterAll, describe, expect, it } from "vitest";
import { fragmentId, fragmentIds } from "../../components/gateway/policy/fragments";
import { XmlElement } from "../../components/gateway/policy/xml";
import { securityEvents } from "../../policy-pack/contract/events";
import { PolicyBench } from "./support/bench";
import { documents, Documents, prefix, variant } from "./support/documents";
import { bearer, bindSession, driftedTools, json, legacyPost, modernPost, sse, toolCall, toolsListResult } from "./support/mcp";

/**
 * The case table can fail: with one fragment's include removed from the API policy (the same
 * compiled expressions), the decision that fragment makes is gone and the request gets through.
 */
const v = variant("prod");

function without(base: string): Documents {
    const docs = documents(v);
    const id = fragmentId(prefix, base);
    const strip = (e: XmlElement): XmlElement => ({
        ...e,
        children: e.children.filter((c) => !("name" in c && c.name === "include-fragment" && c.attributes["fragment-id"] === id)).map((c) => ("name" in c ? strip(c) : c)),
    });
    return { ...docs, api: strip(docs.api) };
}

const benches: PolicyBench[] = [];
function benchWithout(base: string): PolicyBench {
    const bench = new PolicyBench(v, without(base));
    benches.push(bench);
    return bench;
}
afterAll(() => benches.forEach((b) => b.close()));

describe("removing a fragment removes its decision (prod documents)", () => {
    it("tool authorisation: a forbidden tool is forwarded", async () => {
        const r = await benchWithout(fragmentIds.toolAuthorization).send(modernPost("tools/call", { params: toolCall("update_page") }));
        expect([r.status, r.forwarded !== undefined]).toEqual([200, true]);
    });

    it("Prompt Shields: an injection is forwarded", async () => {
        const bench = benchWithout(fragmentIds.promptShields);
        bench.contentSafety = () => json({ userPromptAnalysis: { attackDetected: true }, documentsAnalysis: [] });
        const r = await bench.send(modernPost("tools/call", { params: toolCall("search_docs") }));
        expect([r.status, r.forwarded !== undefined]).toEqual([200, true]);
    });

    it("origin: a foreign Origin is forwarded", async () => {
        const bench = benchWithout(fragmentIds.origin);
        bench.backend = () => json(toolsListResult(1));
        const r = await bench.send(modernPost("tools/list", { headers: { Origin: "https://evil.example" } }));
        expect(r.status).toBe(200);
    });

    it("session: another user's session is forwarded", async () => {
        const bench = benchWithout(fragmentIds.session);
        await bindSession(bench);
        const r = await bench.send(legacyPost("ping", { auth: bearer({ oid: "00000000-0000-4000-8000-0000000000b2" }) }));
        expect([r.status, r.forwarded !== undefined]).toEqual([200, true]);
    });

    it("manifest integrity: a drifted tools/list reaches the client without an event", async () => {
        const bench = benchWithout(fragmentIds.manifestIntegrity);
        bench.backend = () => sse([toolsListResult(1, driftedTools)]);
        const r = await bench.send(modernPost("tools/list"));
        expect([r.status, r.events.includes(securityEvents.manifestDrift)]).toEqual([200, false]);
    });

    it("bearer-required: no token reaches token validation, which still refuses it (defence in depth), without the RFC 9728 challenge", async () => {
        const r = await benchWithout(fragmentIds.bearerRequired).send(modernPost("tools/list", { auth: null }));
        expect(r.status).toBe(401);
        expect(r.forwarded).toBeUndefined();
    });

    it("audit: a forwarded call leaves no audit event", async () => {
        const bench = benchWithout(fragmentIds.audit);
        const r = await bench.send(modernPost("tools/call", { params: toolCall("search_docs") }));
        expect([r.status, r.events]).toEqual([200, []]);
    });
});
