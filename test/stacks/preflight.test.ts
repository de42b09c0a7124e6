import { describe, expect, it } from "vitest";
import { plannedNames } from "../../components/platform/names";
import { composeName, createNaming } from "../../components/shared/naming";
import { resolvePlatformConfig } from "../../stacks/config";
import { loadStackConfig } from "../helpers/stackConfig";
import { stackResources } from "../helpers/stacks";
import { configMap, problemsOf, server } from "../helpers/config";

const servers = (...entries: Record<string, unknown>[]) => entries.map((e, i) => ({ ...server, name: `s${i}`, ...e }));

describe("pre-flight: names", () => {
    it("gives two long server names with a common prefix distinct Container App names", () => {
        const config = resolvePlatformConfig(
            "mcp-platform",
            "dev",
            configMap({ servers: servers({ name: "customer-support-europe" }, { name: "customer-support-america" }) }),
        );
        const naming = createNaming(config);
        const [europe, america] = config.servers.map((s) => composeName(naming, "containerApp", s.name));
        expect(europe).not.toBe(america);
        expect(europe.length).toBeLessThanOrEqual(32);
        expect(europe).toMatch(/^ca-mcp-dev-customer-su-[0-9a-f]{4}-[0-9a-f]{4}$/);
    });

    it("keeps names that fit unchanged (no churn for existing stacks)", () => {
        const config = resolvePlatformConfig("mcp-platform", "dev", configMap());
        expect(composeName(createNaming(config), "containerApp", "docs")).toMatch(/^ca-mcp-dev-docs-[0-9a-f]{4}$/);
    });

    it("rejects a server named like one of the platform's own identities, naming the key", () => {
        const problems = problemsOf({ servers: servers({ name: "apim" }) });
        expect(problems).toEqual([expect.stringMatching(/^mcp-platform:servers\[0\]\.name: gives the managedIdentity name "id-mcp-dev-apim-[0-9a-f]{4}", which mcp-platform:workload already gives \(the platform's own identity "apim"\) — expected distinct names; rename one of them$/)]);
    });

    it("rejects a Key Vault secret name longer than Azure allows, naming the key", () => {
        const problems = problemsOf({ servers: servers({ name: "docs", secrets: ["s".repeat(125)] }) });
        expect(problems).toEqual([expect.stringMatching(/^mcp-platform:servers\[0\]\.secrets\[0\]: gives the Key Vault secret name "docs-s+", expected 130 characters, Azure allows 1–127/)]);
    });

    it("lists every name the dev and prod plans register (the list cannot drift from the components)", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const config = loadStackConfig(stack);
            const naming = createNaming(config);
            const planned = new Set(plannedNames(config).map((p) => composeName(naming, p.kind, p.qualifier)));
            const generated = new Set<string>();
            const collect = (value: unknown) => {
                // A generated name is a bare name ending with the stack suffix (ids and URIs that contain one are not).
                if (typeof value === "string" && /^[a-z0-9-]+$/.test(value) && value.endsWith(naming.suffix)) generated.add(value);
                else if (value && typeof value === "object") Object.values(value).forEach(collect);
            };
            for (const r of await stackResources(stack)) if (r.custom) collect(r.inputs);
            expect(generated.size, stack).toBeGreaterThan(20);
            expect([...generated].filter((n) => !planned.has(n)), stack).toEqual([]);
        }
    });
});

describe("pre-flight: sign-in domain (issue 17)", () => {
    it("rejects the default and any reserved host name, which no tenant can verify for an https identifier URI", () => {
        expect(problemsOf({ edge: {} })).toEqual([
            expect.stringMatching(/^mcp-platform:edge\.hostname: got "mcp-dev\.swedencentral\.example\.com" \(the default\), expected a host name on a domain verified in your Entra tenant/),
        ]);
        for (const host of ["mcp.example.org", "mcp.test", "gw.internal.localhost"]) {
            expect(problemsOf({ edge: { hostname: host } }), host).toEqual([expect.stringMatching(/^mcp-platform:edge\.hostname: got /)]);
        }
        expect(problemsOf({ edge: { hostname: "mcp.fabrikam.com" } })).toEqual([]);
    });
});

describe("pre-flight: sizes and combinations", () => {
    it("rejects a CPU/memory pair the Consumption profile does not offer, naming the key and the fix", () => {
        expect(problemsOf({ servers: servers({ cpu: 0.5, memory: "3Gi" }) })).toEqual([
            expect.stringMatching(/^mcp-platform:servers\[0\]: got cpu 0\.5 with memory 3Gi, expected a pair the Consumption profile accepts .* — set memory to 1Gi or change cpu$/),
        ]);
        expect(problemsOf({ servers: servers({ cpu: 0.3, memory: "0.6Gi" }) })).toHaveLength(1);
        expect(problemsOf({ servers: servers({ cpu: 2, memory: "4Gi" }) })).toEqual([]);
    });

    it("rejects a Developer gateway with more than one unit, and autoscale bounds the wrong way round", () => {
        expect(problemsOf({ gateway: { capacity: 2 } })).toEqual([expect.stringMatching(/^mcp-platform:gateway\.capacity: got 2, expected 1 because the Developer tier/)]);
        expect(problemsOf({ edge: { hostname: "mcp-dev.contoso.com", minCapacity: 5, maxCapacity: 3 } })).toEqual([expect.stringMatching(/^mcp-platform:edge\.minCapacity: got 5, expected at most edge\.maxCapacity \(3\)$/)]);
    });

    it("rejects gateway zones on a tier without them, and zones the units cannot spread over", () => {
        expect(problemsOf({ gateway: { zones: ["1", "2"] } })).toEqual([expect.stringMatching(/^mcp-platform:gateway\.zones: got \["1","2"\], expected none because the Developer tier/)]);
        const prod = { profile: "prod", edge: { hostname: "mcp.contoso.com" } };
        expect(problemsOf({ ...prod, gateway: { capacity: 2, zones: ["1", "2", "3"] } }, "prod")).toEqual(
            expect.arrayContaining([expect.stringMatching(/^mcp-platform:gateway\.zones: got 3 zones with 2 unit\(s\), expected a capacity that is a multiple of the zone count — set gateway\.capacity to 3/)]),
        );
        expect(problemsOf({ ...prod, gateway: { capacity: 3, zones: ["1", "2", "3"] } }, "prod")).toEqual([]);
    });

    it("rejects more Premium units than a region allows without a support request", () => {
        expect(problemsOf({ profile: "prod", gateway: { capacity: 13 }, edge: { hostname: "mcp.contoso.com" } }, "prod")).toEqual(
            expect.arrayContaining([expect.stringMatching(/^mcp-platform:gateway\.capacity: got 13, expected at most 12 Premium units/)]),
        );
    });
});
