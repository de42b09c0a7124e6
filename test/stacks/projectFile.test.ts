import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { stackConfigSchema } from "../../stacks/schema";
import { supportedProtocolVersions } from "../../policy-pack/contract/revisions";

/**
 * Pulumi.yaml declares every config key with its default (what `pulumi config` and the template
 * show); stacks/schema.ts is where the defaults and rules live. YAML cannot import, so this test is
 * what ties the copy to its home: a changed default or a new key fails here, not in a user's stack.
 */
const root = path.resolve(__dirname, "../..");
// Keys of other namespaces (`pulumi:autonaming`) belong to the engine, not to this project's schema.
const declared: Record<string, { default?: unknown; description?: string }> = Object.fromEntries(
    Object.entries(parse(readFileSync(path.join(root, "Pulumi.yaml"), "utf8")).config as Record<string, { default?: unknown; description?: string }>).filter(([key]) => !key.includes(":")),
);
const shape = stackConfigSchema.shape as Record<string, { safeParse(value: unknown): { success: boolean; data?: unknown } }>;

/** Keys whose Pulumi.yaml default differs from the schema's (or that only one of the two knows). */
function disagreements(project: typeof declared): string[] {
    const problems: string[] = [];
    for (const key of Object.keys(shape)) if (!(key in project)) problems.push(`${key}: in stacks/schema.ts, not declared in Pulumi.yaml`);
    for (const [key, declaration] of Object.entries(project)) {
        const field = shape[key];
        if (!field) {
            problems.push(`${key}: declared in Pulumi.yaml, unknown to stacks/schema.ts`);
            continue;
        }
        const fromSchema = field.safeParse(undefined);
        const schemaDefault = fromSchema.success ? fromSchema.data : undefined;
        if (JSON.stringify(declaration?.default) !== JSON.stringify(schemaDefault)) {
            problems.push(`${key}: Pulumi.yaml default ${JSON.stringify(declaration?.default)}, schema default ${JSON.stringify(schemaDefault)}`);
        }
    }
    return problems;
}

describe("Pulumi.yaml's config declarations follow stacks/schema.ts", () => {
    it("declares every key of the schema, and only those, with the schema's default", () => {
        expect(disagreements(declared)).toEqual([]);
    });

    it("catches a default that drifted, a key the schema lacks and a key Pulumi.yaml lacks", () => {
        const { owner: _owner, ...withoutOwner } = declared;
        const drifted = { ...withoutOwner, protocolVersions: { ...declared.protocolVersions, default: ["2025-11-25"] }, colour: { default: "blue" } };
        expect(disagreements(drifted)).toEqual([
            "owner: in stacks/schema.ts, not declared in Pulumi.yaml",
            `protocolVersions: Pulumi.yaml default ["2025-11-25"], schema default ${JSON.stringify(supportedProtocolVersions)}`,
            "colour: declared in Pulumi.yaml, unknown to stacks/schema.ts",
        ]);
    });

    it("names every supported MCP revision in the protocolVersions description", () => {
        for (const revision of supportedProtocolVersions) expect(declared.protocolVersions.description).toContain(revision);
    });
});
