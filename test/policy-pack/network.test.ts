import { describe, expect, it } from "vitest";
import {
    azureNetworkNsgDisallowInternetInbound,
    azureNetworkNsgEnforceDenyAllInbound,
    azureNetworkSubnetEnablePrivateEndpointPolicies,
    azureNetworkSubnetMissingNsg,
    azureNetworkVnetEnableDdosProtection,
    azureNetworkVnetEnableFlowLogs,
} from "../../policy-pack/policies/network";
import type { PlannedResource } from "../../tools/offline/types";
import { violationsOf } from "../helpers/policy";
import { planned } from "../helpers/resources";

const T = {
    vnet: "azure-native:network:VirtualNetwork",
    subnet: "azure-native:network:Subnet",
    nsg: "azure-native:network:NetworkSecurityGroup",
    rule: "azure-native:network:SecurityRule",
    appGateway: "azure-native:network:ApplicationGateway",
    pep: "azure-native:network:PrivateEndpoint",
    flowLog: "azure-native:network:FlowLog",
    platform: "mcp:platform:McpPlatform",
};
const nsgId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg";

const denyAll = { name: "DenyAllInbound", priority: 4096, direction: "Inbound", access: "Deny", protocol: "*", sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "*" };
const listener = { name: "AllowHttpsListenerInbound", priority: 120, direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "Internet", destinationAddressPrefix: "*", destinationPortRange: "443" };
const gatewayManager = { name: "AllowGatewayManagerInbound", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "GatewayManager", destinationAddressPrefix: "*", destinationPortRange: "65200-65535" };

const nsg = (name: string, securityRules?: object[]) => planned(T.nsg, name, { securityRules });
const subnetWith = (name: string, nsgResource: PlannedResource, inputs: Record<string, any> = {}) =>
    planned(T.subnet, name, { subnetName: name, networkSecurityGroup: { id: nsgId }, ...inputs }, { propertyDependencies: { networkSecurityGroup: [nsgResource.urn] } });
const appGatewayOn = (subnet: PlannedResource) => planned(T.appGateway, "agw", {}, { propertyDependencies: { gatewayIPConfigurations: [subnet.urn] } });
const platform = (features: Record<string, boolean>) =>
    planned(T.platform, "mcp", { optionalControls: Object.fromEntries(Object.entries(features).map(([f, enabled]) => [f, { enabled }])) }, { custom: false });

/** An edge NSG on the subnet an Application Gateway uses, with the listener and GatewayManager rules. */
function edgeStack(rules: object[] = [gatewayManager, listener, denyAll]) {
    const edgeNsg = nsg("nsg-edge", rules);
    const edgeSubnet = subnetWith("snet-edge", edgeNsg);
    return { edgeNsg, resources: [edgeNsg, edgeSubnet, appGatewayOn(edgeSubnet)] };
}

describe("azure-network-subnet-missing-nsg (C10.3, A2)", () => {
    it("accepts a subnet associated with an NSG", async () => {
        expect(await violationsOf(azureNetworkSubnetMissingNsg, [planned(T.subnet, "snet", { networkSecurityGroup: { id: nsgId } })])).toEqual([]);
    });

    it("rejects a subnet without an NSG (the unset case)", async () => {
        const [violation] = await violationsOf(azureNetworkSubnetMissingNsg, [planned(T.subnet, "snet", { addressPrefix: "10.0.0.0/24" })]);
        expect(violation.message).toBe("Subnet snet must be associated with a network security group (C10.3, A2).");
    });

    it("rejects a subnet whose NSG reference carries no id", async () => {
        expect(await violationsOf(azureNetworkSubnetMissingNsg, [planned(T.subnet, "snet", { networkSecurityGroup: {} })])).toHaveLength(1);
    });

    it("rejects a VNet whose inline subnet has no NSG", async () => {
        const vnet = planned(T.vnet, "vnet", { subnets: [{ name: "a", networkSecurityGroup: { id: nsgId } }, { name: "b" }] });
        const violations = await violationsOf(azureNetworkSubnetMissingNsg, [vnet]);
        expect(violations.map((v) => v.message)).toEqual(["VirtualNetwork vnet must associate its inline subnet b with a network security group (C10.3, A2)."]);
    });

    it("accepts a VNet without inline subnets", async () => {
        expect(await violationsOf(azureNetworkSubnetMissingNsg, [planned(T.vnet, "vnet", {})])).toEqual([]);
    });

    it("exempts Azure's reserved GatewaySubnet, where an NSG is not supported", async () => {
        expect(await violationsOf(azureNetworkSubnetMissingNsg, [planned(T.subnet, "gw", { subnetName: "GatewaySubnet" })])).toEqual([]);
    });
});

describe("azure-network-nsg-disallow-internet-inbound (C10.3, A2, A1)", () => {
    it("accepts the HTTPS listener from the internet on the NSG of the Application Gateway's subnet", async () => {
        expect(await violationsOf(azureNetworkNsgDisallowInternetInbound, edgeStack().resources)).toEqual([]);
    });

    it("rejects the same listener rule on an NSG whose subnet hosts no Application Gateway", async () => {
        const other = nsg("nsg-runtime", [listener, denyAll]);
        const violations = await violationsOf(azureNetworkNsgDisallowInternetInbound, [other, subnetWith("snet-runtime", other)]);
        expect(violations.map((v) => v.message)).toEqual([
            "NetworkSecurityGroup nsg-runtime must not allow inbound traffic from the internet (rule AllowHttpsListenerInbound) (C10.3, A2, A1).",
        ]);
    });

    it("rejects any other port from the internet on the edge", async () => {
        const ssh = { ...listener, name: "AllowSsh", destinationPortRange: "22" };
        const violations = await violationsOf(azureNetworkNsgDisallowInternetInbound, edgeStack([listener, ssh, denyAll]).resources);
        expect(violations.map((v) => v.message)).toEqual([
            "NetworkSecurityGroup nsg-edge must not allow inbound traffic from the internet (rule AllowSsh; the edge admits TCP 443 only) (C10.3, A2, A1).",
        ]);
    });

    it("rejects 443 over every protocol on the edge", async () => {
        expect(await violationsOf(azureNetworkNsgDisallowInternetInbound, edgeStack([{ ...listener, protocol: "*" }]).resources)).toHaveLength(1);
    });

    it.each([
        ["*", { sourceAddressPrefix: "*" }],
        ["0.0.0.0/0 in a prefix list", { sourceAddressPrefix: undefined, sourceAddressPrefixes: ["10.0.0.0/8", "0.0.0.0/0"] }],
        ["Any", { sourceAddressPrefix: "Any" }],
        ["no source at all (the unset case)", { sourceAddressPrefix: undefined }],
    ])("rejects an inbound allow from %s", async (_label, source) => {
        const open = nsg("nsg-app", [{ name: "Open", direction: "Inbound", access: "Allow", protocol: "Tcp", destinationPortRange: "8080", ...source }]);
        expect(await violationsOf(azureNetworkNsgDisallowInternetInbound, [open])).toHaveLength(1);
    });

    it("treats a rule without direction and access as an inbound allow", async () => {
        expect(await violationsOf(azureNetworkNsgDisallowInternetInbound, [nsg("n", [{ name: "Bare", protocol: "Tcp", sourceAddressPrefix: "Internet" }])])).toHaveLength(1);
    });

    it("accepts inbound denies and outbound rules towards the internet", async () => {
        const rules = [{ ...listener, access: "Deny" }, { ...listener, direction: "Outbound" }];
        expect(await violationsOf(azureNetworkNsgDisallowInternetInbound, [nsg("n", rules)])).toEqual([]);
    });

    it("accepts subnet and service-tag sources", async () => {
        const rules = [gatewayManager, { ...listener, sourceAddressPrefix: "10.40.3.0/24" }, { ...listener, sourceAddressPrefix: "AzureLoadBalancer" }];
        expect(await violationsOf(azureNetworkNsgDisallowInternetInbound, [nsg("n", rules)])).toEqual([]);
    });

    it("rejects a separate SecurityRule resource that opens its NSG to the internet", async () => {
        const target = nsg("nsg-app", [denyAll]);
        const rule = planned(T.rule, "open-rule", { name: "Open", direction: "Inbound", access: "Allow", protocol: "*", sourceAddressPrefix: "Internet" }, {
            propertyDependencies: { networkSecurityGroupName: [target.urn] },
        });
        const violations = await violationsOf(azureNetworkNsgDisallowInternetInbound, [target, rule]);
        expect(violations).toEqual([expect.objectContaining({ urn: rule.urn })]);
    });

    it("rejects an open SecurityRule resource attached to no NSG of the stack", async () => {
        const rule = planned(T.rule, "stray", { name: "Stray", direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "*", destinationPortRange: "443" });
        expect(await violationsOf(azureNetworkNsgDisallowInternetInbound, [rule])).toHaveLength(1);
    });
});

describe("azure-network-nsg-enforce-deny-all-inbound (C10.3, A2)", () => {
    it("accepts an NSG ending with DenyAllInbound", async () => {
        expect(await violationsOf(azureNetworkNsgEnforceDenyAllInbound, [nsg("n", [gatewayManager, denyAll])])).toEqual([]);
    });

    it("accepts the deny-all as a separate SecurityRule resource", async () => {
        const target = nsg("n", []);
        const rule = planned(T.rule, "deny", denyAll, { propertyDependencies: { networkSecurityGroupName: [target.urn] } });
        expect(await violationsOf(azureNetworkNsgEnforceDenyAllInbound, [target, rule])).toEqual([]);
    });

    it("rejects an NSG without rules (the unset case)", async () => {
        const [violation] = await violationsOf(azureNetworkNsgEnforceDenyAllInbound, [nsg("n", undefined)]);
        expect(violation.message).toBe(
            "NetworkSecurityGroup n must deny all other inbound traffic with an explicit catch-all rule (DenyAllInbound at priority 4096) (C10.3, A2).",
        );
    });

    it.each([
        ["only some ports", { destinationPortRange: "22" }],
        ["only TCP", { protocol: "Tcp" }],
        ["only one source", { sourceAddressPrefix: "10.0.0.0/8" }],
        ["outbound", { direction: "Outbound" }],
    ])("rejects a deny that covers %s", async (_label, change) => {
        expect(await violationsOf(azureNetworkNsgEnforceDenyAllInbound, [nsg("n", [{ ...denyAll, ...change }])])).toHaveLength(1);
    });
});

describe("azure-network-subnet-enable-private-endpoint-policies (A2, C10.3)", () => {
    const withEndpoint = (setting?: string) => {
        const subnet = planned(T.subnet, "snet-pe", { privateEndpointNetworkPolicies: setting });
        const pep = planned(T.pep, "pep", {}, { propertyDependencies: { subnet: [subnet.urn] } });
        return [subnet, pep];
    };

    it("accepts a private-endpoint subnet with network policies enabled", async () => {
        expect(await violationsOf(azureNetworkSubnetEnablePrivateEndpointPolicies, withEndpoint("Enabled"))).toEqual([]);
        expect(await violationsOf(azureNetworkSubnetEnablePrivateEndpointPolicies, withEndpoint("NetworkSecurityGroupEnabled"))).toEqual([]);
    });

    it("rejects a private-endpoint subnet with network policies disabled", async () => {
        const [violation] = await violationsOf(azureNetworkSubnetEnablePrivateEndpointPolicies, withEndpoint("Disabled"));
        expect(violation.message).toBe('Subnet snet-pe must enable privateEndpointNetworkPolicies for the private endpoints it holds (got "Disabled") (A2, C10.3).');
    });

    it("rejects a private-endpoint subnet that leaves the setting unset (Azure's default is Disabled)", async () => {
        expect(await violationsOf(azureNetworkSubnetEnablePrivateEndpointPolicies, withEndpoint(undefined))).toHaveLength(1);
    });

    it("ignores subnets that hold no private endpoint", async () => {
        expect(await violationsOf(azureNetworkSubnetEnablePrivateEndpointPolicies, [planned(T.subnet, "snet", {})])).toEqual([]);
    });
});

describe("azure-network-vnet-enable-ddos-protection (C4.4, optional)", () => {
    const vnet = (inputs: Record<string, any>) => planned(T.vnet, "vnet", inputs);
    const protectedInputs = { enableDdosProtection: true, ddosProtectionPlan: { id: "/subscriptions/s/ddos" } };

    it("accepts a VNet with a DDoS plan when the platform turns the control on", async () => {
        expect(await violationsOf(azureNetworkVnetEnableDdosProtection, [platform({ ddosProtection: true }), vnet(protectedInputs)])).toEqual([]);
    });

    it("rejects a VNet with protection disabled when the control is on", async () => {
        const [violation] = await violationsOf(azureNetworkVnetEnableDdosProtection, [platform({ ddosProtection: true }), vnet({ ...protectedInputs, enableDdosProtection: false })]);
        expect(violation.message).toContain("VirtualNetwork vnet must enable DDoS Network Protection with a plan");
    });

    it("rejects a VNet without a plan (the unset case) when the control is on", async () => {
        expect(await violationsOf(azureNetworkVnetEnableDdosProtection, [platform({ ddosProtection: true }), vnet({ enableDdosProtection: true })])).toHaveLength(1);
        expect(await violationsOf(azureNetworkVnetEnableDdosProtection, [platform({ ddosProtection: true }), vnet({})])).toHaveLength(1);
    });

    it("does not require a plan when the platform declares the control off, or when there is no platform", async () => {
        expect(await violationsOf(azureNetworkVnetEnableDdosProtection, [platform({ ddosProtection: false }), vnet({})])).toEqual([]);
        expect(await violationsOf(azureNetworkVnetEnableDdosProtection, [vnet({})])).toEqual([]);
    });
});

describe("azure-network-vnet-enable-flow-logs (C4.4, optional)", () => {
    const vnet = planned(T.vnet, "vnet", {});
    const flowLog = (enabled?: boolean) => planned(T.flowLog, "fl", { enabled }, { propertyDependencies: { targetResourceId: [vnet.urn] } });

    it("accepts a VNet with an enabled flow log when the control is on", async () => {
        expect(await violationsOf(azureNetworkVnetEnableFlowLogs, [platform({ vnetFlowLogs: true }), vnet, flowLog(true)])).toEqual([]);
    });

    it("rejects a VNet without a flow log when the control is on", async () => {
        const [violation] = await violationsOf(azureNetworkVnetEnableFlowLogs, [platform({ vnetFlowLogs: true }), vnet]);
        expect(violation.message).toBe("VirtualNetwork vnet must be the target of an enabled flow log, since optionalControls.vnetFlowLogs is enabled (C4.4).");
    });

    it("rejects a flow log that is disabled or leaves enabled unset", async () => {
        expect(await violationsOf(azureNetworkVnetEnableFlowLogs, [platform({ vnetFlowLogs: true }), vnet, flowLog(false)])).toHaveLength(1);
        expect(await violationsOf(azureNetworkVnetEnableFlowLogs, [platform({ vnetFlowLogs: true }), vnet, flowLog(undefined)])).toHaveLength(1);
    });

    it("does not require flow logs when the control is off", async () => {
        expect(await violationsOf(azureNetworkVnetEnableFlowLogs, [platform({ vnetFlowLogs: false }), vnet])).toEqual([]);
    });
});
