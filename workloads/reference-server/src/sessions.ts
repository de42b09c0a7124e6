import { randomUUID } from "node:crypto";
import { WebStandardStreamableHTTPServerTransport, type McpHandlerRequestOptions, type McpServer } from "@modelcontextprotocol/server";
import type { RequestContext } from "./context";

/**
 * The 2025-11-25 leg: one SDK transport and server instance per session. Session ids come from
 * `crypto.randomUUID()` (122 random bits from the CSPRNG, M4, C8.1); each session is bound to the
 * user who opened it, idle sessions are closed and the count per replica is bounded.
 */

interface Session {
    readonly transport: WebStandardStreamableHTTPServerTransport;
    readonly server: McpServer;
    readonly owner: string;
    lastSeen: number;
}

export interface SessionStoreOptions {
    readonly factory: () => McpServer;
    readonly maxSessions: number;
    readonly idleMs: number;
    readonly maxBodyBytes: number;
    readonly onerror: (err: Error) => void;
}

const sessionIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export class SessionStore {
    private readonly sessions = new Map<string, Session>();
    private readonly sweeper: NodeJS.Timeout;

    constructor(private readonly options: SessionStoreOptions) {
        this.sweeper = setInterval(() => this.sweep(), Math.min(60_000, options.idleMs)).unref();
    }

    get size(): number {
        return this.sessions.size;
    }

    async handle(request: Request, opts: McpHandlerRequestOptions): Promise<Response> {
        const owner = (opts.authInfo?.extra?.request as RequestContext | undefined)?.caller.userOid;
        if (!owner) return rpcError(401, -31401, "Unauthorized");
        const id = request.headers.get("mcp-session-id");
        if (id !== null) {
            const session = sessionIdPattern.test(id) ? this.sessions.get(id) : undefined;
            // Another user's session id answers like an unknown one: no oracle for valid ids.
            if (!session || session.owner !== owner) return rpcError(404, -32001, "Session not found");
            session.lastSeen = Date.now();
            return session.transport.handleRequest(request, opts);
        }
        if (request.method !== "POST" || !isInitialize(opts.parsedBody)) return rpcError(400, -32000, "Bad Request: Mcp-Session-Id header is required");
        if (this.sessions.size >= this.options.maxSessions) await this.evictOldest();
        const server = this.options.factory();
        const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
            sessionIdGenerator: () => randomUUID(),
            maxRequestBodySize: this.options.maxBodyBytes,
            onsessioninitialized: (sid) => {
                this.sessions.set(sid, { transport, server, owner, lastSeen: Date.now() });
            },
            onsessionclosed: (sid) => {
                this.sessions.delete(sid);
            },
        });
        transport.onerror = this.options.onerror;
        await server.connect(transport);
        return transport.handleRequest(request, opts);
    }

    async closeAll(): Promise<void> {
        clearInterval(this.sweeper);
        const all = [...this.sessions.values()];
        this.sessions.clear();
        await Promise.allSettled(all.map((s) => s.server.close()));
    }

    private sweep(): void {
        const cutoff = Date.now() - this.options.idleMs;
        for (const [id, session] of this.sessions) {
            if (session.lastSeen < cutoff) this.drop(id, session);
        }
    }

    private async evictOldest(): Promise<void> {
        let oldest: [string, Session] | undefined;
        for (const entry of this.sessions) if (!oldest || entry[1].lastSeen < oldest[1].lastSeen) oldest = entry;
        if (oldest) await this.drop(...oldest);
    }

    private async drop(id: string, session: Session): Promise<void> {
        this.sessions.delete(id);
        await session.server.close().catch(this.options.onerror);
    }
}

function isInitialize(body: unknown): boolean {
    const messages = Array.isArray(body) ? body : [body];
    return messages.some((m) => typeof m === "object" && m !== null && (m as { method?: unknown }).method === "initialize");
}

function rpcError(status: number, code: number, message: string): Response {
    return new Response(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code, message } }), { status, headers: { "Content-Type": "application/json" } });
}
