import { describe, expect, it } from "vitest";
import { resourcePolicy } from "../../policy-pack/lib/policy";
import { evaluateDetailed } from "../../tools/offline/evaluate";
import { PackConfigError, reconcilePackConfig } from "../../tools/offline/pack-config";
import { planned } from "../helpers/resources";

// The engine's reconciliation of --policy-pack-config (pulumi/pulumi pkg/resource/analyzer/config.go),
// case by case: defaults from the policy, `all` sets every level, a policy's entry sets its level only
// when it names one and merges its properties, then each policy's properties are schema-validated.
const type = "test:index:Thing";
const mustBeGood = (name: string, enforcementLevel?: "advisory" | "mandatory") =>
    resourcePolicy({
        name,
        description: "test policy",
        controls: ["C0.0"],
        component: "test",
        remediationSteps: "none",
        enforcementLevel,
        appliesTo: [type],
        validate: (props, _args, must) => {
            if (props.good !== true) must("be good");
        },
    });
const strict = mustBeGood("test-strict");
const lenient = mustBeGood("test-lenient", "advisory");
const policies = [strict, lenient];
const reason = "pilot resource, deleted after the pilot (CHG-42)";
const levelOf = (config: Parameters<typeof reconcilePackConfig>[1]) => {
    const r = reconcilePackConfig(policies, config);
    return { strict: r.get("test-strict")!.enforcementLevel, lenient: r.get("test-lenient")!.enforcementLevel };
};

describe("pack config reconciliation (as the engine)", () => {
    it("defaults: each policy's own level and its schema defaults", () => {
        const r = reconcilePackConfig(policies, {});
        expect(r.get("test-strict")).toEqual({ enforcementLevel: "mandatory", properties: { exemptions: [] } });
        expect(r.get("test-lenient")!.enforcementLevel).toBe("advisory");
    });

    it('"all" sets every level', () => {
        expect(levelOf({ all: "advisory" })).toEqual({ strict: "advisory", lenient: "advisory" });
        expect(levelOf({ all: { enforcementLevel: "disabled" } })).toEqual({ strict: "disabled", lenient: "disabled" });
    });

    it('"all": advisory plus a per-policy object without a level keeps the policy advisory', () => {
        const r = reconcilePackConfig(policies, { all: "advisory", "test-strict": { exemptions: [{ resource: "a", reason }] } });
        expect(r.get("test-strict")).toEqual({ enforcementLevel: "advisory", properties: { exemptions: [{ resource: "a", reason }] } });
    });

    it("a per-policy level (string or object) wins over all", () => {
        expect(levelOf({ all: "advisory", "test-strict": "mandatory" })).toEqual({ strict: "mandatory", lenient: "advisory" });
        expect(levelOf({ all: "disabled", "test-lenient": { enforcementLevel: "mandatory" } })).toEqual({ strict: "disabled", lenient: "mandatory" });
    });

    it("ignores names that are no policy of the pack, as the engine does", () => {
        expect(levelOf({ "no-such-policy": "disabled" })).toEqual({ strict: "mandatory", lenient: "advisory" });
    });

    it("rejects an invalid level, naming the key and the allowed values", () => {
        expect(() => reconcilePackConfig(policies, { "test-strict": "strict" as never })).toThrow(
            /test-strict: "strict" is not a valid enforcement level \(allowed: advisory, mandatory, remediate, disabled\)/,
        );
        expect(() => reconcilePackConfig(policies, { all: { enforcementLevel: 3 } as never })).toThrow(PackConfigError);
        expect(() => reconcilePackConfig(policies, { "test-strict": 3 as never })).toThrow(/test-strict: 3 is not a valid value; must be a string or object/);
    });

    it("rejects an exemption whose reason is shorter than the minimum, naming the policy and the exemption", () => {
        expect(() => reconcilePackConfig(policies, { "test-strict": { exemptions: [{ resource: "a", reason: "because" }] } })).toThrow(
            /test-strict: exemptions\.0\.reason: Too small/,
        );
        expect(() => reconcilePackConfig(policies, { "test-strict": { exemptions: [{ resource: "a" }] } })).toThrow(/test-strict: exemptions\.0\.reason/);
        expect(() => reconcilePackConfig(policies, { "test-strict": { exemptions: [{ resource: "a", reason, until: "never" }] } })).toThrow(
            /test-strict: exemptions\.0: Unrecognized key: "until"/,
        );
    });
});

describe("evaluate with a pack config", () => {
    const bad = planned(type, "a", { good: false });

    it('keeps a policy advisory under "all": advisory when its entry only lists exemptions', async () => {
        const { violations, exemptions } = await evaluateDetailed([bad, planned(type, "b", { good: false })], {
            stack: "dev",
            policies,
            packConfig: { all: "advisory", "test-strict": { exemptions: [{ resource: "a", reason }] } },
        });
        expect(violations.map((v) => [v.policy, v.enforcementLevel, v.urn?.split("::").pop()])).toEqual([
            ["test-strict", "advisory", "b"],
            ["test-lenient", "advisory", "a"],
            ["test-lenient", "advisory", "b"],
        ]);
        expect(exemptions).toEqual([{ policy: "test-strict", urn: bad.urn, reason }]);
    });

    it("stops with an error naming the policy for a reason that is long enough only with its padding", async () => {
        const padded = `short${" ".repeat(30)}`;
        const attempt = evaluateDetailed([bad], { stack: "dev", policies, packConfig: { "test-strict": { exemptions: [{ resource: "a", reason: padded }] } } });
        await expect(attempt).rejects.toThrow(/policy test-strict on a: exemption for resource "a" has a reason of 5 characters; at least 20 are required/);
    });
});
