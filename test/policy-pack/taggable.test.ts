import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { isTaggableAzureType, untaggableTypes } from "../../policy-pack/lib/taggable";
import { root } from "../helpers/cli";
import { stackResources } from "../helpers/stacks";

/** Whether the SDK's `<Type>Args` interface has a `tags` input (the source of truth for the list). */
function sdkTakesTags(type: string): boolean {
    const [, module, kind] = type.split(":");
    const folder = module === "insights" ? "monitor" : module;
    const file = path.join(root, "node_modules", "@pulumi", "azure-native", folder, `${kind.charAt(0).toLowerCase()}${kind.slice(1)}.d.ts`);
    if (!existsSync(file)) throw new Error(`no SDK definition for ${type} at ${file}`);
    const source = readFileSync(file, "utf8");
    const args = source.slice(source.indexOf(`export interface ${kind}Args {`));
    // Azure tags are a map; API Management's `tags` (a list of labels) are not resource tags.
    return /\n    tags\?: pulumi.Input<\{/.test(args.slice(0, args.indexOf("\n}")));
}

describe("taggable types (the tag policy's scope)", () => {
    it("classifies every Azure type the dev and prod stacks use as the SDK does", async () => {
        const types = new Set([...(await stackResources("dev")), ...(await stackResources("prod"))].map((r) => r.type).filter((t) => t.startsWith("azure-native:")));
        const wrong = [...types].filter((type) => isTaggableAzureType(type) !== sdkTakesTags(type));
        expect(wrong).toEqual([]);
    });

    it("lists only types that really take no tags", () => {
        const wrong = [...untaggableTypes].filter((type) => {
            try {
                return sdkTakesTags(type);
            } catch {
                return false; // a type this SDK version lacks cannot be tagged either
            }
        });
        expect(wrong).toEqual([]);
    });
});
