import { createHash } from "node:crypto";

/**
 * Cloud Adoption Framework abbreviations and the naming rule every component uses:
 * `<abbr>-<workload>-<env>[-<qualifier>]-<suffix>`, lowercase. The suffix is a stable hash of the
 * project, stack, tenant and region, so globally unique names (vault, registry, gateway) do not
 * collide between forks yet stay the same on every run.
 */
export const abbreviations = {
    resourceGroup: "rg",
    virtualNetwork: "vnet",
    subnet: "snet",
    networkSecurityGroup: "nsg",
    ddosPlan: "ddos",
    privateEndpoint: "pep",
    publicIp: "pip",
    keyVault: "kv",
    managedHsm: "hsm",
    containerRegistry: "cr",
    logAnalytics: "log",
    apiManagement: "apim",
    containerAppsEnvironment: "cae",
    containerApp: "ca",
    sessionPool: "sp",
    appGateway: "agw",
    wafPolicy: "waf",
    managedIdentity: "id",
    contentSafety: "cs",
    storageAccount: "st",
    actionGroup: "ag",
    virtualNetworkLink: "vnl",
    flowLog: "fl",
    azureFirewall: "afw",
    firewallPolicy: "afwp",
    routeTable: "rt",
    // Entra ID objects have no CAF abbreviation; these keep their display names in the same shape.
    entraApplication: "app",
    entraGroup: "grp",
    conditionalAccessPolicy: "cap",
} as const;

export type ResourceKind = keyof typeof abbreviations;

/** Azure's length limits for the kinds whose names are short or global. */
const maxLength: Partial<Record<ResourceKind, number>> = {
    keyVault: 24,
    managedHsm: 24,
    containerRegistry: 50,
    storageAccount: 24,
    contentSafety: 64,
    apiManagement: 50,
    containerApp: 32,
    containerAppsEnvironment: 60,
};

/** Kinds whose names allow only lowercase letters and digits. */
const alphanumericOnly = new Set<ResourceKind>(["containerRegistry", "storageAccount"]);

export interface Naming {
    readonly workload: string;
    readonly environment: string;
    readonly suffix: string;
}

export function createNaming(input: { project: string; stack: string; tenantId: string; location: string; workload: string }): Naming {
    const environment = input.stack.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 6) || "env";
    const suffix = createHash("sha256")
        .update([input.project, input.stack, input.tenantId, input.location].join("/"))
        .digest("hex")
        .slice(0, 4);
    return { workload: input.workload, environment, suffix };
}

/** The Azure name of a resource of `kind`, optionally qualified (e.g. the MCP server name). */
export function resourceName(naming: Naming, kind: ResourceKind, qualifier?: string): string {
    const abbr = abbreviations[kind];
    const parts = [abbr, naming.workload, naming.environment, qualifier, naming.suffix].filter(Boolean) as string[];
    const limit = maxLength[kind] ?? 80;
    const separator = alphanumericOnly.has(kind) ? "" : "-";
    let name = parts.join(separator).toLowerCase();
    if (alphanumericOnly.has(kind)) name = name.replace(/[^a-z0-9]/g, "");
    if (name.length > limit) {
        // Shorten the qualifier, never the suffix: the suffix is what keeps global names unique.
        const fixed = [abbr, naming.workload, naming.environment, naming.suffix].join(separator).length + separator.length;
        const room = Math.max(1, limit - fixed);
        const short = (qualifier ?? "").slice(0, room).replace(/-+$/, "");
        name = [abbr, naming.workload, naming.environment, short, naming.suffix].filter(Boolean).join(separator).toLowerCase();
    }
    return name;
}
