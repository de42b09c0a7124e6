import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { supportedProtocolVersions } from "../../policy-pack/contract/revisions";
import { dataMarker } from "../../workloads/reference-server/src";
import { initializeBody, startHarness, type Harness } from "../../tools/reference-server-local";

let h: Harness;
beforeAll(async () => {
    h = await startHarness();
});
afterAll(async () => {
    await h?.close();
});

const text = (r: { content?: unknown }) => ((r.content as { type: string; text: string }[]) ?? []).map((c) => c.text).join("\n");

describe.each(supportedProtocolVersions)("the reference server over %s, driven by the SDK's client", (revision) => {
    it("lists the three tools the stacks declare, each input schema closed to unknown keys", async () => {
        const client = await h.connect(revision);
        const { tools } = await client.listTools();
        expect(tools.map((t) => t.name).sort()).toEqual(["get_page", "search_docs", "update_page"]);
        for (const tool of tools) expect(tool.inputSchema.additionalProperties).toBe(false);
        expect(tools.find((t) => t.name === "update_page")!.description).toMatch(/memory only/);
    });

    it("search_docs answers from the platform's docs/ with spotlighted, datamarked text", async () => {
        const client = await h.connect(revision, ["Docs.Read"]);
        const result = await client.callTool({ name: "search_docs", arguments: { query: "runbook incident" } });
        expect(result.isError).toBeFalsy();
        const body = text(result);
        expect(body).toMatch(/runbook\.md/);
        const nonce = /«data runbook\.md ([0-9a-f]{12})»/.exec(body)?.[1];
        expect(nonce).toBeDefined();
        expect(body).toContain(`«/data ${nonce}»`);
        expect(body).toContain(dataMarker);
    });

    it("get_page returns a page with its revision; update_page stores a new one in this replica", async () => {
        const client = await h.connect(revision);
        const page = text(await client.callTool({ name: "get_page", arguments: { path: "deploy-notes.md" } }));
        const current = Number(/revision (\d+)/.exec(page)![1]);
        const updated = await client.callTool({
            name: "update_page",
            arguments: { path: "deploy-notes.md", content: `# Deploy notes\nEdited over ${revision}\u0007\u202e hidden`, expectedRevision: current },
        });
        expect(text(updated)).toContain(`revision ${current + 1} (this replica only)`);
        const after = text(await client.callTool({ name: "get_page", arguments: { path: "deploy-notes.md" } }));
        expect(after).toContain(`revision ${current + 1}`);
        expect(after).toContain(`Edited${dataMarker}over${dataMarker}${revision}`);
        expect(after).not.toMatch(/[\u0007\u202e]/);
        const stale = await client.callTool({ name: "update_page", arguments: { path: "deploy-notes.md", content: "x", expectedRevision: current } });
        expect(stale.isError).toBe(true);
        expect(text(stale)).toMatch(/is at revision/);
    });

    it("refuses a tool whose app role the gateway did not forward (the server re-checks C2.2)", async () => {
        const reader = await h.connect(revision, ["Docs.Read"]);
        const denied = await reader.callTool({ name: "update_page", arguments: { path: "runbook.md", content: "x", expectedRevision: 1 } });
        expect(denied.isError).toBe(true);
        expect(text(denied)).toContain("requires the app role Docs.Write");
        const nobody = await h.connect(revision, []);
        expect((await nobody.callTool({ name: "search_docs", arguments: { query: "x" } })).isError).toBe(true);
    });

    it("rejects an unknown input key instead of dropping it, and oversized or malformed arguments", async () => {
        const client = await h.connect(revision);
        const unknown = await client.callTool({ name: "search_docs", arguments: { query: "x", includeSecrets: true } });
        expect(unknown.isError).toBe(true);
        expect(text(unknown)).toMatch(/includeSecrets/);
        expect((await client.callTool({ name: "search_docs", arguments: { query: "q".repeat(201) } })).isError).toBe(true);
        expect((await client.callTool({ name: "get_page", arguments: { path: "../package.json" } })).isError).toBe(true);
        expect((await client.callTool({ name: "update_page", arguments: { path: "runbook.md", content: "x".repeat(32_001), expectedRevision: 1 } })).isError).toBe(true);
    });

});

describe("2025-11-25 sessions (M4, C8.1)", () => {
    it("mints a random v4 UUID per session and binds it to the user who opened it", async () => {
        const ids = new Set<string>();
        for (let i = 0; i < 3; i++) {
            const r = await h.post(initializeBody);
            const id = r.headers.get("mcp-session-id");
            expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
            ids.add(id!);
            await r.body?.cancel();
        }
        expect(ids.size).toBe(3);
        const [id] = ids;
        const list = { jsonrpc: "2.0", id: 2, method: "tools/list", params: {} };
        const other = await h.post(list, { "Mcp-Session-Id": id, "MCP-Protocol-Version": "2025-11-25", "X-MCP-User-Oid": "12345678-1234-1234-1234-123456789abc" });
        expect(other.status).toBe(404);
        const unknown = await h.post(list, { "Mcp-Session-Id": "00000000-0000-4000-8000-000000000000", "MCP-Protocol-Version": "2025-11-25" });
        expect(unknown.status).toBe(404);
        const none = await h.post(list, { "MCP-Protocol-Version": "2025-11-25" });
        expect(none.status).toBe(400);
    });
});

describe("2025-11-25 session end", () => {
    it("DELETE ends the session; the id is unknown afterwards", async () => {
        const init = await h.post(initializeBody);
        const id = init.headers.get("mcp-session-id")!;
        await init.body?.cancel();
        const headers = { ...(await h.gatewayHeaders()), "Mcp-Session-Id": id, "MCP-Protocol-Version": "2025-11-25" };
        expect((await fetch(h.url, { method: "DELETE", headers })).status).toBe(200);
        const after = await h.post({ jsonrpc: "2.0", id: 2, method: "tools/list", params: {} }, { "Mcp-Session-Id": id, "MCP-Protocol-Version": "2025-11-25" });
        expect(after.status).toBe(404);
    });
});

describe("2026-07-28 stateless requests", () => {
    const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" }, "io.modelcontextprotocol/clientCapabilities": {} };
    const call = { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "search_docs", arguments: { query: "gateway" }, _meta: meta } };

    it("serves a tools/call without a session and never mints a session id", async () => {
        const r = await h.post(call, { "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": "search_docs" });
        expect(r.status).toBe(200);
        expect(r.headers.get("mcp-session-id")).toBeNull();
        expect(await r.text()).toContain("«data");
    });

    it("rejects Mcp-Method/Mcp-Name headers that disagree with the body (-32020)", async () => {
        for (const headers of [{ "Mcp-Method": "tools/call", "Mcp-Name": "get_page" }, { "Mcp-Method": "tools/list", "Mcp-Name": "search_docs" }, {}] as Record<string, string>[]) {
            const r = await h.post(call, { "MCP-Protocol-Version": "2026-07-28", ...headers });
            expect(r.status).toBe(400);
            expect(((await r.json()) as { error: { code: number } }).error.code).toBe(-32020);
        }
    });

    it("answers a JSON-RPC method the server does not serve with method-not-found (-32601)", async () => {
        const r = await h.post({ jsonrpc: "2.0", id: 8, method: "prompts/list", params: { _meta: meta } }, { "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "prompts/list" });
        expect(JSON.stringify(await r.json())).toContain("-32601");
    });

    it("rejects a revision the platform does not accept", async () => {
        const old = { ...call, params: { ...call.params, _meta: { ...meta, "io.modelcontextprotocol/protocolVersion": "2027-01-01" } } };
        const r = await h.post(old, { "MCP-Protocol-Version": "2027-01-01", "Mcp-Method": "tools/call", "Mcp-Name": "search_docs" });
        expect(r.status).toBeGreaterThanOrEqual(400);
        expect(await r.text()).toMatch(/-32022|unsupported/i);
    });
});
