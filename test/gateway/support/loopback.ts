import { createServer, IncomingMessage, request as httpRequest, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Backend, BenchResult, PolicyBench } from "./bench";

/**
 * The policy bench served as HTTP on loopback: the gateway in front of a real MCP server. Each
 * request runs through the bench (inbound → backend → outbound, on-error), the bench's
 * forward-request becomes a real HTTP call to `upstream`, and the answer goes back as the policy
 * leaves it: a body the policy buffered or replaced is sent whole, a streamed backend body
 * (`buffer-response="false"`, SSE) flows chunk by chunk as it arrives.
 *
 * Stands in for API Management only: no Application Gateway in front (no X-Forwarded-For is
 * added), no TLS, one gateway unit (counters and caches in one process).
 */

/** One request as the gateway handled it. */
export interface GatewayExchange {
    readonly method: string;
    /** The JSON-RPC method of a POST body (as the client sent it), "" otherwise. */
    readonly rpcMethod: string;
    readonly status: number;
    /** Whether forward-request ran (the request reached the upstream). */
    readonly forwarded: boolean;
    /** The security events the policies traced (what the Sentinel rules read). */
    readonly events: readonly string[];
    /** Request received → status and headers written. */
    readonly totalMs: number;
    /** Time spent waiting for the upstream's response headers (0 when nothing was forwarded). */
    readonly upstreamMs: number;
}

export interface LoopbackGateway {
    /** `http://127.0.0.1:<port>` */
    readonly origin: string;
    /** The MCP endpoint: `<origin>/mcp/<server>`. */
    readonly url: string;
    readonly exchanges: GatewayExchange[];
    /** Bench failures (a policy it cannot run, a runner crash), answered 500; a test expects none. */
    readonly errors: string[];
    close(): Promise<void>;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) and Host: the gateway sets its own on each hop. */
const hopByHop = new Set(["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host"]);
/** The listener's own bound on a request body, before the policy's (maxRequestBytes) applies. */
const listenerMaxBodyBytes = 16 * 1024 * 1024;

function headerRecord(raw: readonly string[]): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const names = new Map<string, string>();
    for (let i = 0; i + 1 < raw.length; i += 2) {
        const lower = raw[i].toLowerCase();
        if (hopByHop.has(lower)) continue;
        const name = names.get(lower) ?? raw[i];
        names.set(lower, name);
        (out[name] ??= []).push(raw[i + 1]);
    }
    return out;
}

function withoutHopByHop(headers: Record<string, string[]>, drop: readonly string[] = []): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [name, values] of Object.entries(headers)) if (!hopByHop.has(name.toLowerCase()) && !drop.includes(name.toLowerCase())) out[name] = values;
    return out;
}

/**
 * forward-request as a real HTTP/1.1 call to `upstream` (its path plus the request's path below
 * the API). `timeoutSeconds` bounds the wait for the response headers, as forward-request's
 * `timeout` does; the body is handed back unread (the bench buffers it when `buffer-response` says so).
 */
function httpBackend(upstream: URL, onHeaders?: (ms: number) => void): Backend {
    return (call, options) =>
        new Promise((resolve) => {
            const started = performance.now();
            const headers = withoutHopByHop(call.headers, ["content-length"]);
            if (call.body !== "" || call.method === "POST") headers["Content-Length"] = [String(Buffer.byteLength(call.body))];
            const req = httpRequest({ host: upstream.hostname, port: upstream.port, path: `${upstream.pathname.replace(/\/+$/, "")}${call.path}`, method: call.method, headers });
            const timer = setTimeout(() => {
                req.destroy();
                resolve("timeout");
            }, options.timeoutSeconds * 1000);
            req.on("response", (res) => {
                clearTimeout(timer);
                onHeaders?.(performance.now() - started);
                resolve({ status: res.statusCode ?? 502, reason: res.statusMessage, headers: headerRecord(res.rawHeaders), body: null, stream: res });
            });
            req.on("error", () => {
                clearTimeout(timer);
                resolve("connection-failure");
            });
            req.end(call.body);
        });
}

function readBody(req: IncomingMessage): Promise<string | null> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > listenerMaxBodyBytes) {
                reject(new Error("body over the listener's bound"));
                req.destroy();
            } else chunks.push(chunk);
        });
        req.on("end", () => resolve(size === 0 && req.headers["content-length"] === undefined && req.headers["transfer-encoding"] === undefined ? null : Buffer.concat(chunks).toString("utf8")));
        req.on("error", reject);
    });
}

function rpcMethodOf(body: string | null): string {
    try {
        const method = (JSON.parse(body ?? "") as { method?: unknown }).method;
        return typeof method === "string" ? method : "";
    } catch {
        return "";
    }
}

function send(res: ServerResponse, result: BenchResult): void {
    if (result.stream) {
        const stream = result.stream;
        res.writeHead(result.status, withoutHopByHop(result.headers));
        res.flushHeaders();
        res.on("close", () => stream.destroy());
        stream.on("error", () => res.destroy());
        stream.pipe(res);
        return;
    }
    const body = result.body ?? "";
    const headers = withoutHopByHop(result.headers, ["content-length"]);
    headers["Content-Length"] = [String(Buffer.byteLength(body))];
    res.writeHead(result.status, headers);
    res.end(body);
}

/** Starts the gateway on 127.0.0.1 (ephemeral port) in front of `upstream` (the server's MCP URL). */
export async function startLoopbackGateway(bench: PolicyBench, upstream: URL): Promise<LoopbackGateway> {
    const apiPath = `/mcp/${bench.variant.server.server}`;
    const exchanges: GatewayExchange[] = [];
    const errors: string[] = [];
    const server: Server = createServer(async (req, res): Promise<void> => {
        const started = performance.now();
        let upstreamMs = 0;
        const url = req.url ?? "/";
        if (url !== apiPath && !url.startsWith(`${apiPath}/`) && !url.startsWith(`${apiPath}?`)) {
            // APIM answers a URL that matches no API with 404 before any policy runs.
            res.writeHead(404, { "Content-Type": "application/json" });
            res.end(JSON.stringify({ statusCode: 404, message: "Resource not found" }));
            return;
        }
        let body: string | null;
        try {
            body = await readBody(req);
        } catch {
            res.writeHead(413, { "Content-Type": "application/json", Connection: "close" });
            res.end(JSON.stringify({ statusCode: 413, message: "Request entity too large" }));
            return;
        }
        const headers: Record<string, string> = {};
        for (const [name, values] of Object.entries(headerRecord(req.rawHeaders))) headers[name] = values.join(", ");
        const path = url.slice(apiPath.length) || "/";
        try {
            const result = await bench.send({ method: req.method ?? "GET", path: path.startsWith("/") ? path : `/${path}`, headers, body }, httpBackend(upstream, (ms) => (upstreamMs = ms)));
            if (res.destroyed) {
                result.stream?.destroy();
                return;
            }
            send(res, result);
            exchanges.push({
                method: req.method ?? "",
                rpcMethod: rpcMethodOf(body),
                status: result.status,
                forwarded: result.forwarded !== undefined,
                events: result.events,
                totalMs: performance.now() - started,
                upstreamMs,
            });
        } catch (err) {
            errors.push(`${req.method} ${url}: ${(err as Error).stack ?? String(err)}`);
            if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
            res.end("bench error");
        }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
        origin,
        url: `${origin}${apiPath}`,
        exchanges,
        errors,
        close: () =>
            new Promise((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
