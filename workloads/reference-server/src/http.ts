import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createMcpHandler, isLegacyRequest, type AuthInfo } from "@modelcontextprotocol/server";
import { toNodeHandler } from "@modelcontextprotocol/node";
import { supportedProtocolVersions } from "../../../policy-pack/contract/revisions";
import { AuthError, createTokenVerifier, type TokenVerifier } from "./auth";
import type { ServerConfig } from "./config";
import type { RequestContext } from "./context";
import { Corpus, type DocsStore } from "./corpus";
import { createLogger, describeError, hashOid, type Logger, type RequestRecord } from "./log";
import { SessionStore } from "./sessions";
import { createDocsServer, toolRoles } from "./tools";

/** Paths the Container App's probes call; components/workload `probes()` takes one of them. */
export const healthPaths = { live: "/healthz", ready: "/readyz" } as const;
export const mcpPath = "/mcp";

/** JSON-RPC error codes for HTTP-level rejections: the gateway's codes (components/gateway/policy/expressions.ts). */
const codes = { parseError: -32700, unauthorized: -31401, forbidden: -31403, notFound: -31404, methodNotAllowed: -31405, payloadTooLarge: -31413, unsupportedMediaType: -31415, internal: -32603 };

export interface RunningServer {
    readonly url: string;
    readonly port: number;
    /** Stops accepting, lets in-flight requests finish (at most `graceMs`), closes sessions. */
    close(graceMs?: number): Promise<void>;
}

export interface StartOptions {
    readonly config: ServerConfig;
    /** The page store. Defaults to the Markdown pages of `config.docsDir`. */
    readonly corpus?: DocsStore;
    readonly logger?: Logger;
    /** Replaces the remote key set (tests that inject keys directly). */
    readonly verifier?: TokenVerifier;
}

class HttpRejection extends Error {
    constructor(
        readonly status: number,
        readonly code: number,
        readonly publicMessage: string,
        readonly reason: string,
        readonly headers: Record<string, string> = {},
    ) {
        super(reason);
    }
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
    const { config } = options;
    const logger = options.logger ?? createLogger();
    const corpus = options.corpus ?? Corpus.fromDirectory(config.docsDir);
    const verifier = options.verifier ?? createTokenVerifier(config);
    const origins = new Set(config.allowedOrigins);
    const limits = { maxResultChars: config.maxResultChars, toolTimeoutMs: config.toolTimeoutMs };
    const onInternalError = (ctx: RequestContext | undefined, err: unknown) => logger.event("error", "tool handler failed", { correlationId: ctx?.correlationId, ...describeError(err) });
    const factory = () => createDocsServer(corpus, limits, onInternalError);
    const onSdkError = (err: Error) => logger.event("warn", "sdk reported an error", describeError(err));

    // 2026-07-28: stateless, one server instance per request; 2025-era requests are routed to the
    // sessionful leg below, so the modern handler rejects anything else.
    const modern = createMcpHandler(factory, { legacy: "reject", maxRequestBodySize: config.maxBodyBytes, onerror: onSdkError });
    const sessions = new SessionStore({ factory, maxSessions: config.maxSessions, idleMs: config.sessionIdleMs, maxBodyBytes: config.maxBodyBytes, onerror: onSdkError });
    const mcp = toNodeHandler(
        {
            fetch: async (request, opts) => ((await isLegacyRequest(request, opts?.parsedBody, { maxRequestBodySize: config.maxBodyBytes })) ? sessions.handle(request, opts ?? {}) : modern.fetch(request, opts)),
        },
        { maxRequestBodySize: config.maxBodyBytes, onerror: onSdkError },
    );
    let draining = false;

    const server: Server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000, maxHeaderSize: 16_384 }, (req, res) => {
        const started = process.hrtime.bigint();
        const record: RequestRecord = { correlationId: randomUUID(), httpMethod: req.method ?? "", path: (req.url ?? "").split("?")[0].slice(0, 64) };
        res.setHeader("X-Correlation-Id", record.correlationId);
        res.setHeader("Cache-Control", "no-store");
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.once("close", () => {
            record.status = res.statusCode;
            record.durationMs = Number((process.hrtime.bigint() - started) / 1000n) / 1000;
            record.outcome ??= res.statusCode >= 400 ? "rejected" : record.rpcMethod === "tools/call" ? "invalid_input" : "ok";
            if (record.path !== healthPaths.live && record.path !== healthPaths.ready) logger.request(record);
        });
        handle(req, res, record).catch((err) => {
            if (err instanceof HttpRejection) {
                record.outcome = "rejected";
                if (err.status === 401 || err.status === 403) logger.event("warn", "request rejected", { correlationId: record.correlationId, status: err.status, reason: err.reason });
                return sendError(res, err.status, err.code, err.publicMessage, err.headers);
            }
            record.outcome = "internal_error";
            logger.event("error", "request failed", { correlationId: record.correlationId, ...describeError(err) });
            sendError(res, 500, codes.internal, `Internal error (correlation id ${record.correlationId}).`);
        });
    });

    async function handle(req: IncomingMessage, res: ServerResponse, record: RequestRecord): Promise<void> {
        if (record.path === healthPaths.live || record.path === healthPaths.ready) {
            if (req.method !== "GET" && req.method !== "HEAD") throw new HttpRejection(405, codes.methodNotAllowed, "Method not allowed", "health method", { Allow: "GET, HEAD" });
            const ready = record.path === healthPaths.live || !draining;
            res.writeHead(ready ? 200 : 503, { "Content-Type": "application/json" }).end(JSON.stringify({ status: ready ? "ok" : "draining" }));
            return;
        }
        if (record.path !== mcpPath) throw new HttpRejection(404, codes.notFound, "Not found", "unknown path");
        if (!["POST", "GET", "DELETE"].includes(req.method ?? "")) throw new HttpRejection(405, codes.methodNotAllowed, "Method not allowed", "mcp method", { Allow: "POST, GET, DELETE" });
        // Both revisions make Origin validation a MUST (DNS rebinding); non-browser clients send none.
        const origin = req.headers.origin;
        if (origin !== undefined && !origins.has(origin)) throw new HttpRejection(403, codes.forbidden, "Forbidden origin", "origin not allowed");
        const version = req.headers["mcp-protocol-version"];
        record.revision = typeof version === "string" && (supportedProtocolVersions as readonly string[]).includes(version) ? version : undefined;

        let caller;
        try {
            caller = await verifier.verify(req.headers);
        } catch (err) {
            if (err instanceof AuthError) throw new HttpRejection(401, codes.unauthorized, "Unauthorized", err.reason, { "WWW-Authenticate": 'Bearer error="invalid_token"' });
            throw err;
        }
        record.user = hashOid(caller.userOid);

        let parsedBody: unknown;
        if (req.method === "POST") {
            const type = req.headers["content-type"] ?? "";
            if (!/^application\/json\s*(;|$)/i.test(type)) throw new HttpRejection(415, codes.unsupportedMediaType, "Content-Type must be application/json", "media type");
            parsedBody = await readJson(req, config.maxBodyBytes);
            describeBody(parsedBody, record);
        }
        const context: RequestContext = { correlationId: record.correlationId, caller, record };
        // The token stays out of the SDK: handlers see who the caller is, not the credential.
        const auth: AuthInfo = { token: "", clientId: "gateway", scopes: [...caller.roles], extra: { request: context } };
        await mcp(Object.assign(req, { auth }), res, parsedBody);
    }

    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(config.port, config.host, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    logger.event("info", "listening", { port, pages: (await corpus.list()).length, revisions: supportedProtocolVersions.join(",") });

    return {
        url: `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${port}${mcpPath}`,
        port,
        async close(graceMs = 10_000) {
            draining = true;
            const closed = new Promise<void>((resolve) => server.close(() => resolve()));
            server.closeIdleConnections();
            await sessions.closeAll();
            await modern.close();
            const timer = setTimeout(() => server.closeAllConnections(), graceMs);
            await closed;
            clearTimeout(timer);
        },
    };
}

/** Reads at most `max` bytes (413 past it, declared or streamed) and parses JSON (400 otherwise). */
async function readJson(req: IncomingMessage, max: number): Promise<unknown> {
    const declared = Number(req.headers["content-length"] ?? "0");
    const tooLarge = () => new HttpRejection(413, codes.payloadTooLarge, `Request body over ${max} bytes`, "body too large", { Connection: "close" });
    if (declared > max) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > max) throw tooLarge();
        chunks.push(chunk as Buffer);
    }
    try {
        return JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
        throw new HttpRejection(400, codes.parseError, "Parse error", "body is not JSON");
    }
}

/** The JSON-RPC method and, for tools/call, the tool: logged only when they are names we know. */
function describeBody(body: unknown, record: RequestRecord): void {
    if (typeof body !== "object" || body === null || Array.isArray(body)) return;
    const { method, params } = body as { method?: unknown; params?: { name?: unknown } };
    if (typeof method === "string" && /^[a-z][a-z/_]{0,63}$/i.test(method)) record.rpcMethod = method;
    const name = params?.name;
    if (record.rpcMethod === "tools/call" && typeof name === "string" && Object.hasOwn(toolRoles, name)) record.tool = name;
}

function sendError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
    if (res.headersSent) {
        res.destroy();
        return;
    }
    res.writeHead(status, { "Content-Type": "application/json", ...headers }).end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code, message } }));
}
