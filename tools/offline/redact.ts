import { PlannedResource, SecretPath } from "./types";

/**
 * Nothing secret in plain text: policies see secret inputs unwrapped (as under the engine), every
 * report masks them. Two layers: each secret input is replaced by `secretPlaceholder` where the
 * SDK marked it (an input whose value is an Output holding a secret is secret as a whole, as
 * `pulumi preview` shows it: the SDK lifts secretness to that input), and any string inside a secret that
 * surfaces elsewhere (a policy message quoting it) is cut out of every string written. Strings the
 * plan also shows in the clear (names, types, other inputs) are not what made the property secret
 * and stay readable.
 */
const secretPlaceholder = "[secret]";

/** Secrets shorter than this are not searched for in free text (they would mask ordinary words). */
const shortestSearchedSecret = 4;

export class Redactor {
    private readonly values: string[];

    constructor(resources: readonly PlannedResource[]) {
        const found = new Set<string>();
        const clear = new Set<string>();
        for (const r of resources) {
            for (const at of r.secretPaths ?? []) collectStrings(valueAt(r.inputs, at), found, clear);
            [r.urn, r.type, r.name].forEach((v) => clear.add(v));
            collectStrings(maskPaths(r), clear);
            collectStrings(r.outputs ?? {}, clear);
        }
        // Longest first, so a secret that contains another is cut whole.
        this.values = [...found]
            .filter((v) => v.length >= shortestSearchedSecret && v !== secretPlaceholder && !clear.has(v))
            .sort((a, b) => b.length - a.length);
    }

    /** The resource's inputs with each secret replaced by the placeholder. */
    inputs(resource: PlannedResource): Record<string, any> {
        return this.deep(maskPaths(resource));
    }

    text(value: string): string {
        let out = value;
        for (const secret of this.values) if (out.includes(secret)) out = out.split(secret).join(secretPlaceholder);
        return out;
    }

    /** A copy of `value` with every string passed through `text`. */
    deep<T>(value: T): T {
        if (this.values.length === 0) return value;
        const walk = (v: any): any => {
            if (typeof v === "string") return this.text(v);
            if (Array.isArray(v)) return v.map(walk);
            if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, item]) => [this.text(k), walk(item)]));
            return v;
        };
        return walk(value);
    }
}

function maskPaths(resource: PlannedResource): Record<string, any> {
    let masked = resource.inputs;
    for (const at of resource.secretPaths ?? []) masked = replaceAt(masked, at, secretPlaceholder);
    return masked;
}

function valueAt(root: any, at: SecretPath): any {
    return at.reduce((v, key) => (v == null ? undefined : v[key as any]), root);
}

/**
 * Keys whose values name or point at a secret rather than hold it (a Container App secret's `name`,
 * a registry's `passwordSecretRef`, a Key Vault URL): inside a secret property they stay readable.
 */
const referenceKeys = new Set(["name", "secretRef", "passwordSecretRef", "server", "identity", "keyVaultUrl"]);

function collectStrings(value: any, into: Set<string>, references?: Set<string>): void {
    if (typeof value === "string") into.add(value);
    else if (typeof value === "number") into.add(String(value));
    else if (Array.isArray(value)) value.forEach((v) => collectStrings(v, into, references));
    else if (value && typeof value === "object") {
        for (const [key, v] of Object.entries(value)) {
            if (references && referenceKeys.has(key) && typeof v === "string") references.add(v);
            else collectStrings(v, into, references);
        }
    }
}

/** A copy of `root` with the value at `at` replaced (copy on the path only). */
function replaceAt(root: any, at: SecretPath, replacement: unknown): any {
    if (at.length === 0) return replacement;
    if (root == null || typeof root !== "object") return root;
    const [head, ...rest] = at;
    const copy: any = Array.isArray(root) ? [...root] : { ...root };
    if (!(head in copy)) return root;
    copy[head as any] = replaceAt(copy[head as any], rest, replacement);
    return copy;
}
