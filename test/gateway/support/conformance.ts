import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { referenceServerManifest } from "../../../tools/server-manifest";
import { startLocalIdentities } from "./identities";
import { userClaims } from "./mcp";
import { gatewayInFront, referenceVariant, startReferenceServer } from "./reference";
import { startTokenShim } from "./tokenShim";

/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance) run twice against the
 * reference server: straight to it (with the headers the gateway's last hop adds) and through the
 * loopback gateway (prod policies, a signed-in user's token added on the client side). A check
 * that passes directly and not through the gateway is the gateway's doing; `gatewayDefects` lists
 * the ones known, with the reason, so a new one or a fixed one shows.
 */

const suite = path.resolve(__dirname, "..", "..", "..", "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js");

/**
 * Checks the gateway's policies fail although the server passes them, each with the reason. Empty:
 * the four SEP-2575 version-negotiation defects this comparison found (components/gateway/policy/
 * requestExpressions.ts `versionCheckExpression`) are fixed, each with its bench case in
 * defects.test.ts ("8. 2026-07-28 version negotiation").
 */
export const gatewayDefects: Readonly<Record<string, string>> = {};

export interface Check {
    readonly scenario: string;
    readonly id: string;
    readonly status: string;
    readonly message: string;
}

function readChecks(dir: string): Check[] {
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
        .filter((d) => existsSync(path.join(dir, d, "checks.json")))
        .flatMap((d) => {
            const scenario = d.replace(/^server-/, "").replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, "");
            const checks = JSON.parse(readFileSync(path.join(dir, d, "checks.json"), "utf8")) as { id?: string; status: string; errorMessage?: string }[];
            return checks.map((c) => ({ scenario, id: c.id ?? "?", status: c.status, message: c.errorMessage ?? "" }));
        });
}

/** One run of the suite's CLI; its exit code 1 only says a check failed (the verdict is read from checks.json). */
function runSuite(args: string[], outDir: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [suite, "server", ...args, "--output-dir", outDir], { stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        child.stderr.on("data", (d) => (stderr += d));
        child.on("exit", (code) => {
            clearTimeout(timer);
            if (code === 0 || code === 1) resolve();
            else reject(new Error(`conformance suite ${args.join(" ")} exited ${code}: ${stderr.slice(0, 500)}`));
        });
    });
}

export interface Comparison {
    readonly direct: Check[];
    readonly gateway: Check[];
    /** Passed directly, not through the gateway. */
    readonly regressions: Check[];
    /** Bench failures while serving (a policy it could not run). */
    readonly gatewayErrors: readonly string[];
}

/**
 * Runs `runs` (each a list of CLI arguments, e.g. `["--scenario", "ping"]` or `["--requirements",
 * "2026-07-28"]`) against the server directly and through the gateway.
 */
export async function compareThroughGateway(runs: readonly string[][], timeoutMs = 120_000): Promise<Comparison> {
    const ids = await startLocalIdentities();
    const { digest } = await referenceServerManifest();
    // Limits high enough for the suite's request volume (literal attributes: the same expressions run).
    const v = referenceVariant("prod", digest, { perUserPerMinute: 100_000, perSessionPerMinute: 100_000, perUserToolPerMinute: 100_000, perUserDailyQuota: 1_000_000 });
    const server = await startReferenceServer(ids, v);
    const front = await gatewayInFront(v, ids, server.url);
    const signedIn = await startTokenShim(front.gateway.url, async () => ({ Authorization: `Bearer ${await ids.userToken({ roles: ["Docs.Read", "Docs.Write"] })}` }));
    const lastHop = await startTokenShim(server.url, async () => ({
        Authorization: `Bearer ${await front.bench.managedIdentity(v.server.backendIdentifierUri, v.server.gatewayIdentityClientId)}`,
        "X-MCP-User-Oid": userClaims().oid as string,
        "X-MCP-User-Roles": "Docs.Read,Docs.Write",
    }));
    const out = mkdtempSync(path.join(tmpdir(), "gateway-conformance-"));
    try {
        for (const [i, args] of runs.entries()) {
            await runSuite(["--url", lastHop.url, ...args], path.join(out, "direct", String(i)), timeoutMs);
            await runSuite(["--url", signedIn.url, ...args], path.join(out, "gateway", String(i)), timeoutMs);
        }
        const read = (leg: string) => runs.flatMap((_, i) => readChecks(path.join(out, leg, String(i))));
        const direct = read("direct");
        const gateway = read("gateway");
        const key = (c: Check) => `${c.scenario} ${c.id}`;
        const passedDirect = new Set(direct.filter((c) => c.status === "SUCCESS").map(key));
        const passedGateway = new Set(gateway.filter((c) => c.status === "SUCCESS").map(key));
        const regressions = [...passedDirect]
            .filter((k) => !passedGateway.has(k))
            .map((k) => gateway.find((c) => key(c) === k) ?? { scenario: k.split(" ")[0], id: k.split(" ")[1], status: "MISSING", message: "not reported through the gateway" });
        return { direct, gateway, regressions, gatewayErrors: [...front.gateway.errors] };
    } finally {
        rmSync(out, { recursive: true, force: true });
        await signedIn.close();
        await lastHop.close();
        await front.close();
        await server.close();
        await ids.close();
    }
}
