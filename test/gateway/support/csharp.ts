import { execFileSync, spawn, ChildProcessWithoutNullStreams } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { methodBody } from "./expressions";

/**
 * Compiles policy expressions with Mono's C# compiler (`mcs`, Debian `mono-mcs`) against the
 * context model (../harness/Model.cs) and Json.NET (Debian `libnewtonsoft-json-cil-dev`), and runs
 * them in one long-lived `mono` process per test file (line protocol: JSON request → JSON answer).
 * `.ci/run` installs both; a machine without them fails here with the install command.
 */

const harnessDir = join(__dirname, "..", "harness");
const newtonsoftCandidates = ["/usr/lib/cli/Newtonsoft.Json-5.0/Newtonsoft.Json.dll", "/usr/lib/mono/gac/Newtonsoft.Json/6.0.0.0__b9a188c8922137c6/Newtonsoft.Json.dll"];
const installHint = "apt-get install -y mono-mcs libmono-system-core4.0-cil libnewtonsoft-json-cil-dev";

function newtonsoftPath(): string {
    const found = newtonsoftCandidates.find((p) => existsSync(p));
    if (!found) throw new Error(`Json.NET not found (looked in ${newtonsoftCandidates.join(", ")}): ${installHint}`);
    return found;
}

/** Expression source → method name (`E<n>`), in first-seen order. */
export class ExpressionTable {
    private readonly ids = new Map<string, string>();
    private readonly origins = new Map<string, string[]>();
    add(source: string, origin: string): string {
        let id = this.ids.get(source);
        if (!id) {
            id = `E${this.ids.size}`;
            this.ids.set(source, id);
            this.origins.set(id, []);
        }
        this.origins.get(id)!.push(origin);
        return id;
    }
    idOf(source: string): string {
        const id = this.ids.get(source);
        if (!id) throw new Error(`expression was not compiled: ${source.slice(0, 120)}`);
        return id;
    }
    get size(): number {
        return this.ids.size;
    }
    entries(): [string, string][] {
        return [...this.ids.entries()];
    }
    originsOf(id: string): readonly string[] {
        return this.origins.get(id) ?? [];
    }
}

/** One C# file: a static method per expression and the id → delegate table the runner reads. */
function generateSource(table: ExpressionTable, options: { benchClock?: boolean } = {}): { source: string; lineOf: (line: number) => string | undefined } {
    const lines = [
        "using System;",
        "using System.Collections.Generic;",
        "using System.Linq;",
        "using System.Text;",
        "using System.Text.RegularExpressions;",
        "using System.Xml.Linq;",
        "using Newtonsoft.Json.Linq;",
        "using Apim;",
        "public static partial class Expressions {",
    ];
    const owners: { from: number; id: string }[] = [];
    for (const [source, id] of table.entries()) {
        owners.push({ from: lines.length + 1, id });
        const body = options.benchClock ? methodBody(source).replace(/\bDateTime\.UtcNow\b/g, "BenchClock.UtcNow") : methodBody(source);
        lines.push(`// ${table.originsOf(id)[0]}`, `public static object ${id}(IContext context) {`, ...body.split("\n"), "}");
    }
    owners.push({ from: lines.length + 1, id: "" });
    lines.push(
        "public static readonly Dictionary<string, Func<IContext, object>> All = new Dictionary<string, Func<IContext, object>> {",
        ...table.entries().map(([, id]) => `{ "${id}", ${id} },`),
        "};",
        "}",
    );
    const lineOf = (line: number) => {
        const owner = [...owners].reverse().find((o) => o.from <= line);
        return owner && owner.id ? `${owner.id} (${table.originsOf(owner.id).join("; ")})` : undefined;
    };
    return { source: lines.join("\n") + "\n", lineOf };
}

export interface Compiled {
    readonly exe: string;
    readonly milliseconds: number;
    readonly cached: boolean;
}

export class CompileError extends Error {}

/** Compiles (or reuses, keyed by the sources' hash) the runner with the given expressions. */
export function compile(table: ExpressionTable, options: { noCache?: boolean; benchClock?: boolean } = {}): Compiled {
    const { source, lineOf } = generateSource(table, options);
    const model = readFileSync(join(harnessDir, "Model.cs"), "utf8");
    const runner = readFileSync(join(harnessDir, "Runner.cs"), "utf8");
    const hash = createHash("sha256").update(model).update(runner).update(source).digest("hex").slice(0, 16);
    const dir = join(tmpdir(), "apim-bench", hash);
    const exe = join(dir, "bench.exe");
    if (!options.noCache && existsSync(exe)) return { exe, milliseconds: 0, cached: true };
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "Model.cs"), model);
    writeFileSync(join(dir, "Runner.cs"), runner);
    writeFileSync(join(dir, "Expressions.cs"), source);
    const json = newtonsoftPath();
    const started = performance.now();
    try {
        execFileSync(
            "mcs",
            ["-nologo", "-warn:0", "-langversion:7", "-target:exe", `-out:${exe}`, `-r:${json}`, "-r:System.Core", "-r:System.Xml.Linq", "-r:System.Xml", "Model.cs", "Runner.cs", "Expressions.cs"],
            { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
        );
    } catch (err) {
        const e = err as { code?: string; stdout?: string; stderr?: string };
        if (e.code === "ENOENT") throw new Error(`mcs not found: ${installHint}`);
        const output = `${e.stdout ?? ""}${e.stderr ?? ""}`;
        const explained = output
            .split("\n")
            .filter((l) => l.trim() !== "")
            .map((l) => {
                const m = /^Expressions\.cs\((\d+),\d+\)/.exec(l);
                return m ? `${l}\n    in ${lineOf(Number(m[1])) ?? "?"}` : l;
            })
            .join("\n");
        throw new CompileError(`C# compile failed:\n${explained}`);
    }
    copyFileSync(json, join(dir, "Newtonsoft.Json.dll"));
    return { exe, milliseconds: performance.now() - started, cached: false };
}

/** A variable value as the runner transports it (the CLR type matters: GetValueOrDefault<T> casts). */
export type ClrValue =
    | { t: "null" }
    | { t: "string"; v: string }
    | { t: "bool"; v: boolean }
    | { t: "int"; v: number }
    | { t: "long"; v: number }
    | { t: "double"; v: number }
    | { t: "jwt"; v: Record<string, unknown> }
    | { t: "response"; v: WireResponse | null }
    | { t: string; v?: unknown };

export interface WireResponse {
    readonly status: number;
    readonly reason?: string;
    readonly headers: Record<string, string[]>;
    readonly body: string | null;
}

export interface WireContext {
    readonly request: { method: string; url: string; headers: Record<string, string[]>; body: string | null; ipAddress: string };
    readonly response: WireResponse | null;
    readonly variables: Record<string, ClrValue>;
    readonly lastError: Record<string, string> | null;
    readonly operation: { id: string; method: string; name: string; urlTemplate: string };
    /** Bench clock, ms since the epoch (DateTime.UtcNow in bench-compiled expressions). */
    readonly now: number;
}

export interface EvalResult {
    readonly ok: boolean;
    readonly value?: ClrValue;
    readonly error?: string;
    readonly consumed: { request: boolean; response: boolean };
}

/** The long-lived `mono bench.exe` process. */
export class ExpressionRunner {
    private readonly child: ChildProcessWithoutNullStreams;
    private readonly pending = new Map<number, (answer: Record<string, unknown>) => void>();
    private seq = 0;
    private stderr = "";

    constructor(exe: string) {
        this.child = spawn("mono", [exe], { stdio: ["pipe", "pipe", "pipe"] });
        this.child.stderr.on("data", (d) => (this.stderr += String(d)));
        createInterface({ input: this.child.stdout }).on("line", (line) => {
            const answer = JSON.parse(line) as Record<string, unknown>;
            const resolve = this.pending.get(answer.seq as number);
            this.pending.delete(answer.seq as number);
            resolve?.(answer);
        });
        this.child.on("exit", (code) => {
            for (const [, resolve] of this.pending) resolve({ ok: false, protocolError: `mono exited with ${code}: ${this.stderr}` });
            this.pending.clear();
        });
    }

    evaluate(id: string, ctx: WireContext): Promise<EvalResult> {
        const seq = ++this.seq;
        return new Promise((resolve, reject) => {
            this.pending.set(seq, (answer) => {
                if (answer.protocolError) reject(new Error(`bench runner: ${answer.protocolError as string}`));
                else resolve(answer as unknown as EvalResult);
            });
            this.child.stdin.write(`${JSON.stringify({ seq, id, ctx })}\n`);
        });
    }

    close(): void {
        this.child.stdin.end();
    }
}

/** Every type/member the compiled IL of each expression references. */
export function memberReferences(exe: string): { id: string; type: string; member: string }[] {
    const out = execFileSync("mono", [exe, "--members"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    return out
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as { id: string; type: string; member: string });
}
