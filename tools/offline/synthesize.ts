import { existsSync, statSync } from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { MockCloud } from "./mock-cloud";
import { describeProgramFailure, formatLocation, ProgramError, programFrame, sdkMismatchHint } from "./program-errors";
import { checkSdkAssumptions, isSerializedSecret, listenToRegistrations, RegistrationRequest, RegistrationStart, waitForRPCs } from "./sdk";
import { configKeyLine, readStackFiles } from "./stack-files";
import { PlannedResource, SecretPath, StackRef } from "./types";

export { ProgramError } from "./program-errors";

export const repositoryRoot = path.resolve(__dirname, "..", "..");

/** The organization `pulumi.getOrganization()` answers offline (Pulumi's default for a personal account is the user name). */
const mockOrganization = "organization";

export interface SynthesizeOptions extends StackRef {
    /** Read config from this file instead of `Pulumi.<stack>.yaml` (like `pulumi --config-file`). */
    readonly configFile?: string;
    /** Replace or add config values (`<namespace>:<key>` → string) after the stack file is read. */
    readonly configOverrides?: Record<string, string>;
}

export interface Synthesis {
    readonly project: string;
    readonly stack: string;
    readonly stackFile: string;
    /** The program's entry point, as the language host loads it. */
    readonly main: string;
    readonly resources: PlannedResource[];
    /** Invokes answered with a placeholder (no offline answer): the report lists them. */
    readonly unknownInvokes: readonly string[];
    readonly cloud: MockCloud;
}

/**
 * Runs the Pulumi program of `cwd` for `stack` under the mock cloud and returns every resource it
 * registered. The program really re-runs on each call: its modules are evaluated afresh and the
 * engine's config and mocks are replaced, so runs never leak into each other.
 *
 * The result is the whole program or nothing: a throw, a failed apply or promise, a registration
 * that was started and never completed, or a program that registers nothing is a `ProgramError`.
 */
export async function synthesize(options: SynthesizeOptions): Promise<Synthesis> {
    const cwd = path.resolve(options.cwd ?? repositoryRoot);
    const files = readStackFiles(cwd, options.stack, options.configFile);
    const config = { ...files.config, ...options.configOverrides };
    const entry = entryPoint(files.main);
    const relativeMain = path.relative(process.cwd(), files.main) || ".";

    let run = await runProgram(cwd, files.project, options.stack, config, files.secretKeys, entry, false);
    if (run.errors.length > 0 && !programFrame(run.errors[0].stack, cwd) && process.env.MCP_PLAN_STACKS !== "1") {
        // Stack traces are off for speed (see withoutPromiseStacks); a failure is rare, so it runs once
        // more with them on to name the program file and line.
        run = await runProgram(cwd, files.project, options.stack, config, files.secretKeys, entry, true);
    }
    const { captured, abandoned, errors, cloud } = run;
    if (errors.length > 0 || abandoned.length > 0) {
        const error = errors[0];
        const errorLocation = programFrame(error?.stack, cwd);
        const message = describeProgramFailure({
            error,
            errorLocation: formatLocation(errorLocation),
            program: relativeMain,
            abandoned: abandoned.map((a) => ({ label: `${a.type} ${a.name}`, at: formatLocation(programFrame(a.stack, cwd)) })),
            unknownInvokes: cloud.unknownInvokes,
            hint: error ? (sdkMismatchHint(error, (pkg) => installedVersion(cwd, pkg)) ?? configHint(error, files.stackFile, files.project, config)) : undefined,
        });
        throw new ProgramError(message, error, captured.size, abandoned.map((a) => `${a.type} ${a.name}`), errorLocation);
    }
    if (captured.size === 0) {
        throw new ProgramError(
            `the program ${relativeMain} registered no resources: a plan of nothing cannot be compliant (is Pulumi.yaml's main right?)`,
            undefined,
            0,
        );
    }
    return {
        project: files.project,
        stack: options.stack,
        stackFile: files.stackFile,
        main: files.main,
        resources: [...captured.values()],
        unknownInvokes: [...cloud.unknownInvokes],
        cloud,
    };
}

export interface ProgramRun {
    readonly captured: Map<string, PlannedResource>;
    readonly abandoned: RegistrationStart[];
    readonly errors: Error[];
    readonly cloud: MockCloud;
}

async function runProgram(
    cwd: string,
    project: string,
    stack: string,
    config: Record<string, string>,
    secretKeys: string[],
    entry: string,
    stacks: boolean,
): Promise<ProgramRun> {
    const load = programLoader(cwd);
    forgetProgramModules(cwd);
    return captureRegistrations(() => load(entry), { cwd, project, stack, config, secretKeys, stacks });
}

/**
 * Runs `build` (a program's entry point, or components constructed inline) under a fresh mock cloud
 * and engine config, and returns what it registered, what it started and never finished, and every
 * error: a throw, or an apply that rejected a promise nobody awaits.
 */
export async function captureRegistrations(
    build: () => void,
    options: { cwd: string; project: string; stack: string; config: Record<string, string>; secretKeys?: string[]; stacks?: boolean },
): Promise<ProgramRun> {
    checkSdkAssumptions();
    const { cwd, project, stack } = options;
    const cloud = new MockCloud({ project, stack });
    const captured = new Map<string, PlannedResource>();
    const tracker = new RegistrationTracker(captured, cwd);
    const errors: Error[] = [];
    const onRejection = (reason: unknown) => errors.push(asError(reason));

    await pulumi.runtime.setMocks(cloud, project, stack, false, mockOrganization);
    listenToRegistrations(tracker);
    pulumi.runtime.setAllConfig(options.config, options.secretKeys ?? []);

    // An apply that throws rejects a promise nobody awaits: the SDK leaves it to the process's
    // unhandled-rejection handler (the language host's fails the update). The plan collects them.
    process.on("unhandledRejection", onRejection);
    try {
        await withPromiseStacks(options.stacks ?? false, async () => {
            try {
                build();
            } catch (err) {
                errors.push(asError(err));
            }
            await waitForRPCs();
            // Unhandled rejections are reported after the microtask queue drains: give them one turn.
            await new Promise((resolve) => setImmediate(resolve));
        });
    } catch (err) {
        errors.push(asError(err));
    } finally {
        process.off("unhandledRejection", onRejection);
    }
    return { captured, abandoned: tracker.abandoned(), errors, cloud };
}

/**
 * Counts registrations started (by a constructor) against registrations completed (the monitor saw
 * them), so a resource that never registers because one of its inputs failed is named, not lost.
 */
class RegistrationTracker {
    private readonly pending = new Map<string, RegistrationStart[]>();

    constructor(
        private readonly captured: Map<string, PlannedResource>,
        private readonly cwd?: string,
    ) {}

    started(start: RegistrationStart): void {
        const key = `${start.type}\u0000${start.name}`;
        this.pending.set(key, [...(this.pending.get(key) ?? []), start]);
    }

    completed(request: RegistrationRequest): void {
        const key = `${request.type}\u0000${request.name}`;
        const start = this.pending.get(key)?.shift();
        const source = start && this.cwd ? programFrame(start.stack, this.cwd) : undefined;
        this.captured.set(request.urn, { ...toPlannedResource(request), ...(source ? { source } : {}) });
    }

    abandoned(): RegistrationStart[] {
        return [...this.pending.values()].flat();
    }
}

function toPlannedResource(request: RegistrationRequest): PlannedResource {
    return {
        urn: request.urn,
        type: request.type,
        name: request.name,
        parent: request.parent,
        inputs: unwrapSecrets(request.inputs),
        custom: request.custom,
        opts: { protect: request.protect },
        dependencies: request.dependencies,
        propertyDependencies: request.propertyDependencies,
        id: request.id,
        outputs: unwrapSecrets(request.outputs),
        secretPaths: secretPathsOf(request.serializedInputs),
    };
}

/** Policies see secret values unwrapped, as the engine passes them; reports mask them (see redact.ts). */
function unwrapSecrets(value: any): any {
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (value && typeof value === "object") {
        if (isSerializedSecret(value)) return unwrapSecrets(value.value);
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}

/** Where the program put a secret, exactly (the wire format keeps nested secrets in place). */
function secretPathsOf(serialized: Record<string, any>): SecretPath[] {
    const paths: SecretPath[] = [];
    const walk = (value: any, at: (string | number)[]) => {
        if (isSerializedSecret(value)) {
            paths.push(at);
            return;
        }
        if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...at, i]));
        else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, [...at, k]);
    };
    walk(serialized, []);
    return paths;
}

/**
 * The language host's way: `main` (default the project directory) is required as a file when it is
 * one, and as a directory with a trailing separator otherwise, so Node never picks a sibling
 * `<dir>.json` or `<dir>.js` (a `--json ../<dir>.json` from an earlier run would be loaded instead).
 */
function entryPoint(main: string): string {
    if (existsSync(main) && statSync(main).isDirectory()) return main.endsWith(path.sep) ? main : main + path.sep;
    return main;
}

/** A `require` that transpiles TypeScript (tsx), usable from the CLI and from vitest alike. */
function programLoader(cwd: string): NodeJS.Require {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { register } = require("tsx/cjs/api") as typeof import("tsx/cjs/api");
    registered ??= register();
    return createRequire(path.join(cwd, "index.js"));
}
let registered: (() => void) | undefined;

/** Drops the program's own modules (not node_modules) from the require cache so they run again. */
function forgetProgramModules(cwd: string): void {
    for (const file of Object.keys(require.cache)) {
        if (file.startsWith(cwd + path.sep) && !file.includes(`${path.sep}node_modules${path.sep}`) && !file.includes(`${path.sep}tools${path.sep}offline${path.sep}`)) {
            delete require.cache[file];
        }
    }
}

/** For an error that names config keys (a validation failure): where each is set in the stack file. */
function configHint(error: Error, stackFile: string, project: string, config: Record<string, string>): string | undefined {
    const named = Object.keys(config).filter((key) => new RegExp(`(^|[^\\w:-])${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w-])`).test(error.message));
    const located = named.flatMap((key) => {
        const line = configKeyLine(stackFile, key, project);
        return line ? [`${key} is set at ${path.relative(process.cwd(), stackFile) || stackFile}:${line}`] : [];
    });
    return located.length > 0 ? located.join("; ") : undefined;
}

function installedVersion(cwd: string, pkg: string): string | undefined {
    try {
        return (createRequire(path.join(cwd, "index.js"))(`${pkg}/package.json`) as { version: string }).version;
    } catch {
        return undefined;
    }
}

function asError(reason: unknown): Error {
    return reason instanceof Error ? reason : new Error(String(reason));
}

/**
 * The Pulumi SDK formats a stack trace for every output promise it creates (for its promise-leak
 * report, which the plan never prints); that is half the time of a synthesis. Stacks stay off while
 * the program runs, unless asked for (a failed run is repeated with them, MCP_PLAN_STACKS=1 forces them).
 */
async function withPromiseStacks<T>(stacks: boolean, run: () => Promise<T>): Promise<T> {
    const limit = Error.stackTraceLimit;
    // With stacks: deep enough to get past the loader's own frames (tsx adds about a dozen) to the program's.
    Error.stackTraceLimit = stacks || process.env.MCP_PLAN_STACKS === "1" ? Math.max(limit, 64) : 0;
    try {
        return await run();
    } finally {
        Error.stackTraceLimit = limit;
    }
}
