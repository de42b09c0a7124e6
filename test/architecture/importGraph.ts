import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

/**
 * The project's import graph, read with the TypeScript compiler's own import scanner
 * (`ts.preProcessFile`: every `import`, `import type`, `export … from` and `require`), so the rules
 * below see exactly what the compiler sees, type-only edges included.
 */
export interface ImportEdge {
    readonly from: string;
    /** Repository-relative target file for a relative import; the bare specifier for a package. */
    readonly to: string;
    readonly external: boolean;
}

const sourceRoots = ["components", "stacks", "policy-pack", "tools", "workloads"];

export function listSources(root: string): string[] {
    const out: string[] = [];
    const walk = (dir: string) => {
        if (!fs.existsSync(dir)) return;
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(full);
            else if (/\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(path.relative(root, full));
        }
    };
    for (const r of sourceRoots) walk(path.join(root, r));
    return out.sort();
}

function resolveRelative(root: string, from: string, specifier: string): string {
    const base = path.normalize(path.join(path.dirname(from), specifier));
    for (const candidate of [base, `${base}.ts`, path.join(base, "index.ts")]) {
        if (/\.(ts|mts)$/.test(candidate) && fs.existsSync(path.join(root, candidate))) return candidate;
    }
    return base;
}

export function importEdges(root: string, files: readonly string[]): ImportEdge[] {
    return files.flatMap((file) => {
        const info = ts.preProcessFile(fs.readFileSync(path.join(root, file), "utf8"), true, true);
        return info.importedFiles.map(({ fileName }) =>
            fileName.startsWith(".")
                ? { from: file, to: resolveRelative(root, file, fileName), external: false }
                : { from: file, to: fileName, external: true },
        );
    });
}

/** The layer a file belongs to; the rules are written in these terms. */
export function layerOf(file: string): string {
    const parts = file.split(/[\\/]/);
    if (parts[0] === "components") return parts[1] === "shared" || parts[1] === "platform" ? `components/${parts[1]}` : "components/*";
    if (parts[0] === "policy-pack") return parts[1] === "contract" ? "pack/contract" : "pack";
    if (parts[0] === "workloads") return `workloads/${parts[1]}`;
    return parts[0];
}

/**
 * Which layers each layer may import: stacks → components/platform → components/* → components/shared,
 * the pack on its own (publishable alone), its contract importable by everyone, tools above all.
 */
const allowed: Record<string, readonly string[]> = {
    "pack/contract": ["pack/contract"],
    pack: ["pack", "pack/contract"],
    "components/shared": ["components/shared", "pack/contract"],
    "components/*": ["components/*", "components/shared", "pack/contract"],
    "components/platform": ["components/platform", "components/*", "components/shared", "pack/contract"],
    stacks: ["stacks", "components/platform", "components/*", "components/shared", "pack/contract"],
    tools: ["tools", "stacks", "components/platform", "components/*", "components/shared", "pack", "pack/contract"],
};

export function directionViolations(edges: readonly ImportEdge[]): string[] {
    const problems: string[] = [];
    for (const edge of edges) {
        if (edge.external) {
            // Known trap: the azure-native root loads every module (seconds, gigabytes); import per module.
            if (edge.to === "@pulumi/azure-native") problems.push(`${edge.from} imports the @pulumi/azure-native root; import its module instead`);
            continue;
        }
        const from = layerOf(edge.from);
        const to = layerOf(edge.to);
        // A workload stands alone beside the contract; tools (above everything) may run a workload locally.
        const may = from.startsWith("workloads/") ? [from, "pack/contract"] : allowed[from];
        if (from === "tools" && to.startsWith("workloads/")) continue;
        if (!may) problems.push(`${edge.from}: layer ${from} has no import rule`);
        else if (!may.includes(to)) problems.push(`${edge.from} imports ${edge.to}: ${from} must not import ${to}`);
    }
    return problems;
}

/** Every import circle, each as the list of files around it (type-only edges count: they tie modules together too). */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
    const next = new Map<string, string[]>();
    for (const e of edges) if (!e.external) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    const cycles: string[][] = [];
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (file: string) => {
        state.set(file, "open");
        stack.push(file);
        for (const to of next.get(file) ?? []) {
            if (state.get(to) === "open") cycles.push([...stack.slice(stack.indexOf(to)), to]);
            else if (!state.has(to)) visit(to);
        }
        stack.pop();
        state.set(file, "done");
    };
    for (const file of [...next.keys()].sort()) if (!state.has(file)) visit(file);
    return cycles;
}
