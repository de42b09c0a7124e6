import type { GatewaySku } from "../../components/gateway/service";
import { azureRegions, azureRegionsSource, regionFacts, type RegionArea, type RegionFact, type RegionFactId } from "./regionData";

/**
 * Region availability, checked before deploy: every region-dependent thing the stack turns on must
 * exist in its `location` (facts and sources in regionData.ts). Azure rejects the rest at create
 * time — Premium v2 in swedencentral, zones in westus — often after API Management took 40 minutes.
 */

/** The part of the resolved config this check reads; `McpPlatformConfig` satisfies it. */
export interface RegionCheckInput {
    readonly project: string;
    readonly location: string;
    readonly gateway: { readonly sku: GatewaySku; readonly zones: readonly string[] };
    readonly edge: { readonly zones: readonly string[] };
    readonly runtime: { readonly zoneRedundant: boolean };
    readonly features: {
        readonly ddosProtection: boolean;
        readonly dynamicSessions: boolean;
        readonly defenderForContainers: boolean;
        readonly managedHsm: boolean;
        readonly vnetFlowLogs: boolean;
        readonly egressFirewall: boolean;
    };
}

/** One thing the platform deploys in `location`: when it is on, and how a message tells the fix. */
interface RegionRequirement {
    readonly fact: RegionFactId;
    readonly uses: (input: RegionCheckInput) => boolean;
    /** The config key the problem names (`location` when the thing is always on). */
    readonly key: string;
    /** The key's value as the message shows it; defaults to the location. */
    readonly got?: (input: RegionCheckInput) => string;
    /** The way out besides moving the stack, e.g. "turn off features.dynamicSessions". */
    readonly fix?: string;
}

const withLocation = (value: (c: RegionCheckInput) => unknown) => (c: RegionCheckInput) => `${JSON.stringify(value(c))} with location "${c.location}"`;

/**
 * What the platform deploys per stack and when (components/platform/index.ts composes them).
 * Always-on services have no `fix`: the only way out is another region.
 */
export const regionRequirements: readonly RegionRequirement[] = [
    { fact: "apiManagementClassic", uses: (c) => c.gateway.sku !== "PremiumV2", key: "location" },
    { fact: "apiManagementPremiumV2", uses: (c) => c.gateway.sku === "PremiumV2", key: "location", fix: "set gateway.sku to Premium" },
    {
        fact: "apiManagementZones",
        uses: (c) => c.gateway.zones.length > 0,
        key: "gateway.zones",
        got: withLocation((c) => c.gateway.zones),
        fix: "set gateway.zones to []",
    },
    // The gateway screens every tools/call with Prompt Shields (C1.3, C9.1); the account is always created.
    { fact: "contentSafety", uses: () => true, key: "location" },
    { fact: "promptShields", uses: () => true, key: "location" },
    { fact: "applicationGatewayV2", uses: () => true, key: "location" },
    { fact: "applicationGatewayZones", uses: (c) => c.edge.zones.length > 0, key: "edge.zones", got: withLocation((c) => c.edge.zones), fix: "set edge.zones to []" },
    { fact: "containerAppsEnvironment", uses: () => true, key: "location" },
    { fact: "containerAppsZoneRedundancy", uses: (c) => c.runtime.zoneRedundant, key: "runtime.zoneRedundant", got: withLocation(() => true), fix: "set runtime.zoneRedundant to false" },
    { fact: "containerAppsDynamicSessions", uses: (c) => c.features.dynamicSessions, key: "location", fix: "turn off features.dynamicSessions" },
    { fact: "containerRegistryPremium", uses: () => true, key: "location" },
    // The registry follows runtime.zoneRedundant (components/platform/index.ts).
    { fact: "containerRegistryZoneRedundancy", uses: (c) => c.runtime.zoneRedundant, key: "runtime.zoneRedundant", got: withLocation(() => true), fix: "set runtime.zoneRedundant to false" },
    { fact: "keyVaultPremium", uses: () => true, key: "location" },
    { fact: "managedHsm", uses: (c) => c.features.managedHsm, key: "location", fix: "turn off features.managedHsm" },
    { fact: "logAnalytics", uses: () => true, key: "location" },
    { fact: "sentinel", uses: () => true, key: "location" },
    { fact: "ddosProtectionPlan", uses: (c) => c.features.ddosProtection, key: "location", fix: "turn off features.ddosProtection" },
    { fact: "defenderForContainers", uses: (c) => c.features.defenderForContainers, key: "location", fix: "turn off features.defenderForContainers" },
    { fact: "vnetFlowLogs", uses: (c) => c.features.vnetFlowLogs, key: "location", fix: "turn off features.vnetFlowLogs" },
    { fact: "azureFirewall", uses: (c) => c.features.egressFirewall, key: "location", fix: "turn off features.egressFirewall (declared egress then needs another region)" },
];

/** Alternatives shown first when nothing closer fits: regions most of the platform's services cover. */
const preferredExamples = ["swedencentral", "westeurope", "northeurope", "eastus2", "centralus", "australiaeast", "japaneast", "uksouth"];

/**
 * One problem per unavailable thing the stack turns on, in the project's form; [] when all fit.
 * An unknown region name fails alone (every other check would repeat it).
 */
export function checkRegion(input: RegionCheckInput): string[] {
    const key = (k: string) => `${input.project}:${k}`;
    const location = input.location;
    // Own keys only: "constructor" is a valid-looking name and an inherited property.
    const region = Object.hasOwn(azureRegions, location) ? azureRegions[location] : undefined;
    if (!region) {
        return [
            `${key("location")}: got ${JSON.stringify(location)}, expected an Azure region's programmatic name ` +
                `(${suggestRegions(location, Object.keys(azureRegions)).join(", ")}, …) — pick one from ${azureRegionsSource.source}`,
        ];
    }
    const problems: string[] = [];
    for (const requirement of regionRequirements) {
        if (!requirement.uses(input)) continue;
        const fact: RegionFact = regionFacts[requirement.fact];
        // "allRegions" covers every known region; an unknown name returned above.
        if (fact.regions === "allRegions" || fact.regions.includes(location)) continue;
        const got = requirement.got ? requirement.got(input) : JSON.stringify(location);
        const fix = requirement.fix ? ` or ${requirement.fix}` : "";
        problems.push(
            `${key(requirement.key)}: got ${got}, expected a region where ${fact.thing} is available ` +
                `(${pickExamples(region.area, fact.regions).join(", ")}) — pick one of them${fix}`,
        );
    }
    return problems;
}

/** The facts the stack relies on that no Learn page lists; the plan can show them as warnings. */
export function unverifiedRegionFacts(input: RegionCheckInput): { id: RegionFactId; thing: string; note: string }[] {
    return regionRequirements
        .filter((r) => r.uses(input) && regionFacts[r.fact].status === "unverified")
        .map((r) => ({ id: r.fact, thing: regionFacts[r.fact].thing, note: (regionFacts[r.fact] as RegionFact).note ?? "" }));
}

/** 3–6 alternatives: same area first, then the preferred ones, then the list's order. */
function pickExamples(area: RegionArea, regions: readonly string[]): string[] {
    const usable = regions.filter((r) => Object.hasOwn(azureRegions, r) && !azureRegions[r].restricted);
    const ordered = [
        ...preferredExamples.filter((r) => usable.includes(r) && azureRegions[r].area === area),
        ...usable.filter((r) => azureRegions[r].area === area),
        ...preferredExamples.filter((r) => usable.includes(r)),
        ...usable,
    ];
    return [...new Set(ordered)].slice(0, 5);
}

/** Close names for a mistyped region: same normalised form first, then shared prefix, then preferred. */
function suggestRegions(location: string, known: readonly string[]): string[] {
    const normalised = location.toLowerCase().replace(/[^a-z0-9]/g, "");
    const exact = known.filter((r) => r === normalised);
    const prefix = known.filter((r) => normalised.length >= 4 && r.startsWith(normalised.replace(/\d+$/, "")));
    return [...new Set([...exact, ...prefix, ...preferredExamples])].slice(0, 5);
}
