import { createServer, request as httpRequest, Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A client that has signed in, for tools that cannot add headers themselves (the conformance
 * suite): a loopback proxy that forwards every request unchanged to `target` except for the
 * `Authorization` header it sets (a caller-sent one is replaced, and `headers()` may add more). It
 * stands on the client's side of the gateway: everything the gateway checks still reaches it.
 */
export interface TokenShim {
    /** `target`'s URL with the shim's origin. */
    readonly url: string;
    close(): Promise<void>;
}

export async function startTokenShim(target: string, headers: () => Promise<Record<string, string>>): Promise<TokenShim> {
    const upstream = new URL(target);
    const added = (await headers()) as Record<string, string>;
    const names = new Set(Object.keys(added).map((n) => n.toLowerCase()));
    const server: Server = createServer(async (req, res) => {
        const forwarded: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && name !== "authorization" && !names.has(name)) forwarded[name] = value;
        Object.assign(forwarded, await headers());
        forwarded.host = upstream.host;
        const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: forwarded }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
        });
        out.on("error", () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
        res.on("close", () => out.destroy());
        req.pipe(out);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}${upstream.pathname}`,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
