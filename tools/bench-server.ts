import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import * as path from "node:path";
import autocannon from "autocannon";
import { backendClientId, backendIdentifierUri, gatewayClientId, startIssuer, userOid, v1Issuer, v2Issuer } from "./local-issuer";

/**
 * `npm run bench:server`: a bounded load on loopback against the shipped artefact (the esbuild
 * bundle the image runs, `node dist/server.cjs`) in its own process, so the peak RSS is the
 * server's alone (VmHWM from /proc). Load: `tools/call search_docs` over 2026-07-28, each request
 * handled like a gateway-forwarded one (RS256 token against the JWKS, user headers, strict schema,
 * spotlighting, one JSON log line) at 1, 10 and 50 concurrent connections, a fixed request count
 * each. A benchmark, not a test: on a shared machine the numbers are pessimistic.
 */

const root = path.resolve(__dirname, "..");
const workspace = path.join(root, "workloads", "reference-server");
const levels = [
    { connections: 1, amount: 500 },
    { connections: 10, amount: 2000 },
    { connections: 50, amount: 4000 },
];

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const probe = createServer().listen(0, "127.0.0.1", () => {
            const { port } = probe.address() as { port: number };
            probe.close(() => resolve(port));
        });
        probe.once("error", reject);
    });
}

async function waitForHealth(url: string): Promise<void> {
    for (let i = 0; i < 100; i++) {
        try {
            if ((await fetch(url)).ok) return;
        } catch {
            // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server did not answer ${url}`);
}

/** The heap caps the image sets (one home: the Dockerfile's `ENV NODE_OPTIONS=` line). */
function imageNodeOptions(): string {
    const line = /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(readFileSync(path.join(workspace, "Dockerfile"), "utf8"));
    if (!line) throw new Error("workloads/reference-server/Dockerfile: no ENV NODE_OPTIONS=\"...\" line");
    return line[1];
}

/** Peak resident set of a process in MB (Linux `VmHWM`). */
function peakRssMb(pid: number): number {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return Math.round(Number(kb) / 1024);
}

async function main(): Promise<number> {
    const built = spawnSync(process.execPath, ["build.mjs"], { cwd: workspace, stdio: "inherit" });
    if (built.status !== 0) throw new Error("the server bundle did not build");
    const issuer = await startIssuer();
    const port = await freePort();
    const server = spawn(process.execPath, [path.join(workspace, "dist", "server.cjs")], {
        env: {
            PATH: process.env.PATH,
            NODE_OPTIONS: `${imageNodeOptions()} ${process.env.BENCH_EXTRA_NODE_OPTIONS ?? ""}`.trim(),
            PORT: String(port),
            HOST: "127.0.0.1",
            MCP_ACCEPTED_AUDIENCES: `${backendClientId},${backendIdentifierUri}`,
            MCP_ISSUER: `${v2Issuer},${v1Issuer}`,
            MCP_ALLOWED_CALLER: gatewayClientId,
            MCP_JWKS_URL: issuer.jwksUrl,
            MCP_DOCS_DIR: path.join(root, "docs"),
        },
        // The server's JSON log lines go where Container Apps would send them: away from this report.
        stdio: ["ignore", "ignore", "inherit"],
    });
    try {
        await waitForHealth(`http://127.0.0.1:${port}/healthz`);
        const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientInfo": { name: "bench", version: "1" }, "io.modelcontextprotocol/clientCapabilities": {} };
        const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "search_docs", arguments: { query: "gateway session token" }, _meta: meta } });
        const headers = {
            Authorization: `Bearer ${await issuer.token()}`,
            "X-MCP-User-Oid": userOid,
            "X-MCP-User-Roles": "Docs.Read",
            "Content-Type": "application/json",
            Accept: "application/json, text/event-stream",
            "MCP-Protocol-Version": "2026-07-28",
            "Mcp-Method": "tools/call",
            "Mcp-Name": "search_docs",
        };
        const run = (connections: number, amount: number) => autocannon({ url: `http://127.0.0.1:${port}/mcp`, method: "POST", headers, body, connections, amount, timeout: 10 });
        await run(4, 300); // warm-up: JIT, key cache
        const rows: string[] = [];
        let failures = 0;
        for (const { connections, amount } of levels) {
            const r = await run(connections, amount);
            const failed = r.non2xx + r.errors + r.timeouts;
            failures += failed;
            rows.push(`| ${connections} | ${amount} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${failed} |`);
        }
        const rss = peakRssMb(server.pid!);
        process.stdout.write(
            ["| connections | requests | req/s | p50 ms | p99 ms | failed |", "|---|---|---|---|---|---|", ...rows, "", `server peak RSS: ${rss} MB (targets: p99 < 25 ms at 50 connections, RSS < 150 MB)`, ""].join("\n"),
        );
        return failures === 0 ? 0 : 1;
    } finally {
        server.kill("SIGTERM");
        await issuer.close();
    }
}

main().then(
    (code) => (process.exitCode = code),
    (err) => {
        process.stderr.write(`bench-server: ${(err as Error).message}\n`);
        process.exitCode = 2;
    },
);
