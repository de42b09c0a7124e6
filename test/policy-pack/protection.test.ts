import { describe, expect, it } from "vitest";
import { azureStatefulResourceEnableDeletionProtection as policy } from "../../policy-pack/policies/protection";
import { violationsOf } from "../helpers/policy";
import { planned } from "../helpers/resources";

const platform = (profile: string) => planned("mcp:platform:McpPlatform", "mcp", { profile }, { custom: false });
const vault = (protect: boolean) => planned("azure-native:keyvault:Vault", "kv", {}, { opts: { protect } });
const workspace = (protect: boolean) => planned("azure-native:operationalinsights:Workspace", "log", {}, { opts: { protect } });

describe("azure-stateful-resource-enable-deletion-protection (A9, A10)", () => {
    it("accepts a protected vault and workspace in prod", async () => {
        expect(await violationsOf(policy, [platform("prod"), vault(true), workspace(true)])).toEqual([]);
    });

    it("rejects an unprotected vault in prod and names it", async () => {
        const violations = await violationsOf(policy, [platform("prod"), vault(false), workspace(true)]);
        expect(violations.map((v) => v.message)).toEqual(["Vault kv must be protected from deletion outside dev (protect: true; the stack runs under the prod profile) (A9, A10)."]);
    });

    it("treats a stack without the platform component as prod", async () => {
        expect(await violationsOf(policy, [workspace(false)])).toHaveLength(1);
    });

    it("says how a stack without the platform component declares its profile, and honours the pack config profile", async () => {
        const [violation] = await violationsOf(policy, [workspace(false)]);
        expect(violation.message).toContain("declares it with the pack config profile");
        expect(await violationsOf(policy, [workspace(false)], { [policy.name]: { profile: "dev" } })).toEqual([]);
        expect(await violationsOf(policy, [workspace(false)], { [policy.name]: { profile: "prod" } })).toHaveLength(1);
        // The platform's own declaration wins over the pack config.
        expect(await violationsOf(policy, [platform("prod"), workspace(false)], { [policy.name]: { profile: "dev" } })).toHaveLength(1);
    });

    it("lets the dev profile leave them unprotected", async () => {
        expect(await violationsOf(policy, [platform("dev"), vault(false), workspace(false)])).toEqual([]);
    });
});
