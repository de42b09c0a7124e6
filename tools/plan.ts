import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { PackConfig } from "./offline/evaluate";

const repositoryRoot = path.resolve(__dirname, "..");

const usage = `Usage: npm run plan -- [--stack <name>] [--config-file <file>] [--program <dir>] [--json <file>] [--sarif <file>]
                       [--sarif-root <dir>] [--policy-config <file>] [--quiet]

Synthesises a stack under a mock cloud (no Azure, no Pulumi CLI), evaluates the policy pack and
reports. Exit codes: 0 compliant, 1 a mandatory violation, 2 invalid config or program error (the
plan never gives a verdict on a program it did not see whole).

  --stack <name>          stack to plan; reads Pulumi.<name>.yaml (default: dev)
  --config-file <file>    read config from this file instead of Pulumi.<stack>.yaml
  --program <dir>         another Pulumi TypeScript project to plan with this pack (default: this repo)
  --json <file>           write { stack, resources, violations, exemptions, optionalControlsOff, summary } as JSON
  --sarif <file>          write SARIF 2.1.0 for code scanning
  --sarif-root <dir>      SARIF locations are relative to this directory (default: the git top level)
  --policy-config <file>  pack config as for \`pulumi preview --policy-pack-config\`
  --quiet                 print only the findings and the verdict (no tree, no progress)

Secret inputs are masked as [secret] in every output.`;

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
                "sarif-root": { type: "string" },
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
    const report = require("./offline/report") as typeof import("./offline/report");
    const { optionalControlsOff } = require("./offline/declaration") as typeof import("./offline/declaration");
    const { Redactor } = require("./offline/redact") as typeof import("./offline/redact");
    const { synthesize } = require("./offline/synthesize") as typeof import("./offline/synthesize");
    const { attributeToConfig } = require("./offline/config-attribution") as typeof import("./offline/config-attribution");
    const { configSources } = require("../stacks/configSources") as typeof import("../stacks/configSources");
    const cwd = path.resolve(args.program ?? repositoryRoot);
    const stack = args.stack!;
    const progress = (line: string) => {
        if (!args.quiet) console.error(line);
    };
    const started = performance.now();
    try {
        const packConfig = args["policy-config"] ? readPackConfig(args["policy-config"]) : undefined;
        progress(`Planning stack "${stack}" of ${path.relative(process.cwd(), cwd) || "."} offline (mock cloud)…`);
        const synthesis = await synthesize({ stack, cwd, configFile: args["config-file"] });
        const synthSeconds = (performance.now() - started) / 1000;
        const components = synthesis.resources.filter((r) => !r.custom).length;
        progress(
            `  synthesised ${synthesis.resources.length - components} resources and ${components} components ` +
                `(${synthesis.resources.length} registrations, all completed) in ${synthSeconds.toFixed(2)} s; evaluating ${policies.length} policies…`,
        );
        const evaluated = await evaluateDetailed(synthesis.resources, { stack, cwd, project: synthesis.project, packConfig });
        // This platform's own program says which config keys set the values the pack caps (stacks/configSources.ts).
        const evaluation =
            cwd === repositoryRoot
                ? { ...evaluated, violations: attributeToConfig(evaluated.violations, synthesis.resources, configSources, synthesis.stackFile, synthesis.project) }
                : evaluated;
        const seconds = (performance.now() - started) / 1000;
        const summary = report.summarize(synthesis.resources, evaluation.violations, evaluation.exemptions, evaluation.policiesEvaluated, seconds);
        const redactor = new Redactor(synthesis.resources);
        const context = {
            stack,
            resources: synthesis.resources,
            violations: evaluation.violations,
            exemptions: evaluation.exemptions,
            optionalControlsOff: optionalControlsOff(synthesis.resources),
            unknownInvokes: synthesis.unknownInvokes,
            summary,
            redactor,
        };

        // Outputs first: a file that cannot be written is a plan failure, and no verdict is printed before it.
        if (args.json) writeOutput(args.json, report.toJson(context));
        if (args.sarif) {
            const sarifRoot = path.resolve(args["sarif-root"] ?? gitTopLevel() ?? process.cwd());
            writeOutput(args.sarif, report.toSarif({ ...context, policies, stackFile: synthesis.stackFile, project: synthesis.project, sarifRoot, informationUri: documentationUri() }));
        }

        const out = (text: string) => console.log(redactor.text(text));
        if (!args.quiet) out(`\nResources of ${synthesis.project}/${stack}:\n${report.renderTree(synthesis.resources, evaluation.violations)}`);
        if (context.unknownInvokes.length > 0) {
            out(`\nInvokes without an offline answer (answered with a marked placeholder): ${context.unknownInvokes.join(", ")}`);
        }
        if (context.optionalControlsOff.length > 0) {
            out(`\nOptional controls off (declared by the stack):\n${report.renderOptionalControlsOff(context.optionalControlsOff)}`);
        }
        if (evaluation.violations.length + evaluation.exemptions.length > 0) {
            out(`\nPolicy findings:\n${report.renderViolations(evaluation.violations, evaluation.exemptions)}`);
        }
        out(`\n${report.renderVerdict(summary)}`);
        return summary.mandatory > 0 ? 1 : 0;
    } catch (err) {
        console.error(`\n✗ plan failed for stack "${stack}": ${(err as Error).message}`);
        return 2;
    }
}

function readPackConfig(file: string): PackConfig {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch (err) {
        throw new Error(`--policy-config ${file}: ${(err as Error).message}`);
    }
    try {
        return JSON.parse(text) as PackConfig;
    } catch (err) {
        throw new Error(`--policy-config ${file}: not valid JSON (${(err as Error).message})`);
    }
}

function writeOutput(file: string, content: unknown): void {
    try {
        writeFileSync(file, JSON.stringify(content, null, 2));
    } catch (err) {
        throw new Error(`cannot write ${file}: ${(err as Error).message}`);
    }
}

function gitTopLevel(): string | undefined {
    const result = spawnSync("git", ["rev-parse", "--show-toplevel"], { cwd: process.cwd(), encoding: "utf8" });
    return result.status === 0 ? result.stdout.trim() || undefined : undefined;
}

/** The project's documentation: package.json `homepage`, else the repository's `docs/controls.md`; none when unknown. */
function documentationUri(): string | undefined {
    try {
        const manifest = JSON.parse(readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as { homepage?: string; repository?: string | { url?: string } };
        if (manifest.homepage) return manifest.homepage;
        const repo = typeof manifest.repository === "string" ? manifest.repository : manifest.repository?.url;
        const https = repo?.replace(/^git\+/, "").replace(/\.git$/, "");
        if (https?.startsWith("https://")) return `${https}/blob/main/docs/controls.md`;
    } catch {
        // no manifest: no documentation link
    }
    return undefined;
}

main().then(
    (code) => process.exit(code),
    (err) => {
        // Never a stack dump: the message, and exit 2 like every other plan failure.
        console.error(`✗ plan failed: ${(err as Error)?.message ?? String(err)}`);
        process.exit(2);
    },
);
