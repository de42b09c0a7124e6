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
});
