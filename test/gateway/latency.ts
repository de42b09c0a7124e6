import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { isStatelessRevision, supportedProtocolVersions } from "../../policy-pack/contract/revisions";
import { referenceServerManifest } from "../../tools/server-manifest";
import { startLocalIdentities } from "./support/identities";
import { gatewayInFront, referenceVariant, startReferenceServer } from "./support/reference";

/**
 * `npx tsx test/gateway/latency.ts [calls]`: request latency of the end-to-end path, measured once
 * (not a test: the machine's load decides the numbers). For each revision, `calls` tools/list and
 * tools/call (default 40, at most 500) through the loopback gateway with prod policies, the
 * client's round trip, and the gateway's own share (the bench: policies and C# expressions, without
 * the wait for the server's headers), next to the same calls sent straight to the server with the
 * headers the gateway would set (the baseline). Prints one JSON line per revision and method.
 */
const calls = Math.min(500, Math.max(1, Number(process.argv[2] ?? 40)));

const percentile = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1));
};

async function main(): Promise<void> {
    const ids = await startLocalIdentities();
    const { digest } = await referenceServerManifest();
    // Limits high enough for the loop (they are literal attributes: the same expressions run).
    const v = referenceVariant("prod", digest, { perUserPerMinute: 10_000, perSessionPerMinute: 10_000, perUserToolPerMinute: 10_000, perUserDailyQuota: 100_000 });
    const server = await startReferenceServer(ids, v);
    const front = await gatewayInFront(v, ids, server.url);
    try {
        for (const revision of supportedProtocolVersions) {
            const options = isStatelessRevision(revision) ? { versionNegotiation: { mode: { pin: revision } } } : {};
            const connect = async (url: string, headers: Record<string, string>) => {
                const c = new Client({ name: "latency", version: "1" }, options);
                await c.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
                return c;
            };
            const viaGateway = await connect(front.gateway.url, { Authorization: `Bearer ${await ids.userToken({ roles: ["Docs.Read"] })}` });
            const gatewayToken = await front.bench.managedIdentity(v.server.backendIdentifierUri, v.server.gatewayIdentityClientId);
            const direct = await connect(server.url, { Authorization: `Bearer ${gatewayToken}`, "X-MCP-User-Oid": "00000000-0000-4000-8000-0000000000a1", "X-MCP-User-Roles": "Docs.Read" });
            const timed = async (client: Client, method: "tools/list" | "tools/call") => {
                const roundTrips: number[] = [];
                for (let i = 0; i < calls; i++) {
                    const started = performance.now();
                    if (method === "tools/list") await client.listTools();
                    else await client.callTool({ name: "search_docs", arguments: { query: "gateway" } });
                    roundTrips.push(performance.now() - started);
                }
                return roundTrips;
            };
            for (const method of ["tools/list", "tools/call"] as const) {
                const baseline = await timed(direct, method);
                const from = front.gateway.exchanges.length;
                const roundTrips = await timed(viaGateway, method);
                const own = front.gateway.exchanges
                    .slice(from)
                    .filter((x) => x.rpcMethod === method)
                    .map((x) => x.totalMs - x.upstreamMs);
                const line = {
                    revision,
                    method,
                    calls,
                    directP50ms: percentile(baseline, 50),
                    viaGatewayP50ms: percentile(roundTrips, 50),
                    viaGatewayP95ms: percentile(roundTrips, 95),
                    gatewayOwnP50ms: percentile(own, 50),
                    gatewayOwnP95ms: percentile(own, 95),
                    expressions: front.bench.table.size,
                };
                process.stdout.write(`${JSON.stringify(line)}\n`);
            }
            await viaGateway.close();
            await direct.close();
        }
    } finally {
        await front.close();
        await server.close();
        await ids.close();
    }
}

main().catch((err) => {
    process.stderr.write(`latency: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 2;
});
