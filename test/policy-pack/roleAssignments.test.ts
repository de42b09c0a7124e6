import { describe, expect, it } from "vitest";
import {
    azureAuthorizationRoleAssignmentDisallowPrivilegedRole,
    azureAuthorizationRoleAssignmentDisallowSubscriptionScope,
} from "../../policy-pack/policies/roleAssignments";
import { violationsOf } from "../helpers/policy";
import { planned } from "../helpers/resources";

const sub = "/subscriptions/00000000-0000-0000-0000-000000000001";
const role = (guid: string) => `${sub}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const acrPull = role("7f951dda-4ed3-4680-a7ca-43fe172d538d");
const owner = role("8e3af657-a8ff-443c-a75c-2fe8c4bcb635");
const registry = `${sub}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/cr`;
const assignment = (inputs: Record<string, any> = {}) =>
    planned("azure-native:authorization:RoleAssignment", "ra", { scope: registry, roleDefinitionId: acrPull, principalId: "p", principalType: "ServicePrincipal", ...inputs });
const messages = async (policy: Parameters<typeof violationsOf>[0], resources: Parameters<typeof violationsOf>[1]) =>
    (await violationsOf(policy, resources)).map((v) => v.message);

describe("azure-authorization-roleassignment-disallow-privileged-role (C10.2, C2.2)", () => {
    const policy = azureAuthorizationRoleAssignmentDisallowPrivilegedRole;
    it("accepts AcrPull for a workload identity", async () => {
        expect(await messages(policy, [assignment()])).toEqual([]);
    });
    it.each([
        ["Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"],
        ["Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c"],
        ["User Access Administrator", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"],
        ["Key Vault Administrator", "00482a5a-887f-4fb3-b363-3b7fe8e74483"],
        ["Role Based Access Control Administrator", "f58310d9-a9f6-439a-9e8d-f62e7b41a168"],
        ["Key Vault Data Access Administrator", "8b54135c-b56d-4d72-a534-26097cfdc8d8"],
        ["Key Vault Secrets Officer", "b86a8fe4-44ce-4948-aee5-eccb2c155cd7"],
        ["Key Vault Crypto Officer", "14b46e9e-c2b7-41b4-b07b-48a6ebf60603"],
    ])("rejects %s granted to a workload identity", async (name, guid) => {
        expect(await messages(policy, [assignment({ roleDefinitionId: role(guid) })])).toEqual([
            `RoleAssignment ra must not grant ${name} to a workload identity (C10.2, C2.2).`,
        ]);
    });
    it("treats an unstated principal type as a workload identity (unset fails closed)", async () => {
        expect(await messages(policy, [assignment({ roleDefinitionId: owner, principalType: undefined })])).toHaveLength(1);
    });
    it("rejects a grant that names no role", async () => {
        expect(await messages(policy, [assignment({ roleDefinitionId: undefined })])).toEqual(["RoleAssignment ra must name the role it grants (roleDefinitionId) (C10.2, C2.2)."]);
    });
    it("leaves grants to groups to the people process", async () => {
        expect(await messages(policy, [assignment({ roleDefinitionId: owner, principalType: "Group" })])).toEqual([]);
    });
});

describe("azure-authorization-roleassignment-disallow-subscription-scope (C10.2, C2.2)", () => {
    const policy = azureAuthorizationRoleAssignmentDisallowSubscriptionScope;
    it("accepts a grant on a single resource", async () => {
        expect(await messages(policy, [assignment()])).toEqual([]);
    });
    it.each([sub, `${sub}/`, "/providers/Microsoft.Management/managementGroups/root", "/"])("rejects a grant at scope %s", async (scope) => {
        expect(await messages(policy, [assignment({ scope })])).toEqual([`RoleAssignment ra must be scoped below the subscription (got ${scope}) (C10.2, C2.2).`]);
    });
    it("rejects a grant without a scope (unset)", async () => {
        expect(await messages(policy, [assignment({ scope: undefined })])).toHaveLength(1);
    });
});

describe("azure-authorization-roleassignment-disallow-subscription-scope: narrower than the platform's own grants is required", () => {
    const policy = azureAuthorizationRoleAssignmentDisallowSubscriptionScope;
    const vault = `${sub}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv`;
    const cryptoUser = role("12338af0-0e69-4776-bea7-57ae8d297424");
    const secretsUser = role("4633458b-17de-408a-b874-0445c86b69e6");
    it("accepts a Key Vault data role on one key or secret", async () => {
        expect(await messages(policy, [assignment({ roleDefinitionId: cryptoUser, scope: `${vault}/keys/data` })])).toEqual([]);
        expect(await messages(policy, [assignment({ roleDefinitionId: secretsUser, scope: `${vault}/secrets/tls` })])).toEqual([]);
    });
    it.each([
        ["a key role on the whole vault", { roleDefinitionId: cryptoUser, scope: vault }, "not the whole vault"],
        ["a secret role on the whole vault", { roleDefinitionId: secretsUser, scope: `${vault}/` }, "not the whole vault"],
        ["a workload grant on a resource group", { scope: `${sub}/resourceGroups/rg` }, "not its resource group"],
        ["a management group", { scope: "/providers/Microsoft.Management/managementGroups/root" }, "below the subscription"],
    ])("rejects %s", async (_what, inputs, expected) => {
        expect(await messages(policy, [assignment(inputs)])).toEqual([expect.stringContaining(expected)]);
    });
    it("leaves resource-group grants to people (groups under PIM) to the subscription rule only", async () => {
        expect(await messages(policy, [assignment({ scope: `${sub}/resourceGroups/rg`, principalType: "Group" })])).toEqual([]);
    });
});
