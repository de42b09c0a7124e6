import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * Where each control lives in the tree, for the matrix's one-hop links: the line that defines each
 * policy, the component lines whose comments name the control, and the tests that exercise each
 * policy. Found by reading the sources (the names and ids are the links), so a moved line shows up
 * as a stale matrix in CI rather than a broken link.
 */
export interface SourceLocation {
    readonly file: string;
    readonly line: number;
}

const repoRoot = path.resolve(__dirname, "..", "..");

function sources(dir: string, pattern: RegExp): string[] {
    const full = path.join(repoRoot, dir);
    if (!existsSync(full)) return [];
    return readdirSync(full, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && pattern.test(e.name))
        .map((e) => path.relative(repoRoot, path.join(e.parentPath, e.name)))
        .sort();
}

interface Indexed {
    readonly file: string;
    readonly lines: readonly string[];
}
const read = (files: string[]): Indexed[] => files.map((file) => ({ file, lines: readFileSync(path.join(repoRoot, file), "utf8").split("\n") }));

let cache: { policies: Indexed[]; components: Indexed[]; workloads: Indexed[]; tests: Indexed[] } | undefined;
function index() {
    cache ??= {
        policies: read(sources("policy-pack/policies", /\.ts$/)),
        components: read(sources("components", /\.ts$/)),
        workloads: read(sources("workloads", /\.ts$/).filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`))),
        tests: read(sources("test", /\.test\.ts$/)),
    };
    return cache;
}

/** The line that names the policy (`name: "<policy>"`). */
export function policyLocation(policyName: string): SourceLocation | undefined {
    const needle = `"${policyName}"`;
    for (const { file, lines } of index().policies) {
        const i = lines.findIndex((l) => l.includes(needle));
        if (i >= 0) return { file, line: i + 1 };
    }
    return undefined;
}

/** The first line of each of the component's files whose comment names the control id, e.g. `(C10.3)` or `C10.3,`. */
export function componentLocations(component: string, controlId: string): SourceLocation[] {
    const id = new RegExp(`(^|[^0-9A-Za-z.])${controlId.replace(".", "\\.")}(?![0-9])`);
    return index()
        .components.filter(({ file }) => file.startsWith(`components${path.sep}${component}${path.sep}`))
        .flatMap(({ file, lines }) => {
            const i = lines.findIndex((l) => /\/\/|\/\*|^\s*\*/.test(l) && id.test(l));
            return i >= 0 ? [{ file, line: i + 1 }] : [];
        });
}

/** Lines of the reference workload (workloads/) whose comments name the control: the server side of a control. */
export function workloadLocations(controlId: string): SourceLocation[] {
    const id = new RegExp(`(^|[^0-9A-Za-z.])${controlId.replace(".", "\\.")}(?![0-9])`);
    return index().workloads.flatMap(({ file, lines }) => {
        const i = lines.findIndex((l) => /\/\/|\/\*|^\s*\*/.test(l) && id.test(l));
        return i >= 0 ? [{ file, line: i + 1 }] : [];
    });
}

/** Test files that name the policy: by its name (a `describe` title) or its export (`azureKeyvaultVaultEnforcePremiumSku`). */
export function testsOf(policyName: string): string[] {
    const exported = policyName.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const named = new RegExp(`(^|[^a-z0-9-])(${policyName}|${exported})(?![A-Za-z0-9-])`);
    return index()
        .tests.filter(({ lines }) => lines.some((l) => named.test(l)))
        .map(({ file }) => file);
}
