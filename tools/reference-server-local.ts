import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { loadConfig, startServer, type RunningServer } from "../workloads/reference-server/src";
import { createLogger } from "../workloads/reference-server/src/log";
import type { DocsStore } from "../workloads/reference-server/src/corpus";
import { backendClientId, backendIdentifierUri, gatewayClientId, startIssuer, userOid, v1Issuer, v2Issuer, type LocalIssuer } from "./local-issuer";

/**
 * The reference server on 127.0.0.1 with an ephemeral port, configured as the workload component
 * configures it, with a local issuer standing in for Entra: used by test/workloads, the bench and
 * the manifest digest. Local only; the shipped server has no switch that relaxes a check.
 */
export interface Harness {
    readonly issuer: LocalIssuer;
    readonly server: RunningServer;
    readonly url: string;
    readonly logLines: Record<string, unknown>[];
    /** The headers the gateway would send for a user with these roles. */
    gatewayHeaders(roles?: string[], token?: string): Promise<Record<string, string>>;
    /** The SDK's own client, over 2025-11-25 (initialize + session) or 2026-07-28 (stateless). */
    connect(revision: "2025-11-25" | "2026-07-28", roles?: string[]): Promise<Client>;
    /** A raw POST to /mcp as the gateway would forward it (headers override the defaults). */
    post(body: unknown, headers?: Record<string, string>): Promise<Response>;
    /** Closes the clients, then the server (waiting at most `graceMs` for in-flight requests), then the issuer. */
    close(graceMs?: number): Promise<void>;
}

export const initializeBody = {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};

const allRoles = ["Docs.Read", "Docs.Write"];

export async function startHarness(env: Record<string, string> = {}, options: { corpus?: DocsStore; logSink?: (line: string) => void } = {}): Promise<Harness> {
    const issuer = await startIssuer();
    const config = loadConfig({
        PORT: "0",
        HOST: "127.0.0.1",
        MCP_ACCEPTED_AUDIENCES: `${backendClientId},${backendIdentifierUri}`,
        MCP_ISSUER: `${v2Issuer},${v1Issuer}`,
        MCP_ALLOWED_CALLER: gatewayClientId,
        MCP_JWKS_URL: issuer.jwksUrl,
        MCP_ALLOWED_ORIGINS: "https://vscode.dev",
        MCP_JWKS_COOLDOWN_MS: "300",
        ...env,
    });
    const logLines: Record<string, unknown>[] = [];
    const sink = options.logSink ?? ((line: string) => void logLines.push(JSON.parse(line)));
    const logger = createLogger(sink);
    const server = await startServer({ config, logger, corpus: options.corpus });
    const clients: Client[] = [];
    const gatewayHeaders = async (roles = allRoles, token?: string) => ({
        Authorization: `Bearer ${token ?? (await issuer.token())}`,
        "X-MCP-User-Oid": userOid,
        "X-MCP-User-Roles": roles.join(","),
    });
    return {
        issuer,
        server,
        url: server.url,
        logLines,
        gatewayHeaders,
        async connect(revision, roles = allRoles) {
            const client = new Client(
                { name: "platform-test", version: "1.0.0" },
                revision === "2026-07-28" ? { versionNegotiation: { mode: { pin: "2026-07-28" } } } : {},
            );
            const transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: await gatewayHeaders(roles) } });
            await client.connect(transport);
            clients.push(client);
            return client;
        },
        async post(body, headers = {}) {
            return fetch(server.url, {
                method: "POST",
                headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...(await gatewayHeaders()), ...headers },
                body: typeof body === "string" ? body : JSON.stringify(body),
            });
        },
        async close(graceMs = 1000) {
            await Promise.allSettled(clients.map((c) => c.close()));
            await server.close(graceMs);
            await issuer.close();
        },
    };
}
