import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import { describe, expect, it } from "vitest";
import { policies } from "../../policy-pack/policies";
import { brokenSdkAssumptions, pulumiTypeOf, SdkAssumptionError, sdkVersion, typeFilterOf } from "../../tools/offline/sdk";
import { runUnderMocks } from "../helpers/mocks";

// The offline plan relies on Pulumi SDK internals (tools/offline/sdk.ts). When an upgrade breaks one,
// this file fails first and says which, naming the installed SDK version.
describe(`Pulumi SDK internals the offline plan relies on (@pulumi/pulumi ${sdkVersion})`, () => {
    it("holds every shape assumption", () => {
        expect(brokenSdkAssumptions(), `@pulumi/pulumi ${sdkVersion} broke the offline plan's adapter`).toEqual([]);
    });

    it("names the SDK version when an assumption breaks", () => {
        expect(new SdkAssumptionError(["runtime/resource no longer exports registerResource"]).message).toBe(
            `@pulumi/pulumi ${sdkVersion} breaks an assumption of the offline plan (tools/offline/sdk.ts): runtime/resource no longer exports registerResource. ` +
                "Pin @pulumi/pulumi to a tested 3.x version or update the adapter.",
        );
    });

    it("still sees what the engine sees: parent, protect, dependencies, secrets and the registering line", async () => {
        const registered = await runUnderMocks(() => {
            const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
            const group = new resources.ResourceGroup("rg", { location: "westeurope", tags: { token: pulumi.secret("s3cr3t-value") } }, { parent, protect: true });
            new resources.ResourceGroup("second", { location: group.location }, { parent });
            (parent as any).registerOutputs({});
        });
        const byName = new Map(registered.map((r) => [r.name, r]));
        const rg = byName.get("rg")!;
        expect(rg.parent).toBe(byName.get("parent")!.urn);
        expect(rg.opts.protect).toBe(true);
        expect(rg.inputs.tags).toEqual({ token: "s3cr3t-value" }); // policies see secrets unwrapped
        expect(rg.secretPaths).toEqual([["tags", "token"]]); // reports mask them, where the program put them
        expect(rg.source?.file).toBe(__filename);
        expect(byName.get("second")!.propertyDependencies.location).toEqual([rg.urn]);
        expect(pulumiTypeOf(resources.ResourceGroup)).toBe("azure-native:resources:ResourceGroup");
    });

    it("reads the pack's type filter, so the evaluator's shortcut skips only what the policy would call notApplicable", () => {
        const tags = policies.find((p) => p.name === "azure-keyvault-vault-enable-purge-protection")!;
        expect(typeFilterOf(tags)?.("azure-native:keyvault:Vault")).toBe(true);
        expect(typeFilterOf(tags)?.("azure-native:storage:StorageAccount")).toBe(false);
    });
});
