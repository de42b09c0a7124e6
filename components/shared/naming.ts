import { createHash } from "node:crypto";
import { nameProblem, nameRules, type NameRule } from "./nameRules";

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

/** Every kind has Azure's rule for its name (length, characters, scope) in one table: nameRules.ts. */
const rules: Record<ResourceKind, NameRule> = nameRules;

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

/**
 * The Azure name of a resource of `kind`, optionally qualified (e.g. the MCP server name). When the
 * name is too long for Azure, the qualifier is shortened and ends with a hash of the whole
 * qualifier, so two long qualifiers that share a prefix (`customer-support-europe`,
 * `customer-support-america`) still get distinct names; the stack suffix is never shortened.
 * Throws when the result still breaks Azure's rule for the kind (the pre-flight reports it first,
 * naming the config key).
 */
export function resourceName(naming: Naming, kind: ResourceKind, qualifier?: string): string {
    const name = composeName(naming, kind, qualifier);
    const problem = nameProblem(rules[kind], name);
    if (problem) throw new Error(`resourceName: ${kind} name "${name}" is invalid: ${problem}`);
    return name;
}

/** The name as composed, without the rule check (the pre-flight checks it and names the config key). */
export function composeName(naming: Naming, kind: ResourceKind, qualifier?: string): string {
    const abbr = abbreviations[kind];
    const separator = alphanumericOnly.has(kind) ? "" : "-";
    const join = (q: string | undefined) => {
        const name = [abbr, naming.workload, naming.environment, q, naming.suffix].filter(Boolean).join(separator).toLowerCase();
        return alphanumericOnly.has(kind) ? name.replace(/[^a-z0-9]/g, "") : name;
    };
    const name = join(qualifier);
    const limit = rules[kind].max;
    if (name.length <= limit || !qualifier) return name;
    const digest = createHash("sha256").update(`${kind}/${qualifier}`).digest("hex").slice(0, 4);
    const room = limit - join("").length - separator.length;
    const keep = Math.max(0, room - digest.length - separator.length);
    const head = qualifier.slice(0, keep).replace(/-+$/, "");
    return join(head ? `${head}${separator}${digest}` : digest);
}