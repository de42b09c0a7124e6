import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { supportedProtocolVersions } from "../policy-pack/contract/revisions";
import { startGatewayStandIn } from "./gateway-stand-in";
import { startHarness, type Harness } from "./reference-server-local";

/**
 * `npm run conformance:server`: the official MCP conformance suite's server scenarios against the
 * reference server, once per revision the platform accepts (`--requirements <revision>`: exactly
 * the scenarios that revision requires). Authentication stays on: the suite talks to a loopback
 * gateway stand-in that adds the gateway's token from the local issuer and the user headers.
 * Prints every scenario with pass/fail and, for expected failures, the written reason
 * (workloads/reference-server/conformance-expected.yml). Exit 1 on an unexpected failure or a
 * stale expectation, 2 when the run itself breaks. Needs no network: the suite is an npm package.
 */

const root = path.resolve(__dirname, "..");
const suite = path.join(root, "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js");

interface Reason {
    readonly text: string;
    readonly evidence: string;
}
type Expected = { reasons: Record<string, Reason> } & Record<string, Record<string, string>>;

interface ScenarioResult {
    readonly scenario: string;
    readonly passed: number;
    readonly failed: number;
    /** Messages of the failing checks. */
    readonly failures: string[];
}

/** Scenario directories are `server-<scenario>-<ISO timestamp>`; a scenario passes with no FAILURE check. */
function readResults(dir: string): ScenarioResult[] {
    return readdirSync(dir)
        .filter((d) => existsSync(path.join(dir, d, "checks.json")))
        .map((d) => {
            const checks = JSON.parse(readFileSync(path.join(dir, d, "checks.json"), "utf8")) as { id?: string; status: string; errorMessage?: string }[];
            return {
                scenario: d.replace(/^server-/, "").replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, ""),
                passed: checks.filter((c) => c.status === "SUCCESS").length,
                failed: checks.filter((c) => c.status === "FAILURE").length,
                failures: checks.filter((c) => c.status === "FAILURE").map((c) => `${c.id ?? "?"}: ${c.errorMessage ?? ""}`),
            };
        })
        .sort((a, b) => (a.scenario < b.scenario ? -1 : 1));
}

function runSuite(url: string, revision: string, outDir: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [suite, "server", "--url", url, "--requirements", revision, "--output-dir", outDir], { stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += d));
        // The suite exits 1 when any scenario fails; the verdict is ours, from checks.json.
        child.on("exit", (code) => (code === 0 || code === 1 ? resolve() : reject(new Error(`conformance suite exited ${code}: ${stderr.slice(0, 500)}`))));
    });
}

export async function main(): Promise<number> {
    const expected = parse(readFileSync(path.join(root, "workloads", "reference-server", "conformance-expected.yml"), "utf8")) as Expected;
    let harness: Harness | undefined;
    const standIn = await startGatewayStandIn(() => harness!.gatewayHeaders());
    const out = mkdtempSync(path.join(tmpdir(), "mcp-conformance-"));
    const lines = ["| revision | scenario | result | checks passed/failed | reason |", "|---|---|---|---|---|"];
    const problems: string[] = [];
    try {
        // The suite's DNS-rebinding scenario sends the endpoint's own origin and expects it accepted.
        harness = await startHarness({ MCP_ALLOWED_ORIGINS: standIn.origin }, { logSink: () => {} });
        standIn.forwardTo(harness.url);
        for (const revision of supportedProtocolVersions) {
            const dir = path.join(out, revision);
            await runSuite(`${standIn.origin}/mcp`, revision, dir);
            const results = readResults(dir);
            if (results.length === 0) throw new Error(`no scenario results for ${revision}`);
            const expectations = expected[revision] ?? {};
            for (const r of results) {
                const reasonKey = expectations[r.scenario];
                const known = reasonKey ? expected.reasons[reasonKey] : undefined;
                if (reasonKey && !known) throw new Error(`conformance-expected.yml: ${revision}.${r.scenario}: got reason "${reasonKey}", expected one of ${Object.keys(expected.reasons).join(", ")}`);
                const reason = known?.text ?? "";
                // An expected failure counts only when every failing check shows the reason's evidence.
                for (const f of known ? r.failures.filter((m) => !new RegExp(known.evidence).test(m)) : []) problems.push(`${revision} ${r.scenario}: ${f.slice(0, 200)} (not explained by "${reasonKey}")`);
                const verdict = r.failed === 0 ? "pass" : reasonKey ? "fail (expected)" : "FAIL";
                if (r.failed > 0 && !reasonKey) problems.push(`${revision} ${r.scenario}: failed ${r.failed} check(s) and is not an expected failure`);
                if (r.failed === 0 && reasonKey) problems.push(`${revision} ${r.scenario}: passes now — remove it from conformance-expected.yml`);
                lines.push(`| ${revision} | ${r.scenario} | ${verdict} | ${r.passed}/${r.failed} | ${reason} |`);
            }
            for (const scenario of Object.keys(expectations)) {
                if (!results.some((r) => r.scenario === scenario)) problems.push(`${revision} ${scenario}: listed as expected but the suite did not run it`);
            }
        }
    } finally {
        await harness?.close(500);
        await standIn.close();
        rmSync(out, { recursive: true, force: true });
    }
    process.stdout.write(`${lines.join("\n")}\n`);
    const count = (v: string) => lines.filter((l) => l.includes(`| ${v} |`)).length;
    process.stdout.write(`\nconformance: ${count("pass")} passed, ${count("fail (expected)")} expected failures (reasons above), ${problems.length} problem(s)\n`);
    for (const p of problems) process.stdout.write(`  ${p}\n`);
    return problems.length === 0 ? 0 : 1;
}

if (require.main === module) {
    main().then(
        (code) => (process.exitCode = code),
        (err) => {
            process.stderr.write(`conformance-server: ${(err as Error).message}\n`);
            process.exitCode = 2;
        },
    );
}
