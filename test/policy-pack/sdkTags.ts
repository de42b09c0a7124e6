import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * Every azure-native resource type of the installed SDK and whether its `<Kind>Args` has a `tags`
 * input: the source of truth for policy-pack/lib/untaggableTypes.generated.ts. Azure tags are a
 * map; API Management's `tags` (a list of labels) are not resource tags.
 */
export function sdkTypes(root: string): { type: string; taggable: boolean }[] {
    const sdk = path.join(root, "node_modules", "@pulumi", "azure-native");
    const out: { type: string; taggable: boolean }[] = [];
    for (const folder of readdirSync(sdk).sort()) {
        const dir = path.join(sdk, folder);
        if (!existsSync(path.join(dir, "index.js"))) continue;
        for (const file of readdirSync(dir).sort()) {
            if (!file.endsWith(".js") || file === "index.js") continue;
            const match = /__pulumiType = '(azure-native:[^']+)'/.exec(readFileSync(path.join(dir, file), "utf8"));
            if (!match) continue;
            const kind = match[1].split(":")[2];
            const dts = readFileSync(path.join(dir, file.replace(/\.js$/, ".d.ts")), "utf8");
            const start = dts.indexOf(`export interface ${kind}Args {`);
            const args = start < 0 ? "" : dts.slice(start, dts.indexOf("\n}", start));
            out.push({ type: match[1], taggable: /\n    tags\?: pulumi\.Input<\{/.test(args) });
        }
    }
    return out;
}

/** The generated module's text for the installed SDK. */
export function untaggableModule(root: string): string {
    const untaggable = sdkTypes(root).filter((t) => !t.taggable).map((t) => t.type).sort();
    const version = JSON.parse(readFileSync(path.join(root, "node_modules", "@pulumi", "azure-native", "package.json"), "utf8")).version;
    return (
        `// Generated from @pulumi/azure-native ${version} by test/policy-pack/taggable.test.ts (UPDATE_UNTAGGABLE=1 npx vitest run test/policy-pack/taggable.test.ts). Do not edit.\n` +
        "/** azure-native resource types whose Args take no `tags` map (sub-resources, extension resources, API Management entities). */\n" +
        `export const untaggableAzureTypes: readonly string[] = [\n${untaggable.map((t) => `    "${t}",`).join("\n")}\n];\n`
    );
}
