import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parse as parseYaml, parseDocument } from "yaml";

/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the Pulumi CLI does and produces the
 * engine's config map (`<namespace>:<key>` → string; structured values as JSON). Values written
 * `secure:` cannot be decrypted offline: they become `[secret:<key>]` placeholders, marked secret.
 */
export interface StackFiles {
    readonly project: string;
    readonly main: string;
    readonly config: Record<string, string>;
    readonly secretKeys: string[];
    readonly stackFile: string;
}

export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

interface ConfigDeclaration {
    type?: string;
    description?: string;
    default?: unknown;
    value?: unknown;
    secret?: boolean;
}

/** `configFile` replaces `Pulumi.<stack>.yaml`, as `pulumi --config-file` does. */
export function readStackFiles(cwd: string, stack: string, configFile?: string): StackFiles {
    const projectFile = path.join(cwd, "Pulumi.yaml");
    if (!existsSync(projectFile)) throw new StackFileError(`${projectFile} not found: --program must point at a Pulumi project`);
    const project = readYaml(projectFile) ?? {};
    const projectName: string = project.name;
    const stackDir = path.join(cwd, project.stackConfigDir ?? "");
    const stackFile = configFile ? path.resolve(configFile) : path.join(stackDir, `Pulumi.${stack}.yaml`);
    if (!existsSync(stackFile)) {
        throw new StackFileError(`stack "${stack}": ${path.relative(process.cwd(), stackFile) || stackFile} not found (create it with \`pulumi stack init ${stack}\`)`);
    }
    const stackDoc = readYaml(stackFile) ?? {};

    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [rawKey, rawValue] of Object.entries<unknown>(stackDoc.config ?? {})) {
        const key = namespaced(projectName, rawKey);
        const { value, secret } = replaceSecrets(key, rawValue);
        config[key] = toConfigString(value);
        if (secret) secretKeys.push(key);
    }

    const missing: string[] = [];
    for (const [rawKey, declaration] of Object.entries<ConfigDeclaration | unknown>(project.config ?? {})) {
        const key = namespaced(projectName, rawKey);
        if (key in config) continue;
        const decl = isDeclaration(declaration) ? declaration : { value: declaration };
        if (decl.value !== undefined) config[key] = toConfigString(decl.value);
        else if (decl.default !== undefined) config[key] = toConfigString(decl.default);
        else missing.push(rawKey);
    }
    if (missing.length > 0) {
        throw new StackFileError(
            `Stack '${stack}' is missing configuration ${missing.length > 1 ? "values" : "value"} ${missing.map((m) => `'${m}'`).join(", ")} ` +
                `(declared in Pulumi.yaml without a default; set it in ${path.basename(stackFile)})`,
        );
    }
    const main = path.resolve(cwd, project.main ?? ".");
    return { project: projectName, main, config, secretKeys, stackFile };
}

/** Parses a YAML file; a syntax error names the file, line and column (the parser alone names no file). */
function readYaml(file: string): any {
    try {
        return parseYaml(readFileSync(file, "utf8"));
    } catch (err) {
        const linePos = (err as { linePos?: { line: number; col: number }[] }).linePos?.[0];
        const where = linePos ? `${linePos.line}:${linePos.col}` : "";
        const shown = path.relative(process.cwd(), file) || file;
        const reason = (err as Error).message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
        throw new StackFileError(`${shown}${where ? `:${where}` : ""}: invalid YAML: ${reason}`);
    }
}

/**
 * A `secure:` value as Pulumi writes it: a non-empty ciphertext (`v1:<nonce>:<data>` for
 * passphrase and cloud secrets managers, base64 for the Pulumi Cloud one). Anything else (an
 * empty string, a number, a map) real Pulumi cannot decrypt, so it is rejected here, naming the key.
 */
const ciphertextPattern = /^(v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+|[A-Za-z0-9+/]+={0,2})$/;

function namespaced(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

function isDeclaration(value: unknown): value is ConfigDeclaration {
    return typeof value === "object" && value !== null && !Array.isArray(value) &&
        ["type", "description", "default", "value", "secret", "items"].some((k) => k in value);
}

function toConfigString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** Replaces every `{ secure: … }` (at any depth) with a marked placeholder. */
function replaceSecrets(key: string, value: unknown): { value: unknown; secret: boolean } {
    let secret = false;
    const walk = (v: unknown, at: string): unknown => {
        if (Array.isArray(v)) return v.map((item, i) => walk(item, `${at}[${i}]`));
        if (v && typeof v === "object") {
            const entries = Object.entries(v);
            if (entries.length === 1 && entries[0][0] === "secure") {
                const ciphertext = entries[0][1];
                if (typeof ciphertext !== "string" || !ciphertextPattern.test(ciphertext)) {
                    const got = typeof ciphertext === "string" ? (ciphertext === "" ? "an empty secure value" : "a secure value that is not a ciphertext") : `a secure ${typeof ciphertext}`;
                    throw new StackFileError(`${at}: got ${got}, expected the ciphertext \`pulumi config set --secret ${at.split(":").pop()} <value>\` writes — set it again with that command`);
                }
                secret = true;
                return `[secret:${at}]`;
            }
            return Object.fromEntries(entries.map(([k, item]) => [k, walk(item, `${at}.${k}`)]));
        }
        return v;
    };
    const result = walk(value, key);
    return { value: result, secret };
}

/**
 * The 1-based line of `key` (`<namespace>:<key>`, or the bare key for the project's namespace) in a
 * stack file, for messages and code-scanning locations that should point at the setting.
 */
export function configKeyLine(stackFile: string, key: string, project: string): number | undefined {
    const bare = key.startsWith(`${project}:`) ? key.slice(project.length + 1) : key;
    return configPathLine(stackFile, project, [bare])?.line;
}

/** A step into a config value: a map key, or the item of a list whose `name` is this. */
export type ConfigPathStep = string | { readonly name: string };

/**
 * Where a stack file sets a nested config value: `["servers", { name: "docs" }, "rateLimits"]` under
 * `<project>:servers` → `servers[0].rateLimits` and the 1-based line of its key. `undefined` when
 * the file does not set it (the value then came from a profile or schema default).
 */
export function configPathLine(stackFile: string, project: string, steps: readonly ConfigPathStep[]): { key: string; line: number } | undefined {
    let text: string;
    try {
        text = readFileSync(stackFile, "utf8");
    } catch {
        return undefined;
    }
    const lines = new LineCounter();
    const document = parseDocument(text, { lineCounter: lines });
    const config = document.get("config", true);
    if (!isMap(config) || steps.length === 0 || typeof steps[0] !== "string") return undefined;
    let node: unknown = config;
    let keyAt: number | undefined;
    let shown = "";
    for (const [i, step] of steps.entries()) {
        if (typeof step === "string") {
            if (!isMap(node)) return undefined;
            const names = i === 0 ? [`${project}:${step}`, step] : [step];
            const pair = node.items.find((p) => isScalar(p.key) && names.includes(String(p.key.value)));
            if (!pair || !isScalar(pair.key) || !pair.key.range) return undefined;
            keyAt = pair.key.range[0];
            node = pair.value;
            shown += shown === "" ? step : `.${step}`;
        } else {
            if (!isSeq(node)) return undefined;
            const index = node.items.findIndex((item) => isMap(item) && item.get("name") === step.name);
            const item = node.items[index];
            if (index < 0 || !isMap(item) || !item.range) return undefined;
            keyAt = item.range[0];
            node = item;
            shown += `[${index}]`;
        }
    }
    return keyAt === undefined ? undefined : { key: shown, line: lines.linePos(keyAt).line };
}
