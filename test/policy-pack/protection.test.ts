import { describe, expect, it } from "vitest";
import { azureStatefulResourceEnableDeletionProtection as policy, mcpPlatformOptionalControlEnforceReason as reasons } from "../../policy-pack/policies/protection";
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


describe("mcp-platform-optional-control-enforce-reason", () => {
    const declaring = (profile: string, optionalControls: Record<string, unknown>) => planned("mcp:platform:McpPlatform", "mcp", { profile, optionalControls }, { custom: false });
    const why = "Managed HSM activation needs an offline security-domain ceremony";
    it("accepts controls that are on, or off with a reason", async () => {
        expect(await violationsOf(reasons, [declaring("prod", { ddosProtection: { enabled: true }, managedHsm: { enabled: false, reason: why } })])).toEqual([]);
        expect(await violationsOf(reasons, [declaring("dev", { ddosProtection: { enabled: false, reason: "dev profile: a DDoS plan bills per month" } })])).toEqual([]);
    });
    it.each([
        ["no reason", { enabled: false }],
        ["an empty reason", { enabled: false, reason: "" }],
        ["a placeholder", { enabled: false, reason: "TODO" }],
    ])("rejects a control off with %s", async (_what, declared) => {
        expect((await violationsOf(reasons, [declaring("prod", { managedHsm: declared })])).map((v) => v.message)).toEqual([expect.stringContaining("state why the optional control managedHsm is off")]);
    });
    it("rejects the dev default reason outside dev", async () => {
        expect((await violationsOf(reasons, [declaring("prod", { ddosProtection: { enabled: false, reason: "dev profile: a DDoS plan bills per month" } })])).map((v) => v.message)).toEqual([
            expect.stringContaining("give its own reason for ddosProtection"),
        ]);
    });
});
