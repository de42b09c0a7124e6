import * as path from "node:path";
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { MockCloud } from "./mock-cloud";
import { readStackFiles } from "./stack-files";
import { PlannedResource, StackRef } from "./types";

export const repositoryRoot = path.resolve(__dirname, "..", "..");

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
    readonly resources: PlannedResource[];
    readonly cloud: MockCloud;
}

/**
 * Runs the Pulumi program of `cwd` for `stack` under the mock cloud and returns every resource it
 * registered. The program really re-runs on each call: its modules are evaluated afresh and the
 * engine's config and mocks are replaced, so runs never leak into each other.
 */
export async function synthesize(options: SynthesizeOptions): Promise<Synthesis> {
    const cwd = path.resolve(options.cwd ?? repositoryRoot);
    const files = readStackFiles(cwd, options.stack, options.configFile);
    const config = { ...files.config, ...options.configOverrides };
    const cloud = new MockCloud({ project: files.project, stack: options.stack });
    const captured = new Map<string, PlannedResource>();

    await pulumi.runtime.setMocks(cloud, files.project, options.stack, false);
    captureRegistrations(captured);
    pulumi.runtime.setAllConfig(config, files.secretKeys);

    const load = programLoader(cwd);
    forgetProgramModules(cwd);
    try {
        await withoutPromiseStacks(async () => {
            load(files.main);
            await waitForRegistrations();
        });
    } catch (err) {
        throw new ProgramError(err as Error, captured.size);
    }

    return { project: files.project, stack: options.stack, stackFile: files.stackFile, resources: [...captured.values()], cloud };
}

/** The program threw (invalid config or a bug); `registered` says how far it got. */
export class ProgramError extends Error {
    constructor(
        readonly cause: Error,
        readonly registered: number,
    ) {
        super(cause.message);
        this.name = "ProgramError";
    }
}

/**
 * Runs `build` (which constructs components) under the mock cloud and returns what it registered.
 * For component tests: no stack file, config given inline.
 */
export async function runUnderMocks(
    build: () => void,
    options: { project?: string; stack?: string; config?: Record<string, string> } = {},
): Promise<PlannedResource[]> {
    const project = options.project ?? "mcp-platform";
    const stack = options.stack ?? "test";
    const captured = new Map<string, PlannedResource>();
    await pulumi.runtime.setMocks(new MockCloud({ project, stack }), project, stack, false);
    captureRegistrations(captured);
    pulumi.runtime.setAllConfig(options.config ?? {}, []);
    await withoutPromiseStacks(async () => {
        build();
        await waitForRegistrations();
    });
    return [...captured.values()];
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

/**
 * Wraps the mock monitor's registerResource to record what the engine would see: parent,
 * protect, dependencies. The SDK's mock monitor keeps none of these.
 */
function captureRegistrations(captured: Map<string, PlannedResource>): void {
    const monitor = engineStore().settings.monitor;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
        register(req, (err: any, resp: any) => {
            if (!err && resp) {
                const inputs = pulumi.runtime.deserializeProperties(req.getObject());
                const outputs = pulumi.runtime.deserializeProperties(resp.getObject());
                const propertyDependencies: Record<string, string[]> = {};
                req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
                    propertyDependencies[key] = deps.getUrnsList();
                });
                const urn: string = resp.getUrn();
                captured.set(urn, {
                    urn,
                    type: req.getType(),
                    name: req.getName(),
                    parent: req.getParent() || undefined,
                    inputs: stripSecrets(inputs),
                    custom: req.getCustom(),
                    opts: { protect: req.getProtect() === true },
                    dependencies: req.getDependenciesList(),
                    propertyDependencies,
                    id: resp.getId() || undefined,
                    outputs: stripSecrets(outputs),
                });
            }
            callback(err, resp);
        });
    };
}

/** Policies see secret values unwrapped, as the engine passes them. */
function stripSecrets(value: any): any {
    if (Array.isArray(value)) return value.map(stripSecrets);
    if (value && typeof value === "object") {
        if (value[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return stripSecrets(value.value);
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripSecrets(v)]));
    }
    return value;
}

/**
 * The Pulumi SDK formats a stack trace for every output promise it creates (for its promise-leak
 * report, which the plan never prints); that is half the time of a synthesis. Stacks stay off while
 * the program runs, unless MCP_PLAN_STACKS=1 asks for them to debug a program error.
 */
async function withoutPromiseStacks<T>(run: () => Promise<T>): Promise<T> {
    if (process.env.MCP_PLAN_STACKS === "1") return run();
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return await run();
    } finally {
        Error.stackTraceLimit = limit;
    }
}

function engineStore(): any {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("@pulumi/pulumi/runtime/state").getStore();
}

async function waitForRegistrations(): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const settings = require("@pulumi/pulumi/runtime/settings");
    await settings.waitForRPCs();
}
