import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, jwtVerify } from "jose";
import { securityEvents } from "../../policy-pack/contract/events";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PolicyBench } from "./support/bench";
import { documents, gatewayIdentityClientId, tenantId, variant } from "./support/documents";
import { gatewayIdentityObjectId, LocalIdentities, startLocalIdentities, useLocalIdentities } from "./support/identities";
import { LoopbackGateway, startLoopbackGateway } from "./support/loopback";
import { driftedTools, modern, modernPost, toolCall, toolsListResult, userClaims } from "./support/mcp";

/**
 * The loopback gateway (support/loopback.ts) in front of a tiny scripted upstream: what it forwards,
 * with which identity, what it never forwards, and that streamed bodies flow while tools/list is
 * read whole. Prod documents (manifest block mode, Prompt Shields fail-closed).
 */

interface Seen {
    method: string;
    url: string;
    headers: IncomingMessage["headers"];
    body: string;
}

type Script = (req: IncomingMessage, res: ServerResponse, body: string) => void;

describe("loopback gateway (prod documents) in front of a scripted upstream", () => {
    let ids: LocalIdentities;
    let bench: PolicyBench;
    let gateway: LoopbackGateway;
    let upstream: Server;
    let upstreamUrl: URL;
    let script: Script;
    const seen: Seen[] = [];

    beforeAll(async () => {
        ids = await startLocalIdentities();
        const v = variant("prod");
        bench = new PolicyBench(v, documents(v));
        useLocalIdentities(bench, ids);
        upstream = createServer((req, res) => {
            let body = "";
            req.setEncoding("utf8");
            req.on("data", (c) => (body += c));
            req.on("end", () => {
                seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
                script(req, res, body);
            });
        });
        await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
        upstreamUrl = new URL(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}/mcp`);
        gateway = await startLoopbackGateway(bench, upstreamUrl);
    });
    afterAll(async () => {
        await gateway?.close();
        upstream?.closeAllConnections();
        await new Promise<void>((resolve) => upstream?.close(() => resolve()));
        bench?.close();
        await ids?.close();
    });
    afterEach(() => {
        expect(gateway.errors).toEqual([]);
        seen.length = 0;
    });

    const jsonAnswer = (body: unknown): Script => (_req, res) => {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
    };

    async function post(method: string, params: Record<string, unknown> = {}, auth?: string | null): Promise<Response> {
        const r = modernPost(method, { params, auth: auth === undefined ? `Bearer ${await ids.userToken()}` : auth });
        return fetch(gateway.url, { method: "POST", headers: r.headers, body: r.body });
    }

    it("forwards an allowed call with the gateway's managed-identity token (signed, for the backend app), never the caller's", async () => {
        script = jsonAnswer({ jsonrpc: "2.0", id: 1, result: { content: [{ type: "text", text: "found" }] } });
        const r = await post("tools/call", toolCall("search_docs"));
        expect(r.status).toBe(200);
        expect(await r.json()).toEqual({ jsonrpc: "2.0", id: 1, result: { content: [{ type: "text", text: "found" }] } });
        expect(r.headers.get("strict-transport-security")).toContain("max-age=");
        expect(seen).toHaveLength(1);
        const call = seen[0];
        expect([call.method, call.url]).toEqual(["POST", "/mcp"]);
        expect(JSON.parse(call.body).method).toBe("tools/call");
        const token = /^Bearer (.+)$/.exec(call.headers.authorization ?? "")![1];
        const { payload } = await jwtVerify(token, createLocalJWKSet(ids.gateway.jwks), {
            issuer: `https://sts.windows.net/${tenantId}/`,
            audience: variant("prod").server.backendIdentifierUri,
        });
        expect([payload.appid, payload.oid]).toEqual([gatewayIdentityClientId, gatewayIdentityObjectId]);
        expect(call.headers["x-mcp-user-oid"]).toBe(userClaims().oid);
        expect(call.headers["mcp-protocol-version"]).toBe(modern);
        expect(call.headers.host).toBe(upstreamUrl.host);
    });

    // The API policy overrides X-MCP-User-Roles from the validated token, so a header the caller sends
    // never reaches the server (whose defence-in-depth role check trusts it: workloads/reference-server/src/auth.ts).
    it("the upstream sees the token's roles, never a caller-supplied X-MCP-User-Roles", async () => {
        script = jsonAnswer({ jsonrpc: "2.0", id: 1, result: { content: [] } });
        const r = modernPost("tools/call", { params: toolCall("search_docs"), auth: `Bearer ${await ids.userToken({ roles: ["Docs.Read"] })}`, headers: { "X-MCP-User-Roles": "Docs.Write" } });
        expect((await fetch(gateway.url, { method: "POST", headers: r.headers, body: r.body })).status).toBe(200);
        expect(seen[0].headers["x-mcp-user-roles"]).toBe("Docs.Read");
    });

    it("never reaches the upstream for a request the policy refuses: no token, a token signed by another key, a tool outside the role", async () => {
        script = jsonAnswer({ jsonrpc: "2.0", id: 1, result: {} });
        const none = await post("tools/list", {}, null);
        expect(none.status).toBe(401);
        expect(none.headers.get("www-authenticate")).toContain('resource_metadata="https://mcp.contoso.com/mcp/docs/.well-known/oauth-protected-resource"');
        const forged = await post("tools/list", {}, `Bearer ${await ids.gateway.sign(userClaims())}`);
        expect(forged.status).toBe(401);
        const denied = await post("tools/call", toolCall("update_page", { id: "1", text: "x" }));
        expect([denied.status, ((await denied.json()) as { error: { code: number } }).error.code]).toEqual([403, -31403]);
        expect(seen).toEqual([]);
    });

    it("streams an SSE answer: the first event reaches the client while the upstream still holds the stream open", async () => {
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        script = (_req, res) => {
            res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
            res.write(`event: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: 1, progress: 1 } })}\n\n`);
            void released.then(() => res.end(`event: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", id: 1, result: { content: [] } })}\n\n`));
        };
        const r = await post("tools/call", toolCall("search_docs"));
        expect(r.status).toBe(200);
        expect(r.headers.get("content-type")).toBe("text/event-stream");
        const reader = r.body!.getReader();
        const first = await Promise.race([reader.read(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error("first event was buffered")), 5000))]);
        expect(new TextDecoder().decode(first.value)).toContain("notifications/progress");
        release();
        let rest = "";
        for (let i = 0; i < 100; i++) {
            const chunk = await reader.read();
            if (chunk.done) break;
            rest += new TextDecoder().decode(chunk.value);
        }
        expect(rest).toContain('"result"');
    });

    it("reads tools/list whole and blocks a drifted manifest, even over SSE (prod: block)", async () => {
        script = (_req, res) => {
            res.writeHead(200, { "Content-Type": "text/event-stream" });
            res.end(`event: message\ndata: ${JSON.stringify(toolsListResult(1, driftedTools))}\n\n`);
        };
        const r = await post("tools/list");
        expect(r.status).toBe(502);
        expect(((await r.json()) as { error: { code: number } }).error.code).toBe(-31502);
        script = jsonAnswer(toolsListResult(1));
        const ok = await post("tools/list");
        expect(ok.status).toBe(200);
        expect(((await ok.json()) as { result: { tools: unknown[] } }).result.tools).toHaveLength(2);
    });

    it("answers 502 without internals when the upstream is down or slower than the forward timeout", async () => {
        const v = variant("prod");
        const quick = { ...v, settings: { ...v.settings, backendTimeoutSeconds: 1 } };
        const slowBench = new PolicyBench(quick, documents(quick));
        useLocalIdentities(slowBench, ids);
        const slow = await startLoopbackGateway(slowBench, upstreamUrl);
        const closed = await startLoopbackGateway(bench, new URL("http://127.0.0.1:9/mcp"));
        try {
            script = (_req, res) => void setTimeout(() => res.writeHead(200).end("{}"), 3000);
            for (const g of [slow, closed]) {
                const r = modernPost("tools/call", { params: toolCall("search_docs"), auth: `Bearer ${await ids.userToken()}` });
                const answer = await fetch(g.url, { method: "POST", headers: r.headers, body: r.body });
                expect(answer.status).toBe(502);
                const text = await answer.text();
                expect(JSON.parse(text).error.code).toBe(-31502);
                expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|timed out/i);
                expect(g.errors).toEqual([]);
            }
        } finally {
            await slow.close();
            await closed.close();
            slowBench.close();
        }
    });

    it("answers 404 outside the API's path without running a policy, and records each exchange", async () => {
        const before = gateway.exchanges.length;
        const r = await fetch(`${gateway.origin}/other`, { method: "POST", body: "{}" });
        expect(r.status).toBe(404);
        expect(gateway.exchanges.length).toBe(before);
        const none = await post("tools/list", {}, null);
        expect(none.status).toBe(401);
        expect(gateway.exchanges.at(-1)).toMatchObject({ method: "POST", rpcMethod: "tools/list", status: 401, forwarded: false, events: [securityEvents.tokenRejected] });
        expect(gateway.exchanges.every((t) => t.totalMs >= t.upstreamMs)).toBe(true);
    });

    it("the RFC 9728 document is served by the policy, not the upstream", async () => {
        const r = await fetch(`${gateway.url}/.well-known/oauth-protected-resource`);
        expect(r.status).toBe(200);
        expect(((await r.json()) as { resource: string }).resource).toBe("https://mcp.contoso.com/mcp/docs");
        expect(seen).toEqual([]);
    });
});
