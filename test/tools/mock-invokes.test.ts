import { describe, expect, it } from "vitest";
import { MockCloud } from "../../tools/offline/mock-cloud";
import { unknownInvokeMarker } from "../../tools/offline/mock-invokes";

// The mock cloud answers invokes with the shapes Azure returns, so an apply over the result runs on.
const cloud = () => new MockCloud({ project: "demo", stack: "dev" });
const call = (c: MockCloud, token: string, inputs: Record<string, any> = {}) => c.call({ token, inputs, provider: "" } as any);

describe("mock cloud invokes", () => {
    it("answers registry credentials with a username and two marked passwords", () => {
        const answer = call(cloud(), "azure-native:containerregistry:listRegistryCredentials", { resourceGroupName: "rg", registryName: "acr1" });
        expect(answer.username).toBe("acr1");
        expect(answer.passwords.map((p: { name: string }) => p.name)).toEqual(["password", "password2"]);
        expect(answer.passwords[0].value).toMatch(/^\[mock:/);
    });

    it("answers list*Keys with the shapes the key APIs share", () => {
        const storage = call(cloud(), "azure-native:storage:listStorageAccountKeys", { accountName: "st" });
        expect(storage.keys[0]).toEqual({ keyName: "key1", value: expect.stringMatching(/^\[mock:/), permissions: "Full" });
        const cognitive = call(cloud(), "azure-native:cognitiveservices:listAccountKeys", {});
        expect(cognitive.key1).toMatch(/^\[mock:/);
        expect(call(cloud(), "azure-native:operationalinsights:getSharedKeys", {}).primarySharedKey).toMatch(/^\[mock:/);
    });

    it("answers the deployer's client config the same for azure-native and azuread", () => {
        const c = cloud();
        const native = call(c, "azure-native:authorization:getClientConfig");
        const entra = call(c, "azuread:index/getClientConfig:getClientConfig");
        expect(native.subscriptionId).toBe(c.subscriptionId);
        expect(entra.tenantId).toBe(native.tenantId);
        expect(entra.objectId).toBe(native.objectId);
    });

    it("answers a resource lookup with the registered resource, or a resource-shaped answer", () => {
        const c = cloud();
        c.newResource({ type: "azure-native:keyvault:Vault", name: "kv", inputs: { resourceGroupName: "rg", vaultName: "kv-demo", location: "westeurope" }, custom: true } as any);
        expect(call(c, "azure-native:keyvault:getVault", { resourceGroupName: "rg", vaultName: "kv-demo" }).location).toBe("westeurope");
        const group = call(c, "azure-native:resources:getResourceGroup", { resourceGroupName: "rg-existing" });
        expect(group.id).toBe(`/subscriptions/${c.subscriptionId}/resourceGroups/rg-existing`);
        expect(group.name).toBe("rg-existing");
    });

    it("answers an unknown invoke with a marked placeholder, never its inputs, and records it", () => {
        const c = cloud();
        const answer = call(c, "acme:index/getThing:getThing", { secretInput: "do-not-echo" });
        expect(answer).toEqual({ [unknownInvokeMarker]: "no offline answer for acme:index/getThing:getThing" });
        expect(JSON.stringify(answer)).not.toContain("do-not-echo");
        expect(c.unknownInvokes).toEqual(["acme:index/getThing:getThing"]);
    });
});
