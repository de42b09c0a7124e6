import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { formerResourceTypes, resourceTypes } from "../../policy-pack/contract/resourceTypes";
import { pulumiTypeOf } from "../../tools/offline/sdk";
import { root } from "../helpers/cli";

const requireFromRoot = createRequire(path.join(root, "package.json"));

/** The installed SDK's class for a `<module>.<Class>` entry; per module, since the azure-native root loads every module. */
function sdkClass(module: string, kind: string): unknown {
    return (requireFromRoot(`@pulumi/azure-native/${module}`) as Record<string, unknown>)[kind];
}

/** Entries whose string is not the `__pulumiType` of the class they are named after. */
function mismatches(table: Readonly<Record<string, Readonly<Record<string, string>>>>): string[] {
    return Object.entries(table).flatMap(([module, kinds]) =>
        Object.entries(kinds).flatMap(([kind, token]) => {
            const actual = pulumiTypeOf(sdkClass(module, kind));
            return actual === token ? [] : [`${module}.${kind}: "${token}", the SDK says ${actual === undefined ? "no such class" : `"${actual}"`}`];
        }),
    );
}

/** `azure-native:<module>:<Class>` → the class, for the v3 side of a renamed token. */
const classOfToken = (token: string) => {
    const [, module, kind] = token.split(":");
    return sdkClass(module, kind);
};

describe("resource type tokens (policy-pack/contract/resourceTypes.ts)", () => {
    it("are each the static __pulumiType of the azure-native class they are named after", () => {
        expect(mismatches(resourceTypes)).toEqual([]);
    });

    it("catches a misspelt token and a class the SDK does not have", () => {
        expect(mismatches({ keyvault: { Vault: "azure-native:keyvault:Vaults" } })).toEqual([
            'keyvault.Vault: "azure-native:keyvault:Vaults", the SDK says "azure-native:keyvault:Vault"',
        ]);
        expect(mismatches({ network: { Subnets: "azure-native:network:Subnets" } })).toEqual(['network.Subnets: "azure-native:network:Subnets", the SDK says no such class']);
    });

    it("keeps each v2 token the pack still reads as an alias of its v3 class", () => {
        for (const { v2, v3 } of Object.values(formerResourceTypes)) {
            const cls = classOfToken(v3);
            expect(pulumiTypeOf(cls), v3).toBe(v3);
            // The generated constructor passes its former tokens as `aliases: [{ type: "…" }]`; the class source is where they are.
            expect(String(cls), `${v3} lists ${v2} as an alias`).toContain(`{ type: "${v2}" }`);
        }
    });

    it("leave the pack loadable where azure-native and azuread cannot be resolved (it is published alone and imports them as types only)", () => {
        const blockSdks = [
            'const Module = require("node:module");',
            "const resolve = Module._resolveFilename;",
            'Module._resolveFilename = function (request, ...rest) { if (/^@pulumi\\/azure(-native|ad)(\\/|$)/.test(request)) throw new Error("blocked " + request); return resolve.call(this, request, ...rest); };',
            'console.log(require("./policies").policies.length);',
        ].join("\n");
        const run = spawnSync(process.execPath, ["--import", "tsx", "-e", blockSdks], { cwd: path.join(root, "policy-pack"), encoding: "utf8" });
        expect(run.stderr).toBe("");
        expect(Number(run.stdout.trim())).toBeGreaterThan(50);
    });
});
