/**
 * What Azure (and Entra) accept as a name, per kind the platform names, from Microsoft Learn's
 * "Naming rules and restrictions for Azure resources"
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules, read
 * 2026-12-03). A name that breaks one is rejected by ARM at deploy time, often 40 minutes into a
 * `pulumi up`; the pre-flight (stacks/preflight) checks every generated name against these first.
 */
export interface NameRule {
    readonly min: number;
    readonly max: number;
    /** The whole name must match (character set, first and last character). */
    readonly pattern: RegExp;
    /** The rule in words, for the error message. */
    readonly says: string;
    /**
     * Where the name must be unique: `global` (a DNS name under an Azure domain), `resource group`,
     * `parent` (unique under its parent resource only), `tenant` (Entra display names need not be
     * unique, but the platform keys objects by them).
     */
    readonly scope: "global" | "resource group" | "parent" | "tenant";
    /** Consecutive hyphens are rejected (Key Vault, Container Apps). */
    readonly noDoubleHyphen?: boolean;
}

// Microsoft.Network names: "Alphanumerics, underscores, periods, and hyphens. Start with alphanumeric.
// End alphanumeric or underscore."
const network = (min: number, max: number, scope: NameRule["scope"] = "resource group"): NameRule => ({
    min,
    max,
    pattern: /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/,
    says: "alphanumerics, '_', '.', '-'; starts with an alphanumeric, ends with an alphanumeric or '_'",
    scope,
});

const lowerAlphanumericHyphen = (min: number, max: number, scope: NameRule["scope"]): NameRule => ({
    min,
    max,
    pattern: /^[a-z][a-z0-9-]*[a-z0-9]$/,
    says: "lowercase letters, digits and '-'; starts with a letter, ends with a letter or digit; no '--'",
    scope,
    noDoubleHyphen: true,
});

const entraDisplayName: NameRule = { min: 1, max: 256, pattern: /^[^\u0000-\u001f]+$/, says: "up to 256 printable characters", scope: "tenant" };

/** Keyed by the kinds of `abbreviations` (naming.ts checks at compile time that every kind has a rule). */
export const nameRules = {
    resourceGroup: { min: 1, max: 90, pattern: /^[-\w.()]*[-\w()]$/, says: "letters, digits, '_', '-', '.', '(', ')'; does not end with '.'", scope: "resource group" },
    virtualNetwork: network(2, 64),
    subnet: network(1, 80, "parent"),
    networkSecurityGroup: network(1, 80),
    ddosPlan: network(1, 80),
    privateEndpoint: network(2, 64),
    publicIp: network(1, 80),
    appGateway: network(1, 80),
    wafPolicy: network(1, 80),
    virtualNetworkLink: network(1, 80, "parent"),
    flowLog: network(1, 80, "parent"),
    azureFirewall: network(1, 80),
    firewallPolicy: network(1, 80),
    routeTable: network(1, 80),
    keyVault: {
        min: 3,
        max: 24,
        pattern: /^[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$/,
        says: "letters, digits and '-'; starts with a letter, ends with a letter or digit; no '--'",
        scope: "global",
        noDoubleHyphen: true,
    },
    managedHsm: {
        min: 3,
        max: 24,
        pattern: /^[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$/,
        says: "letters, digits and '-'; starts with a letter, ends with a letter or digit; no '--'",
        scope: "global",
        noDoubleHyphen: true,
    },
    containerRegistry: { min: 5, max: 50, pattern: /^[A-Za-z0-9]+$/, says: "letters and digits only", scope: "global" },
    storageAccount: { min: 3, max: 24, pattern: /^[a-z0-9]+$/, says: "lowercase letters and digits only", scope: "global" },
    logAnalytics: { min: 4, max: 63, pattern: /^[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]$/, says: "letters, digits and '-'; starts and ends with a letter or digit", scope: "resource group" },
    apiManagement: { min: 1, max: 50, pattern: /^[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?$/, says: "letters, digits and '-'; starts with a letter, ends with a letter or digit", scope: "global" },
    contentSafety: { min: 2, max: 64, pattern: /^[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]$/, says: "letters, digits and '-'; starts and ends with a letter or digit (also its custom subdomain)", scope: "global" },
    containerAppsEnvironment: lowerAlphanumericHyphen(2, 60, "resource group"),
    containerApp: lowerAlphanumericHyphen(2, 32, "resource group"),
    // Session pools are not on the naming-rules page; Container Apps' own rule is applied to them.
    sessionPool: lowerAlphanumericHyphen(2, 32, "resource group"),
    managedIdentity: { min: 3, max: 128, pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/, says: "letters, digits, '-' and '_'; starts with a letter or digit", scope: "resource group" },
    actionGroup: { min: 1, max: 260, pattern: /^[^:<>+/&%\\?|]+$/, says: "any characters except : < > + / & % \\ ? |", scope: "resource group" },
    entraApplication: entraDisplayName,
    entraGroup: entraDisplayName,
    conditionalAccessPolicy: entraDisplayName,
} satisfies Record<string, NameRule>;

/** Key Vault secret names (a server's secrets live in the platform vault): 1–127 letters, digits and '-'. */
export const vaultSecretNameRule: NameRule = { min: 1, max: 127, pattern: /^[A-Za-z0-9-]+$/, says: "letters, digits and '-'", scope: "parent" };

/** What is wrong with `name` under `rule`, or undefined when Azure accepts it. */
export function nameProblem(rule: NameRule, name: string): string | undefined {
    if (name.length < rule.min || name.length > rule.max) return `${name.length} characters, Azure allows ${rule.min}–${rule.max}`;
    if (!rule.pattern.test(name)) return `Azure allows ${rule.says}`;
    if (rule.noDoubleHyphen && name.includes("--")) return `Azure rejects '--' in this name`;
    return undefined;
}
