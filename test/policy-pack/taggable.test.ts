import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { isTaggableAzureType } from "../../policy-pack/lib/taggable";
import { root } from "../helpers/cli";
import { stackResources } from "../helpers/stacks";
import { sdkTypes, untaggableModule } from "./sdkTags";

const generated = path.join(root, "policy-pack", "lib", "untaggableTypes.generated.ts");

describe("taggable types (the tag policy's scope), derived from the SDK", () => {
    it("the generated list matches the installed azure-native SDK", () => {
        const expected = untaggableModule(root);
        if (process.env.UPDATE_UNTAGGABLE === "1") writeFileSync(generated, expected);
        expect(readFileSync(generated, "utf8")).toBe(expected);
    });

    it("classifies every azure-native type as the SDK does", () => {
        const wrong = sdkTypes(root).filter((t) => isTaggableAzureType(t.type) !== t.taggable);
        expect(wrong).toEqual([]);
    });

    it("classifies every Azure type the dev and prod stacks use", async () => {
        const types = new Set([...(await stackResources("dev")), ...(await stackResources("prod"))].map((r) => r.type).filter((t) => t.startsWith("azure-native:")));
        const known = new Map(sdkTypes(root).map((t) => [t.type, t.taggable]));
        expect([...types].filter((type) => isTaggableAzureType(type) !== known.get(type))).toEqual([]);
    });

    it("treats a type the SDK list does not know as taggable (fails closed) and non-Azure types as out of scope", () => {
        expect(isTaggableAzureType("azure-native:future:NewThing")).toBe(true);
        expect(isTaggableAzureType("random:index/randomPassword:RandomPassword")).toBe(false);
    });
});
