import type { EnforcementLevel } from "@pulumi/policy";
import { z } from "zod";
import type { McpPolicy } from "../../policy-pack/lib/policy";

/**
 * The pack config as `pulumi preview --policy-pack-config` takes it, reconciled the way the engine
 * does (pkg/resource/analyzer/config.go in pulumi/pulumi: `parsePolicyPackConfig`,
 * `ReconcilePolicyPackConfig`, `applyConfig`, `validatePolicyPackConfig`):
 *  1. start from each policy's own level and its schema's defaults;
 *  2. `all` (a level) replaces every policy's level, keeping its properties;
 *  3. each policy's entry then sets its level only if it names one (a string, or an object's
 *     `enforcementLevel`), and merges its other properties over the defaults, key by key;
 *  4. each policy's properties are validated against its config schema; every error is reported
 *     as `<policy>: <path>: <message>` and the run stops.
 */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface PolicyConfig {
    readonly enforcementLevel: EnforcementLevel;
    readonly properties: Record<string, unknown>;
}

const levels: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export class PackConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(`invalid policy pack config:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "PackConfigError";
    }
}

interface ParsedEntry {
    readonly enforcementLevel?: EnforcementLevel;
    readonly properties: Record<string, unknown>;
}

function parseEntry(key: string, value: unknown, problems: string[]): ParsedEntry | undefined {
    const level = (candidate: unknown): EnforcementLevel | undefined => {
        if (typeof candidate === "string" && (levels as readonly string[]).includes(candidate)) return candidate as EnforcementLevel;
        problems.push(`${key}: ${JSON.stringify(candidate)} is not a valid enforcement level (allowed: ${levels.join(", ")})`);
        return undefined;
    };
    if (typeof value === "string") return { enforcementLevel: level(value), properties: {} };
    if (value && typeof value === "object" && !Array.isArray(value)) {
        const { enforcementLevel, ...properties } = value as Record<string, unknown>;
        return { enforcementLevel: enforcementLevel === undefined ? undefined : level(enforcementLevel), properties };
    }
    problems.push(`${key}: ${JSON.stringify(value)} is not a valid value; must be a string or object`);
    return undefined;
}

function defaultsOf(policy: McpPolicy): Record<string, unknown> {
    return Object.fromEntries(
        Object.entries(policy.configSchema?.properties ?? {})
            .filter(([, schema]) => (schema as { default?: unknown }).default !== undefined)
            .map(([key, schema]) => [key, structuredClone((schema as { default?: unknown }).default)]),
    );
}

type ConfigSchema = NonNullable<McpPolicy["configSchema"]>;
const validators = new WeakMap<ConfigSchema, z.ZodType>();

/** The engine wraps a policy's schema as `{ type: "object", properties, required }`; built once per schema (evaluate runs hundreds of times in tests). */
function validatorFor(configSchema: ConfigSchema): z.ZodType {
    let validator = validators.get(configSchema);
    if (!validator) {
        const schema = { type: "object", properties: configSchema.properties, ...(configSchema.required ? { required: configSchema.required } : {}) };
        validator = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
        validators.set(configSchema, validator);
    }
    return validator;
}

/** Reconciles `config` over the policies' defaults; throws `PackConfigError` naming every invalid entry. */
export function reconcilePackConfig(policies: readonly McpPolicy[], config: PackConfig = {}): Map<string, PolicyConfig> {
    const problems: string[] = [];
    const result = new Map<string, PolicyConfig>(
        policies.map((p) => [p.name, { enforcementLevel: p.enforcementLevel ?? "mandatory", properties: defaultsOf(p) }]),
    );
    const parsed = new Map<string, ParsedEntry>();
    for (const [key, value] of Object.entries(config)) {
        const entry = parseEntry(key, value, problems);
        if (entry) parsed.set(key, entry);
    }
    const all = parsed.get("all");
    if (all?.enforcementLevel) {
        for (const [name, current] of result) result.set(name, { ...current, enforcementLevel: all.enforcementLevel });
    }
    for (const [name, entry] of parsed) {
        if (name === "all") continue;
        const current = result.get(name);
        // Like the engine, a name that is no policy of the pack is kept and never read.
        if (!current) continue;
        result.set(name, {
            enforcementLevel: entry.enforcementLevel ?? current.enforcementLevel,
            properties: { ...current.properties, ...entry.properties },
        });
    }
    for (const policy of policies) {
        if (!policy.configSchema) continue;
        const check = validatorFor(policy.configSchema).safeParse(result.get(policy.name)!.properties);
        if (!check.success) {
            for (const issue of check.error.issues) problems.push(`${policy.name}: ${issue.path.join(".") || "(config)"}: ${issue.message}`);
        }
    }
    if (problems.length > 0) throw new PackConfigError(problems);
    return result;
}
