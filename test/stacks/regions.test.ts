import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { McpPlatformConfig } from "../../components/platform/config";
import { featureNames, type FeatureName } from "../../stacks/profiles";
import { azureRegions, azureRegionsSource, checkedOn, regionFacts, zoneRegions, type RegionFact } from "../../stacks/preflight/regionData";
import { checkRegion, regionRequirements, unverifiedRegionFacts, type RegionCheckInput } from "../../stacks/preflight/regions";
import { loadStackConfig } from "../helpers/stackConfig";

const dev = loadStackConfig("dev");
const prod = loadStackConfig("prod");

/** The dev stack with some fields changed; the check reads only the narrow input. */
function variant(base: RegionCheckInput, change: Partial<Omit<RegionCheckInput, "features">> & { features?: Partial<RegionCheckInput["features"]> }): RegionCheckInput {
    return { ...base, ...change, features: { ...base.features, ...change.features } };
}

/** The examples a problem lists in its parentheses. */
const examplesOf = (problem: string) => /is available \(([^)]*)\)/.exec(problem)?.[1].split(", ") ?? [];

describe("region availability: the repository's stacks", () => {
    it("reads the dev and prod locations from Pulumi.dev.yaml and Pulumi.prod.yaml", () => {
        for (const stack of ["dev", "prod"] as const) {
            const yaml = fs.readFileSync(path.resolve(__dirname, "..", "..", `Pulumi.${stack}.yaml`), "utf8");
            const location = /mcp-platform:location:\s*(\S+)/.exec(yaml)?.[1];
            expect((stack === "dev" ? dev : prod).location).toBe(location);
        }
    });

    it("passes the dev stack's region with everything dev turns on", () => {
        expect(checkRegion(dev)).toEqual([]);
    });

    it("passes the prod stack's region with zones, zone redundancy, DDoS, Defender and flow logs on", () => {
        expect(prod.edge.zones.length).toBeGreaterThan(0);
        expect(prod.runtime.zoneRedundant).toBe(true);
        expect(checkRegion(prod)).toEqual([]);
    });

    it("accepts the resolved platform config as its input (LEAD can pass it straight from stacks/config.ts)", () => {
        const input: RegionCheckInput = prod satisfies McpPlatformConfig;
        expect(input.location).toBe(prod.location);
    });
});

describe("region availability: API Management tier", () => {
    it("rejects Premium v2 in a region without it, naming location and the gateway.sku way out", () => {
        const problems = checkRegion(variant(dev, { gateway: { ...dev.gateway, sku: "PremiumV2" } }));
        expect(problems).toEqual([
            expect.stringMatching(
                /^mcp-platform:location: got "swedencentral", expected a region where API Management Premium v2 is available \([a-z0-9, ]+\) — pick one of them or set gateway\.sku to Premium$/,
            ),
        ]);
        // Same area first: a Swedish stack is offered European regions.
        expect(examplesOf(problems[0]).every((r) => azureRegions[r].area === "Europe")).toBe(true);
    });

    it("accepts Premium v2 where Learn lists it, and Premium classic in the same region that rejected v2", () => {
        expect(checkRegion(variant(dev, { location: "germanywestcentral", gateway: { ...dev.gateway, sku: "PremiumV2" } }))).toEqual([]);
        expect(checkRegion(variant(dev, { gateway: { ...dev.gateway, sku: "Premium" } }))).toEqual([]);
    });
});

describe("region availability: availability zones", () => {
    const westus = variant(dev, { location: "westus" });

    it("passes a region without zones when no zones are asked", () => {
        expect(azureRegions.westus.zones).toBe(false);
        expect(checkRegion(westus)).toEqual([]);
    });

    it("rejects edge.zones in a region without zones, naming edge.zones", () => {
        expect(checkRegion(variant(westus, { edge: { ...dev.edge, zones: ["1", "2", "3"] } }))).toEqual([
            expect.stringMatching(
                /^mcp-platform:edge\.zones: got \["1","2","3"\] with location "westus", expected a region where Application Gateway WAF_v2 with availability zones is available \([a-z0-9, ]+\) — pick one of them or set edge\.zones to \[\]$/,
            ),
        ]);
    });

    it("rejects gateway.zones in a region without zones, naming gateway.zones", () => {
        const problems = checkRegion(variant(westus, { gateway: { ...dev.gateway, sku: "Premium", zones: ["1", "2"] } }));
        expect(problems).toEqual([expect.stringMatching(/^mcp-platform:gateway\.zones: got \["1","2"\] with location "westus", expected a region where API Management Premium with availability zones is available/)]);
    });

    it("rejects runtime.zoneRedundant in a region without zones, once per service it makes zonal", () => {
        const problems = checkRegion(variant(westus, { runtime: { zoneRedundant: true } }));
        expect(problems).toEqual([
            expect.stringMatching(/^mcp-platform:runtime\.zoneRedundant: got true with location "westus", expected a region where Container Apps zone redundancy is available .* or set runtime\.zoneRedundant to false$/),
            expect.stringMatching(/^mcp-platform:runtime\.zoneRedundant: got true with location "westus", expected a region where Container Registry zone redundancy is available/),
        ]);
        // Offered regions have zones, and the same area (Americas) comes first.
        for (const example of examplesOf(problems[0])) expect(azureRegions[example]).toMatchObject({ zones: true, area: "Americas" });
    });
});

describe("region availability: optional features and always-on services", () => {
    it("rejects dynamic sessions where session pools are not offered, naming features.dynamicSessions", () => {
        const southcentralus = variant(dev, { location: "southcentralus" });
        expect(checkRegion(southcentralus)).toEqual([]);
        expect(checkRegion(variant(southcentralus, { features: { dynamicSessions: true } }))).toEqual([
            expect.stringMatching(/^mcp-platform:location: got "southcentralus", expected a region where Container Apps dynamic sessions .* — pick one of them or turn off features\.dynamicSessions$/),
        ]);
    });

    it("rejects a region without Content Safety Prompt Shields and offers no flag (the gateway always screens)", () => {
        const problems = checkRegion(variant(dev, { location: "eastasia" }));
        expect(problems).toEqual([
            expect.stringMatching(/^mcp-platform:location: got "eastasia", expected a region where Azure AI Content Safety \(S0\) is available \([a-z0-9, ]+\) — pick one of them$/),
            expect.stringMatching(/^mcp-platform:location: got "eastasia", expected a region where Content Safety Prompt Shields is available \([a-z0-9, ]+\) — pick one of them$/),
        ]);
    });

    it("rejects a region Sentinel does not run in", () => {
        // austriaeast is newer than Sentinel's list (and than Content Safety's).
        expect(checkRegion(variant(dev, { location: "austriaeast" }))).toContainEqual(expect.stringMatching(/expected a region where Microsoft Sentinel is available/));
    });

    it("rejects a name that is no Azure region, alone, suggesting close names", () => {
        const problems = checkRegion(variant(dev, { location: "westus9", gateway: { ...dev.gateway, sku: "PremiumV2" } }));
        expect(problems).toEqual([expect.stringMatching(/^mcp-platform:location: got "westus9", expected an Azure region's programmatic name \(westus, westus2, westus3, .*\) — pick one from https:\/\/learn\.microsoft\.com\//)]);
    });

    it("rejects a name that is an inherited object property, not a region", () => {
        expect(checkRegion(variant(dev, { location: "constructor" }))).toEqual([expect.stringMatching(/^mcp-platform:location: got "constructor", expected an Azure region's programmatic name/)]);
    });

    it("lists 3 to 6 alternatives, each a region that has the thing", () => {
        const cases: RegionCheckInput[] = [
            variant(dev, { gateway: { ...dev.gateway, sku: "PremiumV2" } }),
            variant(dev, { location: "westus", runtime: { zoneRedundant: true }, edge: { ...dev.edge, zones: ["1"] } }),
            variant(dev, { location: "eastasia" }),
            variant(dev, { location: "southcentralus", features: { dynamicSessions: true } }),
        ];
        for (const input of cases) {
            for (const problem of checkRegion(input)) {
                const examples = examplesOf(problem);
                expect(examples.length).toBeGreaterThanOrEqual(3);
                expect(examples.length).toBeLessThanOrEqual(6);
                const thing = /where (.+) is available/.exec(problem)?.[1];
                for (const example of examples) {
                    expect(checkRegion({ ...input, location: example }).filter((p) => p.includes(`where ${thing} is available`)), example).toEqual([]);
                }
            }
        }
    });

    it("names the unverified facts a stack relies on, so the plan can warn about them", () => {
        const ids = unverifiedRegionFacts(prod).map((f) => f.id);
        expect(ids).toEqual(expect.arrayContaining(["ddosProtectionPlan", "keyVaultPremium", "logAnalytics"]));
        expect(ids).not.toContain("containerAppsDynamicSessions");
        expect(unverifiedRegionFacts(prod).every((f) => f.note.length > 0)).toBe(true);
    });
});

describe("region facts: the data file", () => {
    // Every region-dependent service and feature the platform deploys (components/*, composed by
    // components/platform/index.ts). A new one needs a fact in regionData.ts and a line here.
    const usedByPlatform = {
        apiManagementClassic: "API Management Developer / Premium (components/gateway)",
        apiManagementPremiumV2: "API Management PremiumV2 (gateway.sku)",
        apiManagementZones: "API Management Premium zones (gateway.zones)",
        contentSafety: "Content Safety account kind ContentSafety, SKU S0 (components/safety)",
        promptShields: "Prompt Shields on tools/call (components/gateway/policy)",
        applicationGatewayV2: "Application Gateway WAF_v2 (components/edge)",
        applicationGatewayZones: "Application Gateway zones (edge.zones)",
        containerAppsEnvironment: "Container Apps environment, workload profiles (components/runtime)",
        containerAppsZoneRedundancy: "Container Apps zone redundancy (runtime.zoneRedundant)",
        containerAppsDynamicSessions: "Container Apps session pool (features.dynamicSessions)",
        containerRegistryPremium: "Container Registry Premium (components/registry)",
        containerRegistryZoneRedundancy: "Container Registry zone redundancy (runtime.zoneRedundant)",
        keyVaultPremium: "Key Vault Premium (components/keyvault)",
        managedHsm: "Key Vault Managed HSM (features.managedHsm)",
        logAnalytics: "Log Analytics workspace (components/monitoring)",
        sentinel: "Microsoft Sentinel onboarding (components/monitoring)",
        ddosProtectionPlan: "DDoS Network Protection plan (features.ddosProtection)",
        defenderForContainers: "Defender for Containers (features.defenderForContainers)",
        vnetFlowLogs: "VNet flow logs (features.vnetFlowLogs)",
        azureFirewall: "Azure Firewall (features.egressFirewall)",
    } as const;
    // Features that do not depend on the region, and why.
    const notRegional: Partial<Record<FeatureName, string>> = { conditionalAccess: "Entra ID Conditional Access is tenant-wide, not deployed in a region" };

    it("has a fact for every region-dependent service and feature the platform uses", () => {
        const missing = Object.keys(usedByPlatform).filter((id) => !(id in regionFacts));
        expect(missing).toEqual([]);
    });

    it("has no fact the platform does not use, and checks every fact", () => {
        expect(Object.keys(regionFacts).sort()).toEqual(Object.keys(usedByPlatform).sort());
        expect([...new Set(regionRequirements.map((r) => r.fact))].sort()).toEqual(Object.keys(regionFacts).sort());
    });

    it("checks every feature flag against a region fact unless the feature is not regional", () => {
        const all = Object.fromEntries(featureNames.map((f) => [f, false])) as Record<FeatureName, boolean>;
        for (const feature of featureNames) {
            if (notRegional[feature]) continue;
            const on = { ...dev, features: { ...all, [feature]: true } };
            const off = { ...dev, features: all };
            const flips = regionRequirements.filter((r) => r.uses(on) !== r.uses(off));
            expect(flips.map((r) => r.fact), `features.${feature}`).not.toEqual([]);
        }
    });

    it("gives every fact a Microsoft Learn source and the date it was checked", () => {
        const facts: [string, Pick<RegionFact, "source" | "checked">][] = [["azureRegions", azureRegionsSource], ...Object.entries(regionFacts)];
        for (const [id, fact] of facts) {
            expect(fact.source, id).toMatch(/^https:\/\/learn\.microsoft\.com\/azure\/[a-z0-9/-]+$/);
            expect(fact.checked, id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
            expect(Number.isNaN(Date.parse(fact.checked)), id).toBe(false);
            expect(fact.checked, id).toBe(checkedOn);
        }
    });

    it("says why when a fact is unverified, and lists regions only where Learn does", () => {
        for (const [id, fact] of Object.entries(regionFacts) as [string, RegionFact][]) {
            if (fact.status === "unverified") {
                expect(fact.note, id).toBeTruthy();
                expect(fact.regions, id).toBe("allRegions");
            }
        }
    });

    it("names only known Azure regions, in ARM form, without duplicates", () => {
        for (const [id, fact] of Object.entries(regionFacts) as [string, RegionFact][]) {
            if (fact.regions === "allRegions") continue;
            expect(fact.regions.length, id).toBeGreaterThanOrEqual(3);
            expect(new Set(fact.regions).size, id).toBe(fact.regions.length);
            for (const region of fact.regions) {
                expect(region, id).toMatch(/^[a-z][a-z0-9]*$/);
                expect(azureRegions[region], `${id}: ${region}`).toBeDefined();
            }
        }
        expect(zoneRegions).toContain("swedencentral");
        expect(zoneRegions).not.toContain("westus");
    });
});
