import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { policies } from "../../policy-pack/policies";
import { policyLocation } from "../../tools/controls/locations";

/**
 * Where a policy lives follows from its name, so a reader who has a rule id from a report opens the
 * right file without searching. The longest matching prefix wins; a target ending in `/` is an area
 * (any file in that folder), where the files split one service by concern.
 */
const homes: Readonly<Record<string, string>> = {
    "azure-apimanagement-": "gateway/",
    "azure-apimanagement-operation-": "gateway/operation.ts",
    "azure-apimanagement-service-": "gateway/service.ts",
    "azure-apimanagement-diagnostic-": "gateway/service.ts",
    "azure-apimanagement-namedvalue-": "gateway/service.ts",
    "azure-authorization-": "roleAssignments.ts",
    "azure-cognitiveservices-": "safety.ts",
    "azure-containerapps-": "runtime.ts",
    "azure-containerapps-app-": "workload.ts",
    "azure-containerregistry-": "registry.ts",
    "azure-defender-containers-": "registry.ts",
    "azure-firewall-": "firewall.ts",
    "azure-keyvault-": "keyvault.ts",
    "azure-loganalytics-": "monitoring.ts",
    "azure-network-": "network.ts",
    "azure-network-applicationgateway-": "edge.ts",
    "azure-network-publicipaddress-": "edge.ts",
    "azure-network-wafpolicy-": "edge.ts",
    "azure-resource-enforce-required-tags": "tags.ts",
    "azure-resource-missing-diagnostic-setting": "monitoring.ts",
    "azure-sentinel-": "monitoring.ts",
    "azure-stateful-resource-": "protection.ts",
    "azuread-": "identity.ts",
    "mcp-platform-": "protection.ts",
};

/** The file or area (relative to policy-pack/policies, `/`-separated) a policy of this name belongs in. */
function homeOf(name: string): string | undefined {
    const prefix = Object.keys(homes)
        .filter((p) => name.startsWith(p))
        .sort((a, b) => b.length - a.length)[0];
    return prefix === undefined ? undefined : homes[prefix];
}

interface Placed {
    readonly name: string;
    /** Repository-relative, as tools/controls/locations.ts reports it. */
    readonly file: string | undefined;
}

function misplaced(placed: readonly Placed[]): string[] {
    const root = "policy-pack/policies/";
    return placed.flatMap(({ name, file }) => {
        const home = homeOf(name);
        if (home === undefined) return [`${name}: no home in the prefix table`];
        const actual = file?.split(path.sep).join("/");
        if (actual === undefined) return [`${name}: source not found`];
        const fits = home.endsWith("/") ? actual.startsWith(root + home) : actual === root + home;
        return fits ? [] : [`${name}: lives in ${actual}, its name says ${root}${home}`];
    });
}

/**
 * The house verbs. `missing-<x>` is a required companion resource or element that is absent (an
 * NSG, a diagnostic setting, a private endpoint); `enforce` a required value; `configure` a setting
 * that must be present; `enable`/`disable` a switch; `disallow` something that must not exist.
 */
const verbs = ["enforce", "disallow", "configure", "enable", "disable", "missing"] as const;
const nameShape = new RegExp(`^(azure|azuread|mcp-platform)-([a-z0-9]+-)*?(${verbs.join("|")})-([a-z0-9]+(-[a-z0-9]+)*)$`);

interface Parsed {
    readonly service: string;
    readonly verb: string;
    readonly object: string;
}

/** `azure-<service>-<resource>-<verb>-<object>`; Entra's `azuread-` and the platform's `mcp-platform-` are a service each. */
function parse(name: string): Parsed | undefined {
    const match = nameShape.exec(name);
    if (!match) return undefined;
    const [, family] = match;
    const rest = name.slice(family.length + 1).split("-");
    const service = family === "azure" ? rest[0] : family;
    const at = rest.findIndex((s, i) => (family !== "azure" || i > 0) && (verbs as readonly string[]).includes(s));
    return at < 0 ? undefined : { service, verb: rest[at], object: rest.slice(at + 1).join("-") };
}

/** Objects that policies of two services check under different verbs: one check, two words for it. */
function verbConflicts(names: readonly string[]): string[] {
    const byObject = new Map<string, { service: string; verb: string; name: string }[]>();
    for (const name of names) {
        const parsed = parse(name);
        if (parsed) byObject.set(parsed.object, [...(byObject.get(parsed.object) ?? []), { ...parsed, name }]);
    }
    return [...byObject.entries()]
        .filter(([, all]) => new Set(all.map((p) => p.service)).size > 1 && new Set(all.map((p) => p.verb)).size > 1)
        .map(([object, all]) => `${object}: ${all.map((p) => p.name).join(", ")}`);
}

const registered = (): Placed[] => policies.map((p) => ({ name: p.name, file: policyLocation(p.name)?.file }));

describe("policy pack layout", () => {
    it("keeps every policy in the file its name says", () => {
        expect(misplaced(registered())).toEqual([]);
    });

    it("catches a policy in another file than its name says (an app policy among the environment policies)", () => {
        const runtimeFile = policyLocation("azure-containerapps-sessionpool-disable-egress")?.file;
        expect(runtimeFile?.split(path.sep).join("/")).toBe("policy-pack/policies/runtime.ts");
        expect(misplaced([{ name: "azure-containerapps-app-enforce-internal-environment", file: runtimeFile }])).toEqual([
            "azure-containerapps-app-enforce-internal-environment: lives in policy-pack/policies/runtime.ts, its name says policy-pack/policies/workload.ts",
        ]);
        expect(misplaced([{ name: "azure-apimanagement-api-enforce-https", file: runtimeFile }])).toHaveLength(1);
        expect(misplaced([{ name: "azure-newservice-thing-enforce-x", file: runtimeFile }])).toEqual(["azure-newservice-thing-enforce-x: no home in the prefix table"]);
    });

    it("names every policy azure(ad)-<service>-<resource>-<verb>-<object> with a house verb", () => {
        expect(policies.map((p) => p.name).filter((name) => parse(name) === undefined)).toEqual([]);
        expect(parse("azure-keyvault-vault-require-private-endpoint")).toBeUndefined();
    });

    it("uses one verb for one check across services", () => {
        expect(verbConflicts(policies.map((p) => p.name))).toEqual([]);
    });

    it("catches two services naming the same check with different verbs", () => {
        const names = ["azure-keyvault-vault-enforce-private-endpoint", "azure-containerregistry-registry-missing-private-endpoint", "azure-cognitiveservices-account-missing-private-endpoint"];
        expect(verbConflicts(names)).toEqual([`private-endpoint: ${names.join(", ")}`]);
        // One service may use two verbs on one object (e.g. a switch and its configuration); only across services is it a conflict.
        expect(verbConflicts(["azure-network-vnet-enable-ddos-protection", "azure-network-publicipaddress-configure-ddos-protection"])).toEqual([]);
    });
});
