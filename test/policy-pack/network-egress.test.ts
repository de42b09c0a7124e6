import { describe, expect, it } from "vitest";
import {
    azureFirewallMissingDiagnosticSetting,
    azureFirewallPolicyEnforceThreatIntelDeny,
    azureFirewallRulesDisallowWildcardTargets,
} from "../../policy-pack/policies/firewall";
import { azureNetworkPublicIpDisallowOutsideEdge } from "../../policy-pack/policies/edge";
import {
    azureNetworkNsgEnforceDenyInternetOutbound,
    azureNetworkSubnetDisableDefaultOutboundAccess,
    azureNetworkSubnetEnforceEgressRouteToFirewall,
} from "../../policy-pack/policies/network";
import { evaluate } from "../../tools/offline";
import type { PlannedResource } from "../../tools/offline/types";
import { all, drop, editInputs, nameEndsWith, setInput } from "../mutations/mutate";
import { violationsOf } from "../helpers/policy";
import { clone, planned } from "../helpers/resources";
import { stackResources } from "../helpers/stacks";

const T = {
    nsg: "azure-native:network:NetworkSecurityGroup",
    rule: "azure-native:network:SecurityRule",
    subnet: "azure-native:network:Subnet",
    env: "azure-native:app:ManagedEnvironment",
    apim: "azure-native:apimanagement:ApiManagementService",
    firewall: "azure-native:network:AzureFirewall",
    policy: "azure-native:network:FirewallPolicy",
    rcg: "azure-native:network:FirewallPolicyRuleCollectionGroup",
    routeTable: "azure-native:network:RouteTable",
    route: "azure-native:network:Route",
    pip: "azure-native:network:PublicIPAddress",
    workspace: "azure-native:operationalinsights:Workspace",
    diag: "azure-native:monitor:DiagnosticSetting",
    platform: "mcp:platform:McpPlatform",
};

const out = (name: string, priority: number, destination: string, ports: string, access = "Allow", protocol = "Tcp") => ({
    name,
    priority,
    direction: "Outbound",
    access,
    protocol,
    sourceAddressPrefix: access === "Deny" ? "*" : "VirtualNetwork",
    sourcePortRange: "*",
    destinationAddressPrefix: destination,
    destinationPortRange: ports,
});
const denyInternet = out("DenyInternetOutbound", 4096, "Internet", "*", "Deny", "*");
const monitor = out("AllowAzureMonitorOutbound", 100, "AzureMonitor", "443");
const certificates = out("AllowCertificateValidationOutbound", 100, "Internet", "80");
const viaFirewall = out("AllowInternetViaFirewallOutbound", 200, "Internet", "443");

const platform = (profile: string | undefined, egressFirewall: boolean) =>
    planned(T.platform, "mcp", { ...(profile ? { profile } : {}), optionalControls: { egressFirewall: { enabled: egressFirewall } } }, { custom: false });

/** A subnet with an NSG, used by a Container Apps environment (runtime) or API Management (gateway). */
function tier(kind: "runtime" | "gateway", rules: object[] | undefined, subnetExtra: Partial<PlannedResource> = {}) {
    const nsg = planned(T.nsg, `nsg-${kind}`, { securityRules: rules });
    const subnet = planned(
        T.subnet,
        `snet-${kind}`,
        { subnetName: `snet-${kind}`, ...(rules ? { networkSecurityGroup: { id: `/nsg/${kind}` } } : {}), ...(subnetExtra.inputs ?? {}) },
        { propertyDependencies: { ...(rules ? { networkSecurityGroup: [nsg.urn] } : {}), ...(subnetExtra.propertyDependencies ?? {}) } },
    );
    const user =
        kind === "runtime"
            ? planned(T.env, "cae", {}, { propertyDependencies: { vnetConfiguration: [subnet.urn] } })
            : planned(T.apim, "apim", {}, { propertyDependencies: { virtualNetworkConfiguration: [subnet.urn] } });
    return { nsg, subnet, user, resources: rules ? [nsg, subnet, user] : [subnet, user] };
}

/** A firewall at 10.0.5.4 and a route table whose 0.0.0.0/0 goes there (computed from the firewall). */
function firewallAndRoute(route: Record<string, unknown> = {}, dependsOnFirewall = true) {
    const firewall = planned(T.firewall, "afw", { ipConfigurations: [{ name: "egress", privateIPAddress: "10.0.5.4" }], firewallPolicy: { id: "/afwp" } });
    const table = planned(
        T.routeTable,
        "rt",
        { routes: [{ name: "internet-via-firewall", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.5.4", ...route }] },
        { propertyDependencies: dependsOnFirewall ? { routes: [firewall.urn] } : {} },
    );
    return { firewall, table };
}

function routedRuntime(rules: object[], route?: Record<string, unknown>, dependsOnFirewall = true) {
    const { firewall, table } = firewallAndRoute(route, dependsOnFirewall);
    const runtime = tier("runtime", rules, { inputs: { routeTable: { id: "/rt" } }, propertyDependencies: { routeTable: [table.urn] } });
    return [firewall, table, ...runtime.resources];
}

const messages = async (policy: Parameters<typeof violationsOf>[0], resources: PlannedResource[]) => (await violationsOf(policy, resources)).map((v) => v.message);

describe("azure-network-nsg-enforce-deny-internet-outbound (C10.3, A2)", () => {
    const policy = azureNetworkNsgEnforceDenyInternetOutbound;

    it("accepts runtime service-tag allows and the gateway's TCP 80 certificate validation above the final deny", async () => {
        expect(await messages(policy, [...tier("runtime", [monitor, denyInternet]).resources, ...tier("gateway", [certificates, monitor, denyInternet]).resources])).toEqual([]);
    });

    it("accepts the runtime's Internet allow when its subnet routes 0.0.0.0/0 to the stack's firewall", async () => {
        expect(await messages(policy, routedRuntime([monitor, viaFirewall, denyInternet]))).toEqual([]);
    });

    it.each(["runtime", "gateway"] as const)("rejects a %s NSG without the final deny (removed)", async (kind) => {
        expect(await messages(policy, tier(kind, [monitor]).resources)).toEqual([
            `NetworkSecurityGroup nsg-${kind} must end its outbound rules with a deny of Internet (protocol *, ports *) on the MCP ${kind} subnet; without it Azure's AllowInternetOutBound applies (C10.3, A2).`,
        ]);
    });

    it("rejects an MCP subnet without any NSG", async () => {
        expect(await messages(policy, tier("runtime", undefined).resources)).toEqual([
            "Subnet snet-runtime must have an NSG that denies Internet outbound (the MCP runtime subnet has none, so Azure's AllowInternetOutBound applies) (C10.3, A2).",
        ]);
    });

    it.each([
        ["a Container Apps environment", planned(T.env, "cae", { vnetConfiguration: { infrastructureSubnetId: "/existing/subnet" } }), "vnetConfiguration", "runtime"],
        ["an API Management service", planned(T.apim, "apim", { virtualNetworkConfiguration: { subnetResourceId: "/existing/subnet" } }), "virtualNetworkConfiguration", "gateway"],
        ["a Container Apps environment without VNet integration", planned(T.env, "cae", {}), "vnetConfiguration", "runtime"],
    ])("fails closed on %s outside a subnet of the stack", async (_label, user, property, kind) => {
        expect(await messages(policy, [user])).toEqual([
            `${user.type.split(":").pop()} ${user.name} must sit in a subnet of this stack (${property}), so the MCP ${kind} tier's outbound rules can be checked; none was found (C10.3, A2).`,
        ]);
    });

    it.each([
        ["a deny of port 443 only", out("DenyInternetOutbound", 4096, "Internet", "443", "Deny", "*")],
        ["a deny of TCP only", out("DenyInternetOutbound", 4096, "Internet", "*", "Deny", "Tcp")],
        ["a deny of one service tag", out("DenyInternetOutbound", 4096, "Storage", "*", "Deny", "*")],
    ])("does not count %s as the final deny (weakened)", async (_label, weak) => {
        expect(await messages(policy, tier("runtime", [monitor, weak]).resources)).toHaveLength(1);
    });

    it.each([
        ["Internet 443", out("AllowWeb", 300, "Internet", "443")],
        ["* on every port", out("AllowAll", 300, "*", "*", "Allow", "*")],
        ["0.0.0.0/0", out("AllowDefault", 300, "0.0.0.0/0", "443")],
        ["AzureCloud (every Azure customer's addresses)", out("AllowAzureCloud", 300, "AzureCloud", "443")],
        ["Internet without a priority", { ...out("AllowWeb", 0, "Internet", "443"), priority: undefined }],
    ])("rejects a runtime allow of %s above the deny without the firewall route (weakened)", async (_label, allow) => {
        const [message] = await messages(policy, tier("runtime", [monitor, allow, denyInternet]).resources);
        expect(message).toMatch(/^NetworkSecurityGroup nsg-runtime must not allow Internet outbound above the deny on the MCP runtime subnet \(rule Allow\w+ to .*; only a subnet routed through the egress firewall may\) \(C10\.3, A2\)\.$/);
    });

    it("ignores an allow below the deny (it can never match)", async () => {
        expect(await messages(policy, tier("runtime", [monitor, out("DenyInternetOutbound", 4000, "Internet", "*", "Deny", "*"), out("Dead", 4001, "Internet", "443")]).resources)).toEqual([]);
    });

    it("rejects the gateway opening Internet 443 (only TCP 80 is Learn's required row)", async () => {
        const [message] = await messages(policy, tier("gateway", [certificates, out("AllowWeb", 110, "Internet", "443"), denyInternet]).resources);
        expect(message).toMatch(/rule AllowWeb to Internet; the gateway may reach TCP 80 only/);
    });

    it("rejects a separate SecurityRule resource that allows Internet outbound on the runtime NSG", async () => {
        const runtime = tier("runtime", [monitor, denyInternet]);
        const extra = planned(T.rule, "open", out("AllowWeb", 300, "Internet", "443"), { propertyDependencies: { networkSecurityGroupName: [runtime.nsg.urn] } });
        expect(await messages(policy, [...runtime.resources, extra])).toEqual([expect.stringMatching(/^SecurityRule open must not allow Internet outbound/)]);
    });

    it.each([
        ["the route goes to the Internet", { nextHopType: "Internet" }, true],
        ["the route is not the default route", { addressPrefix: "10.0.0.0/8" }, true],
        ["the route's address was typed in, not taken from a firewall", {}, false],
        ["the route points at another address", { nextHopIpAddress: "10.0.5.9" }, true],
    ])("rejects the runtime's Internet allow when %s", async (_label, route, dependsOnFirewall) => {
        expect(await messages(policy, routedRuntime([monitor, viaFirewall, denyInternet], route, dependsOnFirewall as boolean))).toHaveLength(1);
    });
});

describe("azure-network-subnet-enforce-egress-route-to-firewall (C10.3, A2)", () => {
    const policy = azureNetworkSubnetEnforceEgressRouteToFirewall;

    it("accepts a runtime subnet routed to the firewall when egressFirewall is on", async () => {
        expect(await messages(policy, [platform("prod", true), ...routedRuntime([monitor, viaFirewall, denyInternet])])).toEqual([]);
    });

    it("accepts a separate Route resource computed from the firewall", async () => {
        const { firewall } = firewallAndRoute();
        const table = planned(T.routeTable, "rt", {});
        const route = planned(T.route, "default", { addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.5.4" }, {
            propertyDependencies: { routeTableName: [table.urn], nextHopIpAddress: [firewall.urn] },
        });
        const runtime = tier("runtime", [denyInternet], { propertyDependencies: { routeTable: [table.urn] } });
        expect(await messages(policy, [platform("prod", true), firewall, table, route, ...runtime.resources])).toEqual([]);
    });

    it("does not apply when egressFirewall is off", async () => {
        expect(await messages(policy, [platform("dev", false), ...tier("runtime", [denyInternet]).resources])).toEqual([]);
    });

    it("rejects a runtime subnet without a route table when egressFirewall is on (removed)", async () => {
        expect(await messages(policy, [platform("prod", true), ...tier("runtime", [denyInternet]).resources])).toEqual([
            "Subnet snet-runtime must route 0.0.0.0/0 to the stack's Azure Firewall (a route table with a VirtualAppliance route at its private IP), since optionalControls.egressFirewall is enabled (C10.3, A2).",
        ]);
    });

    it.each([
        ["next hop Internet", { nextHopType: "Internet" }, true],
        ["a narrower prefix", { addressPrefix: "0.0.0.0/1" }, true],
        ["a typed-in address", {}, false],
        ["another address than the firewall's", { nextHopIpAddress: "10.0.5.5" }, true],
    ])("rejects a route with %s (weakened)", async (_label, route, dependsOnFirewall) => {
        expect(await messages(policy, [platform("prod", true), ...routedRuntime([denyInternet], route, dependsOnFirewall as boolean)])).toHaveLength(1);
    });
});

describe("azure-firewall-rules-disallow-wildcard-targets (C10.3, A2)", () => {
    const policy = azureFirewallRulesDisallowWildcardTargets;
    const appRule = (targets: Record<string, unknown>) => ({ ruleType: "ApplicationRule", name: "r", sourceAddresses: ["10.0.0.0/23"], protocols: [{ protocolType: "Https", port: 443 }], ...targets });
    const netRule = (fields: Record<string, unknown>) => ({ ruleType: "NetworkRule", name: "n", ipProtocols: ["TCP"], sourceAddresses: ["10.0.0.0/23"], destinationAddresses: ["AzureMonitor"], destinationPorts: ["443"], ...fields });
    const group = (rules: object[], collection: Record<string, unknown> = {}) =>
        planned(T.rcg, "rules", { ruleCollections: [{ ruleCollectionType: "FirewallPolicyFilterRuleCollection", name: "server-docs", priority: 100, action: { type: "Allow" }, rules, ...collection }] });

    it("accepts exact hosts, a tenant's name under a shared suffix, and service-tag network rules on 443", async () => {
        expect(await messages(policy, [group([appRule({ targetFqdns: ["api.contoso.com", "contoso.blob.core.windows.net"] }), netRule({})])])).toEqual([]);
    });

    it.each([
        ["*", { targetFqdns: ["*"] }, "a wildcard"],
        ["*.com", { targetFqdns: ["*.com"] }, "a wildcard"],
        ["*.contoso.com", { targetFqdns: ["*.contoso.com"] }, "a wildcard"],
        ["a bare TLD", { targetFqdns: ["com"] }, "not a host under a public suffix"],
        ["a shared suffix", { targetFqdns: ["blob.core.windows.net"] }, "not a host under a public suffix"],
        ["a wildcard URL", { targetUrls: ["api.contoso.com/*"] }, "a wildcard"],
    ])("rejects an application rule allowing %s (weakened)", async (_label, targets, reason) => {
        const [message] = await messages(policy, [group([appRule(targets)])]);
        expect(message).toContain(`(${reason}); name exact hosts`);
        expect(message).toMatch(/^FirewallPolicyRuleCollectionGroup rules must allow only exact hosts \(collection server-docs: rule r allows /);
    });

    it("rejects web categories", async () => {
        expect(await messages(policy, [group([appRule({ targetFqdns: [], webCategories: ["Shopping"] })])])).toHaveLength(1);
    });

    it.each([
        ["destination *", { destinationAddresses: ["*"] }],
        ["destination Internet", { destinationAddresses: ["Internet"] }],
        ["destination 0.0.0.0/0", { destinationAddresses: ["0.0.0.0/0"] }],
        ["every port", { destinationPorts: ["*"] }],
        ["ports 1-65535", { destinationPorts: ["1-65535"] }],
        ["no destination", { destinationAddresses: [] }],
        ["a wildcard FQDN", { destinationAddresses: [], destinationFqdns: ["*.contoso.com"] }],
    ])("rejects an allow-all network rule: %s (weakened)", async (_label, fields) => {
        expect(await messages(policy, [group([netRule(fields)])])).toHaveLength(1);
    });

    it("judges classic rule collections on a firewall without a policy", async () => {
        const firewall = planned(T.firewall, "afw", { applicationRuleCollections: [{ name: "classic", action: { type: "Allow" }, rules: [{ name: "r", targetFqdns: ["*.com"] }] }] });
        expect(await messages(policy, [firewall])).toEqual([expect.stringMatching(/^AzureFirewall afw must allow only exact hosts \(collection classic: rule r allows "\*\.com" \(a wildcard\)/)]);
    });

    it("leaves Deny collections alone (a wildcard deny narrows)", async () => {
        expect(await messages(policy, [group([appRule({ targetFqdns: ["*"] })], { action: { type: "Deny" } })])).toEqual([]);
    });
});

describe("azure-firewall-policy-enforce-threat-intel-deny (C10.3, A2)", () => {
    const policy = azureFirewallPolicyEnforceThreatIntelDeny;
    const firewallPolicy = (inputs: Record<string, unknown>) => planned(T.policy, "afwp", inputs);

    it("accepts Deny in prod", async () => {
        expect(await messages(policy, [platform("prod", true), firewallPolicy({ threatIntelMode: "Deny" })])).toEqual([]);
    });

    it.each([
        ["Alert in prod", "prod", { threatIntelMode: "Alert" }],
        ["no mode (Azure's Alert) in prod", "prod", {}],
        ["Alert without a declared profile", undefined, { threatIntelMode: "Alert" }],
        ["Off in dev", "dev", { threatIntelMode: "Off" }],
    ])("rejects %s (weakened or removed)", async (_label, profile, inputs) => {
        expect(await messages(policy, [platform(profile, true), firewallPolicy(inputs)])).toHaveLength(1);
    });

    it("names the mode and the profile", async () => {
        expect(await messages(policy, [platform("prod", true), firewallPolicy({ threatIntelMode: "Alert" })])).toEqual([
            "FirewallPolicy afwp must deny known-malicious destinations (threatIntelMode Deny, got Alert) in the prod profile (C10.3, A2).",
        ]);
    });

    it("accepts Alert in dev, and judges a firewall without a policy on its own mode", async () => {
        expect(await messages(policy, [platform("dev", true), firewallPolicy({ threatIntelMode: "Alert" })])).toEqual([]);
        expect(await messages(policy, [platform("prod", true), planned(T.firewall, "afw", { threatIntelMode: "Alert" })])).toHaveLength(1);
    });
});

describe("azure-firewall-missing-diagnostic-setting (C10.3, C5.1)", () => {
    const policy = azureFirewallMissingDiagnosticSetting;
    const workspace = planned(T.workspace, "log", {});
    const firewall = planned(T.firewall, "afw", {});
    const setting = (inputs: Record<string, unknown>, workspaceUrn = workspace.urn) =>
        planned(T.diag, "afw-diag", { logAnalyticsDestinationType: "Dedicated", logs: [{ categoryGroup: "allLogs", enabled: true }], ...inputs }, {
            propertyDependencies: { resourceUri: [firewall.urn], workspaceId: [workspaceUrn] },
        });

    it("accepts allLogs, or both rule categories, to a workspace of the stack in resource-specific tables", async () => {
        expect(await messages(policy, [workspace, firewall, setting({})])).toEqual([]);
        const categories = [{ category: "AZFWApplicationRule", enabled: true }, { category: "AZFWNetworkRule", enabled: true }];
        expect(await messages(policy, [workspace, firewall, setting({ logs: categories })])).toEqual([]);
    });

    it("rejects a firewall without a diagnostic setting (removed)", async () => {
        expect(await messages(policy, [workspace, firewall])).toEqual(["AzureFirewall afw must send its rule logs to the platform workspace through a diagnostic setting (C10.3, C5.1)."]);
    });

    it.each([
        ["the legacy AzureDiagnostics table", { logAnalyticsDestinationType: "AzureDiagnostics" }],
        ["no destination type (AzureDiagnostics)", { logAnalyticsDestinationType: undefined }],
        ["metrics only", { logs: [] }],
        ["allLogs disabled", { logs: [{ categoryGroup: "allLogs", enabled: false }] }],
        ["one rule category only", { logs: [{ category: "AZFWApplicationRule", enabled: true }] }],
    ])("rejects %s (weakened)", async (_label, inputs) => {
        expect(await messages(policy, [workspace, firewall, setting(inputs)])).toHaveLength(1);
    });

    it("rejects a setting to a workspace outside the stack", async () => {
        expect(await messages(policy, [workspace, firewall, setting({}, "urn:pulumi:other::x::azure-native:operationalinsights:Workspace::elsewhere")])).toHaveLength(1);
    });
});

describe("azure-network-publicipaddress-disallow-outside-edge: the egress firewall's SNAT address", () => {
    const policy = azureNetworkPublicIpDisallowOutsideEdge;
    const pip = planned(T.pip, "afw-pip", {});
    const firewall = planned(T.firewall, "afw", {}, { propertyDependencies: { ipConfigurations: [pip.urn] } });

    it("accepts the firewall's public IP when nothing can enter through it (no DNAT)", async () => {
        expect(await messages(policy, [pip, firewall, planned(T.rcg, "rules", { ruleCollections: [{ ruleCollectionType: "FirewallPolicyFilterRuleCollection", rules: [] }] })])).toEqual([]);
    });

    it("rejects it once a DNAT collection exists, and rejects a public IP nothing uses", async () => {
        const dnat = planned(T.rcg, "dnat", { ruleCollections: [{ ruleCollectionType: "FirewallPolicyNatRuleCollection", rules: [] }] });
        expect(await messages(policy, [pip, firewall, dnat])).toHaveLength(1);
        expect(await messages(policy, [pip])).toHaveLength(1);
    });
});

describe("egress mutations of the prod plan are rejected by mandatory policies", () => {
    const runtimeNsg = nameEndsWith("-nsg-runtime");
    const cases: [string, (r: PlannedResource[]) => PlannedResource[], string][] = [
        [
            "an allow-Internet rule above the deny on the gateway",
            editInputs(T.nsg, (i) => i.securityRules.push(out("AllowWeb", 300, "Internet", "443")), nameEndsWith("-nsg-gateway")),
            "azure-network-nsg-enforce-deny-internet-outbound",
        ],
        [
            "the runtime's final deny removed, route removed",
            all(
                editInputs(T.nsg, (i) => (i.securityRules = i.securityRules.filter((r: any) => r.name !== "DenyInternetOutbound")), runtimeNsg),
                editInputs(T.subnet, (i, r) => {
                    delete i.routeTable;
                    delete r.propertyDependencies.routeTable;
                }, nameEndsWith("-snet-runtime")),
            ),
            "azure-network-nsg-enforce-deny-internet-outbound",
        ],
        [
            "the runtime subnet's route table removed",
            editInputs(T.subnet, (i, r) => {
                delete i.routeTable;
                delete r.propertyDependencies.routeTable;
            }, nameEndsWith("-snet-runtime")),
            "azure-network-subnet-enforce-egress-route-to-firewall",
        ],
        ["a wildcard FQDN in the docs server's collection", editInputs(T.rcg, (i) => (i.ruleCollections[0].rules[0].targetFqdns = ["*.contoso.com"]), nameEndsWith("-rules-servers")), "azure-firewall-rules-disallow-wildcard-targets"],
        ["threat intelligence to Alert", setInput(T.policy, "threatIntelMode", "Alert"), "azure-firewall-policy-enforce-threat-intel-deny"],
        ["the firewall's diagnostic setting dropped", drop(T.diag, nameEndsWith("-egress-diag")), "azure-firewall-missing-diagnostic-setting"],
        ["the runtime subnet's default outbound access back on", setInput(T.subnet, "defaultOutboundAccess", true, nameEndsWith("-snet-runtime")), "azure-network-subnet-disable-default-outbound-access"],
    ];

    it.each(cases)("%s", async (_label, mutate, policyName) => {
        const violations = await evaluate(mutate(clone(await stackResources("prod"))), { stack: "prod" });
        expect(violations.filter((v) => v.policy === policyName && v.enforcementLevel === "mandatory"), violations.map((v) => `${v.policy}: ${v.message}`).join("\n")).not.toEqual([]);
    });
});

describe("azure-network-subnet-disable-default-outbound-access (C10.3, A2)", () => {
    const policy = azureNetworkSubnetDisableDefaultOutboundAccess;

    it("accepts a private subnet and a VNet whose inline subnets are private", async () => {
        expect(await messages(policy, [planned(T.subnet, "snet", { defaultOutboundAccess: false })])).toEqual([]);
        expect(await messages(policy, [planned("azure-native:network:VirtualNetwork", "vnet", { subnets: [{ name: "a", defaultOutboundAccess: false }] })])).toEqual([]);
    });

    it("rejects a subnet without the setting (removed: Azure's older default is true)", async () => {
        expect(await messages(policy, [planned(T.subnet, "snet", {})])).toEqual([
            "Subnet snet must disable default outbound access (defaultOutboundAccess false, got nothing, i.e. true) (C10.3, A2).",
        ]);
    });

    it("rejects defaultOutboundAccess true on a subnet and on an inline subnet (weakened)", async () => {
        expect(await messages(policy, [planned(T.subnet, "snet", { defaultOutboundAccess: true })])).toHaveLength(1);
        expect(await messages(policy, [planned("azure-native:network:VirtualNetwork", "vnet", { subnets: [{ name: "a", defaultOutboundAccess: true }] })])).toEqual([
            "VirtualNetwork vnet must disable default outbound access on its inline subnet a (defaultOutboundAccess false, got true) (C10.3, A2).",
        ]);
    });
});
