/**
 * Region facts: where each region-dependent service and feature the platform uses is available,
 * each with its Microsoft Learn source and the date it was checked. `regions.ts` evaluates them
 * against a stack's `location`; nothing else should copy a region list (one fact, one home).
 *
 * Region names are ARM programmatic names (lowercase, `swedencentral`). A fact is one of:
 * - a list of regions Learn names;
 * - `allRegions`: available in every region of `azureRegions`. Verified when Learn says so; where
 *   Learn only points at the azure.microsoft.com "Products by region" table (not a Learn page and
 *   not readable offline) the fact is `unverified` and says so — never a guessed list.
 *
 * To refresh: re-read each `source`, update the list and `checked`; test/stacks/regions.test.ts
 * fails when a fact lacks a Learn source or a date, or when a service the platform uses has none.
 */

export const checkedOn = "2026-12-03";

export type RegionArea = "Americas" | "Europe" | "Middle East" | "Africa" | "Asia Pacific";

export interface AzureRegion {
    /** The Learn regions list's tab the region sits in; used to suggest nearby alternatives. */
    readonly area: RegionArea;
    /** The region has availability zones. */
    readonly zones: boolean;
    /** Access is restricted (disaster recovery within a geography); a subscription needs approval. */
    readonly restricted?: true;
}

/** Where `azureRegions` comes from (the list is itself a fact with a source and a date). */
export const azureRegionsSource = { source: "https://learn.microsoft.com/azure/reliability/regions-list", checked: checkedOn } as const;

/**
 * Every Azure public region with its availability-zone support, from the Learn regions list
 * (MicrosoftDocs/reliability-docs articles/reliability/regions-list.md, ms.date 09/23/2025, read
 * from the snapshot of 2026-08-20). A `location` outside this list is not an Azure region.
 */
export const azureRegions: Readonly<Record<string, AzureRegion>> = {
    australiacentral: { area: "Asia Pacific", zones: false },
    australiacentral2: { area: "Asia Pacific", zones: false, restricted: true },
    australiaeast: { area: "Asia Pacific", zones: true },
    australiasoutheast: { area: "Asia Pacific", zones: false },
    austriaeast: { area: "Europe", zones: true },
    belgiumcentral: { area: "Europe", zones: true },
    brazilsouth: { area: "Americas", zones: true },
    brazilsoutheast: { area: "Americas", zones: false, restricted: true },
    canadacentral: { area: "Americas", zones: true },
    canadaeast: { area: "Americas", zones: false },
    centralindia: { area: "Asia Pacific", zones: true },
    centralus: { area: "Americas", zones: true },
    chilecentral: { area: "Americas", zones: true },
    denmarkeast: { area: "Europe", zones: true },
    eastasia: { area: "Asia Pacific", zones: true },
    eastus: { area: "Americas", zones: true },
    eastus2: { area: "Americas", zones: true },
    francecentral: { area: "Europe", zones: true },
    francesouth: { area: "Europe", zones: false, restricted: true },
    germanynorth: { area: "Europe", zones: false, restricted: true },
    germanywestcentral: { area: "Europe", zones: true },
    indiasouthcentral: { area: "Asia Pacific", zones: true },
    indonesiacentral: { area: "Asia Pacific", zones: true },
    israelcentral: { area: "Middle East", zones: true },
    italynorth: { area: "Europe", zones: true },
    japaneast: { area: "Asia Pacific", zones: true },
    japanwest: { area: "Asia Pacific", zones: true },
    koreacentral: { area: "Asia Pacific", zones: true },
    koreasouth: { area: "Asia Pacific", zones: false },
    malaysiawest: { area: "Asia Pacific", zones: true },
    mexicocentral: { area: "Americas", zones: true },
    newzealandnorth: { area: "Asia Pacific", zones: true },
    northcentralus: { area: "Americas", zones: false },
    northeurope: { area: "Europe", zones: true },
    norwayeast: { area: "Europe", zones: true },
    norwaywest: { area: "Europe", zones: false, restricted: true },
    polandcentral: { area: "Europe", zones: true },
    qatarcentral: { area: "Middle East", zones: true },
    southafricanorth: { area: "Africa", zones: true },
    southafricawest: { area: "Africa", zones: false, restricted: true },
    southcentralus: { area: "Americas", zones: true },
    southindia: { area: "Asia Pacific", zones: false },
    southeastasia: { area: "Asia Pacific", zones: true },
    spaincentral: { area: "Europe", zones: true },
    swedencentral: { area: "Europe", zones: true },
    switzerlandnorth: { area: "Europe", zones: true },
    switzerlandwest: { area: "Europe", zones: false, restricted: true },
    uaecentral: { area: "Middle East", zones: false, restricted: true },
    uaenorth: { area: "Middle East", zones: true },
    uksouth: { area: "Europe", zones: true },
    ukwest: { area: "Europe", zones: false },
    westcentralus: { area: "Americas", zones: false },
    westeurope: { area: "Europe", zones: true },
    westindia: { area: "Asia Pacific", zones: false },
    westus: { area: "Americas", zones: false },
    westus2: { area: "Americas", zones: true },
    westus3: { area: "Americas", zones: true },
};

/** Regions with availability zones (derived from `azureRegions`, not a second list). */
export const zoneRegions: readonly string[] = Object.keys(azureRegions).filter((r) => azureRegions[r].zones);

export interface RegionFact {
    /** What the platform turns on, as a message names it ("API Management Premium v2"). */
    readonly thing: string;
    /** Where it is available: a list of ARM region names, or every region of `azureRegions`. */
    readonly regions: readonly string[] | "allRegions";
    /** `unverified`: no Learn page lists the regions; the checker cannot reject on it (see `note`). */
    readonly status: "verified" | "unverified";
    /** The Microsoft Learn page the fact comes from (or, when unverified, the page that defers it). */
    readonly source: string;
    /** The day the source was read (YYYY-MM-DD). */
    readonly checked: string;
    readonly note?: string;
}

const productsByRegion =
    "Learn defers to the azure.microsoft.com Products-by-region table, which is not a Learn page and " +
    "could not be read offline; assumed available in every region of the Learn regions list, not checked";

// Learn: Azure AI Content Safety "Availability for guardrails in Azure AI Content Safety" tables
// (articles/ai-services/content-safety/includes/region-availability-include.md, ms.date 09/09/2026).
// The "Content harms" (the resource's core API) and "Prompt shields" rows list the same regions.
const contentSafetyRegions = [
    "brazilsouth", "canadacentral", "canadaeast", "centralus", "eastus", "eastus2", "northcentralus", "southcentralus", "westus", "westus2", "westus3",
    "francecentral", "germanywestcentral", "italynorth", "polandcentral", "spaincentral", "swedencentral", "switzerlandnorth", "switzerlandwest", "uksouth", "westeurope",
    "australiaeast", "japaneast", "koreacentral", "southeastasia", "southindia",
    "southafricanorth", "uaenorth",
] as const;

/** Every region-dependent service and feature the platform deploys, keyed by a stable id. */
export const regionFacts = {
    apiManagementClassic: {
        thing: "the API Management classic tier (Developer, Premium)",
        regions: "allRegions",
        status: "unverified",
        source: "https://learn.microsoft.com/azure/api-management/api-management-region-availability",
        checked: checkedOn,
        note: `The v2 page says classic tiers are in more regions than v2; ${productsByRegion}`,
    },
    apiManagementPremiumV2: {
        thing: "API Management Premium v2",
        // The Premium v2 column of "Supported regions for v2 tiers and workspace gateways" (the
        // complete rendered table; no Sweden Central, West US 2, Italy North, Switzerland North).
        regions: [
            "australiaeast", "canadacentral", "centralus", "eastasia", "eastus2", "francecentral", "germanywestcentral",
            "japaneast", "koreacentral", "northcentralus", "northeurope", "norwayeast", "uksouth", "westeurope", "westus",
        ],
        status: "verified",
        source: "https://learn.microsoft.com/azure/api-management/api-management-region-availability",
        checked: checkedOn,
        note:
            "Learn's rendered copies differ by date; some mark Premium v2 in australiaeast, centralus and eastus2 " +
            "as temporarily unavailable for new instances (capacity), which a deploy would hit but this list does not model",
    },
    apiManagementZones: {
        thing: "API Management Premium with availability zones",
        // "in regions where the API Management tier is available and the region supports availability zones".
        regions: zoneRegions,
        status: "verified",
        source: "https://learn.microsoft.com/azure/reliability/reliability-api-management",
        checked: checkedOn,
    },
    contentSafety: {
        thing: "Azure AI Content Safety (S0)",
        regions: contentSafetyRegions,
        status: "verified",
        source: "https://learn.microsoft.com/azure/ai-services/content-safety/region-availability",
        checked: checkedOn,
    },
    promptShields: {
        thing: "Content Safety Prompt Shields",
        regions: contentSafetyRegions,
        status: "verified",
        source: "https://learn.microsoft.com/azure/ai-services/content-safety/region-availability",
        checked: checkedOn,
        note: "The Foundry guardrails table also lists norwayeast; the Content Safety resource table (the platform's) does not",
    },
    applicationGatewayV2: {
        thing: "Application Gateway WAF_v2",
        regions: "allRegions",
        status: "unverified",
        source: "https://learn.microsoft.com/azure/application-gateway/overview-v2",
        checked: checkedOn,
        note: productsByRegion,
    },
    applicationGatewayZones: {
        thing: "Application Gateway WAF_v2 with availability zones",
        // "in all of the Azure regions that support availability zones".
        regions: zoneRegions,
        status: "verified",
        source: "https://learn.microsoft.com/azure/reliability/reliability-application-gateway-v2",
        checked: checkedOn,
    },
    containerAppsEnvironment: {
        thing: "a Container Apps environment with workload profiles",
        regions: "allRegions",
        status: "unverified",
        source: "https://learn.microsoft.com/azure/reliability/reliability-container-apps",
        checked: checkedOn,
        note: productsByRegion,
    },
    containerAppsZoneRedundancy: {
        thing: "Container Apps zone redundancy",
        // "available in all regions that support Container Apps and availability zones".
        regions: zoneRegions,
        status: "verified",
        source: "https://learn.microsoft.com/azure/reliability/reliability-container-apps",
        checked: checkedOn,
    },
    containerAppsDynamicSessions: {
        thing: "Container Apps dynamic sessions (custom container session pools)",
        // "Supported regions": both session types in every listed region.
        regions: [
            "brazilsouth", "canadacentral", "canadaeast", "centralus", "eastus", "eastus2", "northcentralus", "westcentralus", "westus", "westus2", "westus3",
            "francecentral", "francesouth", "germanywestcentral", "italynorth", "northeurope", "norwayeast", "polandcentral", "spaincentral",
            "swedencentral", "switzerlandnorth", "switzerlandwest", "uksouth", "ukwest", "westeurope",
            "australiaeast", "australiasoutheast", "centralindia", "eastasia", "japaneast", "japanwest", "koreacentral", "southindia", "southeastasia",
            "southafricanorth", "uaenorth",
        ],
        status: "verified",
        source: "https://learn.microsoft.com/azure/container-apps/sessions",
        checked: checkedOn,
    },
    containerRegistryPremium: {
        thing: "Container Registry Premium",
        regions: "allRegions",
        status: "unverified",
        source: "https://learn.microsoft.com/azure/reliability/reliability-container-registry",
        checked: checkedOn,
        note: productsByRegion,
    },
    containerRegistryZoneRedundancy: {
        thing: "Container Registry zone redundancy",
        // "Zone-redundant registries can be deployed into any region that supports availability zones".
        regions: zoneRegions,
        status: "verified",
        source: "https://learn.microsoft.com/azure/reliability/reliability-container-registry",
        checked: checkedOn,
    },
    keyVaultPremium: {
        thing: "Key Vault Premium",
        regions: "allRegions",
        status: "unverified",
        source: "https://learn.microsoft.com/azure/reliability/reliability-key-vault",
        checked: checkedOn,
        note: productsByRegion,
    },
    managedHsm: {
        thing: "Key Vault Managed HSM",
        regions: "allRegions",
        status: "unverified",
        source: "https://learn.microsoft.com/azure/key-vault/managed-hsm/overview",
        checked: checkedOn,
        note: "Managed HSM is offered in fewer regions than Key Vault, but no Learn region list was found; not checked",
    },
    logAnalytics: {
        thing: "Log Analytics",
        regions: "allRegions",
        status: "unverified",
        source: "https://learn.microsoft.com/azure/reliability/reliability-monitor-logs",
        checked: checkedOn,
        note: productsByRegion,
    },
    sentinel: {
        thing: "Microsoft Sentinel",
        // "Supported regions" for raw data (public cloud). Learn also lists East US 2 EUAP (canary),
        // Jio India West/Central, Azure Government and China; they are not in the public regions list.
        regions: [
            "canadacentral", "canadaeast", "centralus", "eastus", "eastus2", "northcentralus", "southcentralus", "westus", "westus2", "westus3", "westcentralus",
            "brazilsouth", "brazilsoutheast",
            "eastasia", "southeastasia", "centralindia", "israelcentral", "japaneast", "japanwest", "koreacentral", "koreasouth", "qatarcentral", "uaecentral", "uaenorth",
            "northeurope", "westeurope", "francecentral", "francesouth", "germanywestcentral", "italynorth", "norwayeast", "norwaywest",
            "swedencentral", "switzerlandnorth", "switzerlandwest", "uksouth", "ukwest",
            "australiacentral", "australiacentral2", "australiaeast", "australiasoutheast",
            "southafricanorth",
        ],
        status: "verified",
        source: "https://learn.microsoft.com/azure/sentinel/geographical-availability-data-residency",
        checked: checkedOn,
        note: "Regions where Log Analytics is new can take time to onboard Sentinel (Learn); newer regions such as austriaeast are absent",
    },
    ddosProtectionPlan: {
        thing: "Azure DDoS Network Protection plan",
        regions: "allRegions",
        status: "unverified",
        source: "https://learn.microsoft.com/azure/reliability/reliability-ddos-protection",
        checked: checkedOn,
        note: `The reliability guide covers zone redundancy only; ${productsByRegion}`,
    },
    defenderForContainers: {
        thing: "Defender for Containers",
        regions: "allRegions",
        status: "unverified",
        source: "https://learn.microsoft.com/azure/defender-for-cloud/support-matrix-defender-for-containers",
        checked: checkedOn,
        note: "The platform enables it as a subscription-scope pricing (Microsoft.Security/pricings, no location); the support matrix was not read for region limits",
    },
    vnetFlowLogs: {
        thing: "VNet flow logging (Network Watcher)",
        regions: "allRegions",
        status: "unverified",
        source: "https://learn.microsoft.com/azure/network-watcher/vnet-flow-logs-overview",
        checked: checkedOn,
        note: "No region list found on Learn for VNet flow logs; Network Watcher is created per region with the VNet",
    },
    azureFirewall: {
        thing: "Azure Firewall Standard with a firewall policy (features.egressFirewall)",
        regions: "allRegions",
        status: "unverified",
        source: "https://learn.microsoft.com/azure/reliability/reliability-firewall",
        checked: checkedOn,
        note: `No region list found on Learn for Azure Firewall Standard; ${productsByRegion}`,
    },
} as const satisfies Record<string, RegionFact>;

export type RegionFactId = keyof typeof regionFacts;
