import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initializeBody, startHarness, type Harness } from "../../tools/reference-server-local";
import { backendClientId, gatewayClientId, unsignedToken, userOid, v2Issuer } from "../../tools/local-issuer";

/** Every hop authenticated (M1, A1): only the gateway's token for this backend, from this tenant, is accepted. */
let h: Harness;
beforeAll(async () => {
    h = await startHarness();
});
afterAll(async () => {
    await h?.close();
});

async function withToken(token: string, headers: Record<string, string> = {}) {
    return h.post(initializeBody, { Authorization: `Bearer ${token}`, ...headers });
}

describe("the reference server's check of the gateway's token", () => {
    it("accepts the gateway's v1 managed-identity token and a v2 token for the backend's client id", async () => {
        expect((await withToken(await h.issuer.token())).status).toBe(200);
        expect((await withToken(await h.issuer.token({ iss: v2Issuer, aud: backendClientId, ver: "2.0", appid: null, azp: gatewayClientId }))).status).toBe(200);
    });

    const rejected: [string, () => Promise<Record<string, string>>][] = [
        ["a wrong audience", async () => ({ Authorization: `Bearer ${await h.issuer.token({ aud: "api://some-other-app" })}` })],
        ["a wrong issuer", async () => ({ Authorization: `Bearer ${await h.issuer.token({ iss: "https://sts.windows.net/00000000-0000-0000-0000-000000000000/" })}` })],
        ["an expired token", async () => ({ Authorization: `Bearer ${await h.issuer.token({ exp: Math.floor(Date.now() / 1000) - 600 })}` })],
        ["a token without exp", async () => ({ Authorization: `Bearer ${await h.issuer.token({ exp: null })}` })],
        ["an unsigned token", async () => ({ Authorization: `Bearer ${unsignedToken()}` })],
        ["a token signed by a key outside the tenant's JWKS", async () => ({ Authorization: `Bearer ${await h.issuer.token({}, { key: "stranger" })}` })],
        ["a token that is not the gateway's identity", async () => ({ Authorization: `Bearer ${await h.issuer.token({ appid: "12345678-0000-0000-0000-000000000000", oid: "12345678-0000-0000-0000-000000000001" })}` })],
        ["no Authorization header", async () => ({ Authorization: "" })],
        ["a non-bearer scheme", async () => ({ Authorization: "Basic dXNlcjpwYXNz" })],
        ["a valid token but no user oid header", async () => ({ "X-MCP-User-Oid": "" })],
        ["a valid token but a malformed user oid", async () => ({ "X-MCP-User-Oid": "not-a-guid" })],
        ["a valid token but malformed roles", async () => ({ "X-MCP-User-Roles": "Docs.Read,<script>" })],
    ];
    it.each(rejected)("answers 401 with a JSON-RPC error for %s, and logs why", async (_, headers) => {
        const r = await h.post(initializeBody, await headers());
        expect(r.status).toBe(401);
        expect(r.headers.get("www-authenticate")).toMatch(/^Bearer/);
        const body = await r.json();
        expect(body).toEqual({ jsonrpc: "2.0", id: null, error: { code: -31401, message: "Unauthorized" } });
        const id = r.headers.get("x-correlation-id");
        expect(h.logLines.some((l) => l.correlationId === id && l.msg === "request rejected" && typeof l.reason === "string")).toBe(true);
    });

    it("picks up a rotated signing key from the JWKS without a restart", async () => {
        const before = h.issuer.fetches;
        await h.issuer.rotate();
        // jose refetches for an unknown kid at most once per cooldown (300 ms in the harness, 30 s deployed).
        await new Promise((resolve) => setTimeout(resolve, 350));
        const r = await withToken(await h.issuer.token());
        expect(r.status).toBe(200);
        expect(h.issuer.fetches).toBeGreaterThan(before);
    });
});

describe("the reference server's HTTP surface", () => {
    it("rejects an Origin outside the allow-list (403) and accepts a listed one", async () => {
        expect((await h.post(initializeBody, { Origin: "https://evil.example" })).status).toBe(403);
        expect((await h.post(initializeBody, { Origin: "https://vscode.dev" })).status).toBe(200);
    });

    it("rejects an oversized body with 413 before reading it", async () => {
        const big = JSON.stringify({ ...initializeBody, params: { ...initializeBody.params, pad: "x".repeat(70_000) } });
        const r = await h.post(big);
        expect(r.status).toBe(413);
        expect(((await r.json()) as { error: { code: number } }).error.code).toBe(-31413);
    });

    it("rejects a body that is not JSON (400), a wrong media type (415), other methods (405) and other paths (404)", async () => {
        expect((await h.post("{not json")).status).toBe(400);
        expect((await h.post(initializeBody, { "Content-Type": "text/plain" })).status).toBe(415);
        const put = await fetch(h.url, { method: "PUT", headers: await h.gatewayHeaders(), body: "{}" });
        expect(put.status).toBe(405);
        expect(put.headers.get("allow")).toBe("POST, GET, DELETE");
        expect((await fetch(h.url.replace("/mcp", "/admin"), { headers: await h.gatewayHeaders() })).status).toBe(404);
    });

    it("answers the health probes without a token, and only to GET", async () => {
        const base = h.url.replace("/mcp", "");
        expect((await fetch(`${base}/healthz`)).status).toBe(200);
        expect((await fetch(`${base}/readyz`)).status).toBe(200);
        expect((await fetch(`${base}/healthz`, { method: "POST" })).status).toBe(405);
    });

    it("never logs tokens, the user's oid, session ids or arguments", async () => {
        const client = await h.connect("2025-11-25");
        await client.callTool({ name: "search_docs", arguments: { query: "zebra-canary-query" } });
        const token = (await h.gatewayHeaders()).Authorization.slice(7, 40);
        const all = JSON.stringify(h.logLines);
        expect(all).not.toContain("zebra-canary-query");
        expect(all).not.toContain(userOid);
        expect(all).not.toContain(token);
        expect(all).not.toContain("eyJ");
        expect(all).not.toMatch(/"mcp-session-id"|sessionId/i);
        const call = h.logLines.find((l) => l.msg === "request" && l.tool === "search_docs" && l.outcome === "ok");
        expect(call).toMatchObject({ rpcMethod: "tools/call", status: 200, user: expect.stringMatching(/^[0-9a-f]{16}$/), correlationId: expect.any(String), durationMs: expect.any(Number) });
    });
});
