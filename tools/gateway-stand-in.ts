import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback stand-in for the gateway's last hop, for tools that cannot add headers themselves
 * (the conformance suite): it forwards each request to the reference server with what API
 * Management adds — its managed-identity token (from the local issuer) and the user's oid and roles
 * — and drops a client-sent Authorization header, as the gateway does. Everything else, including
 * Origin and Host checks, reaches the server unchanged; the server's own checks all stay on.
 */
export interface GatewayStandIn {
    /** `http://127.0.0.1:<port>`: what a client connects to (and sends as its Origin). */
    readonly origin: string;
    /** Points the stand-in at the server's MCP endpoint (the server may start after the stand-in). */
    forwardTo(target: string): void;
    close(): Promise<void>;
}

export async function startGatewayStandIn(headers: () => Promise<Record<string, string>>): Promise<GatewayStandIn> {
    let upstream: URL | undefined;
    const server: Server = createServer(async (req, res) => {
        if (!upstream) return void res.writeHead(503).end();
        const forwarded: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(req.headers)) {
            if (value !== undefined && name !== "authorization" && name !== "x-mcp-user-oid" && name !== "x-mcp-user-roles") forwarded[name] = value;
        }
        Object.assign(forwarded, await headers());
        const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: forwarded }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
        });
        out.on("error", () => {
            if (!res.headersSent) res.writeHead(502).end();
            else res.destroy();
        });
        req.pipe(out);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        origin: `http://127.0.0.1:${port}`,
        forwardTo(target) {
            upstream = new URL(target);
        },
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
