import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { PackConfig } from "./offline/evaluate";

const repositoryRoot = path.resolve(__dirname, "..");

const usage = `Usage: npm run plan -- [--stack <name>] [--config-file <file>] [--program <dir>] [--json <file>] [--sarif <file>]
                       [--policy-config <file>] [--quiet]

Synthesises a stack under a mock cloud (no Azure, no Pulumi CLI), evaluates the policy pack and
reports. Exit codes: 0 compliant, 1 a mandatory violation, 2 invalid config or program error.

  --stack <name>          stack to plan; reads Pulumi.<name>.yaml (default: dev)
  --config-file <file>    read config from this file instead of Pulumi.<stack>.yaml
  --program <dir>         another Pulumi TypeScript project to plan with this pack (default: this repo)
  --json <file>           write { stack, resources, violations, exemptions, summary } as JSON
  --sarif <file>          write SARIF 2.1.0 for code scanning
  --policy-config <file>  pack config as for \`pulumi preview --policy-pack-config\`
  --quiet                 print only violations and the summary`;

async function main(): Promise<number> {
    let args;
    try {
        args = parseArgs({
            options: {
                stack: { type: "string", default: "dev" },
                "config-file": { type: "string" },
                program: { type: "string" },
                json: { type: "string" },
                sarif: { type: "string" },
                "policy-config": { type: "string" },
                quiet: { type: "boolean", default: false },
                help: { type: "boolean", default: false },
            },
            strict: true,
        }).values;
    } catch (err) {
        console.error(`${(err as Error).message}\n\n${usage}`);
        return 2;
    }
    if (args.help) {
        console.log(usage);
        return 0;
    }
    // Loaded after the arguments are checked: a typo answers at once, without loading the Pulumi SDK.
    const { policies } = require("../policy-pack/policies") as typeof import("../policy-pack/policies");
    const { evaluateDetailed } = require("./offline/evaluate") as typeof import("./offline/evaluate");
    const { renderTree, renderViolations, summarize, toJson, toSarif } = require("./offline/report") as typeof import("./offline/report");
    const { synthesize } = require("./offline/synthesize") as typeof import("./offline/synthesize");
    const cwd = path.resolve(args.program ?? repositoryRoot);
    const stack = args.stack!;
    const started = performance.now();
    try {
        const packConfig = args["policy-config"] ? (JSON.parse(readFileSync(args["policy-config"], "utf8")) as PackConfig) : undefined;
        console.error(`Planning stack "${stack}" of ${path.relative(process.cwd(), cwd) || "."} offline (mock cloud)…`);
        const synthesis = await synthesize({ stack, cwd, configFile: args["config-file"] });
        const synthSeconds = (performance.now() - started) / 1000;
        console.error(`  synthesised ${synthesis.resources.length} registrations in ${synthSeconds.toFixed(2)} s; evaluating ${policies.length} policies…`);
        const evaluation = await evaluateDetailed(synthesis.resources, { stack, cwd, project: synthesis.project, packConfig });
        const seconds = (performance.now() - started) / 1000;
        const summary = summarize(synthesis.resources, evaluation.violations, evaluation.exemptions, evaluation.policiesEvaluated, seconds);

        if (!args.quiet) console.log(`\nResources of ${synthesis.project}/${stack}:\n${renderTree(synthesis.resources, evaluation.violations)}`);
        if (evaluation.violations.length + evaluation.exemptions.length > 0) {
            console.log(`\nPolicy findings:\n${renderViolations(evaluation.violations, evaluation.exemptions)}`);
        }
        console.log(
            `\n${summary.verdict === "compliant" ? "✓ compliant" : "✗ non-compliant"}: ${summary.resources} resources in ${summary.components} components, ` +
                `${summary.policies} policies, ${summary.mandatory} mandatory and ${summary.advisory} advisory violations, ` +
                `${summary.exemptions} ${summary.exemptions === 1 ? "exemption" : "exemptions"} (${seconds.toFixed(2)} s)`,
        );
        if (args.json) writeFileSync(args.json, JSON.stringify(toJson(stack, synthesis.resources, evaluation.violations, evaluation.exemptions, summary), null, 2));
        if (args.sarif) writeFileSync(args.sarif, JSON.stringify(toSarif(synthesis.stackFile, cwd, policies, evaluation.violations), null, 2));
        return summary.mandatory > 0 ? 1 : 0;
    } catch (err) {
        console.error(`\n✗ plan failed for stack "${stack}": ${(err as Error).message}`);
        return 2;
    }
}

main().then(
    (code) => process.exit(code),
    (err) => {
        console.error(err);
        process.exit(2);
    },
);
