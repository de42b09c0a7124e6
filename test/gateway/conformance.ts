import { supportedProtocolVersions } from "../../policy-pack/contract/revisions";
import { compareThroughGateway, gatewayDefects } from "./support/conformance";

/**
 * `npx tsx test/gateway/conformance.ts`: the conformance suite's full server requirements of each
 * revision the platform accepts (`--requirements <revision>`), straight to the reference server and
 * through the loopback gateway. Prints, per revision, the checks passed on each leg and every check
 * the gateway breaks. Exit 1 when the gateway breaks a check outside `gatewayDefects` or a listed
 * defect no longer shows (the list must not go stale), 2 when the run itself fails.
 */
async function main(): Promise<number> {
    const result = await compareThroughGateway(supportedProtocolVersions.map((r) => ["--requirements", r]), 600_000);
    const passed = (checks: typeof result.direct) => checks.filter((c) => c.status === "SUCCESS").length;
    process.stdout.write(`direct: ${passed(result.direct)}/${result.direct.length} checks passed; through the gateway: ${passed(result.gateway)}/${result.gateway.length}\n`);
    const problems: string[] = [];
    for (const c of result.regressions) {
        const known = gatewayDefects[c.id];
        process.stdout.write(`  ${known ? "known" : "NEW"}: ${c.scenario} ${c.id}: ${c.status} ${c.message.slice(0, 160)}${known ? ` (${known})` : ""}\n`);
        if (!known) problems.push(`${c.scenario} ${c.id}: passes directly, ${c.status} through the gateway`);
    }
    for (const id of Object.keys(gatewayDefects)) if (!result.regressions.some((c) => c.id === id)) problems.push(`${id}: listed as a gateway defect but passes (or did not run): update gatewayDefects`);
    for (const e of result.gatewayErrors) problems.push(`bench error: ${e.slice(0, 300)}`);
    for (const p of problems) process.stdout.write(`problem: ${p}\n`);
    return problems.length === 0 ? 0 : 1;
}

main().then(
    (code) => (process.exitCode = code),
    (err) => {
        process.stderr.write(`gateway conformance: ${(err as Error).stack ?? String(err)}\n`);
        process.exitCode = 2;
    },
);
