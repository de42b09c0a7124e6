import { describe, expect, it } from "vitest";
import {
    azureContainerAppsEnvironmentEnablePeerEncryption,
    azureContainerAppsEnvironmentEnforceInternal,
    azureContainerAppsSessionPoolDisableEgress,
    azureContainerAppsSessionPoolMissingSandbox,
} from "../../policy-pack/policies/runtime";
import { azureContainerAppsAppEnforceInternalEnvironment } from "../../policy-pack/policies/workload";
import { violationsOf } from "../helpers/policy";
import { planned } from "../helpers/resources";

const envType = "azure-native:app:ManagedEnvironment";
const subnet = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/snet-runtime";
const environment = (inputs: Record<string, any> = {}) =>
    planned(envType, "cae", {
        vnetConfiguration: { internal: true, infrastructureSubnetId: subnet },
        publicNetworkAccess: "Disabled",
        peerTrafficConfiguration: { encryption: { enabled: true } },
        ...inputs,
    });
const messages = async (policy: Parameters<typeof violationsOf>[0], resources: Parameters<typeof violationsOf>[1]) =>
    (await violationsOf(policy, resources)).map((v) => v.message);

describe("azure-containerapps-environment-enforce-internal (C10.3, A2)", () => {
    it("accepts an internal, VNet-integrated environment", async () => {
        expect(await messages(azureContainerAppsEnvironmentEnforceInternal, [environment()])).toEqual([]);
    });
    it("accepts an internal environment that leaves publicNetworkAccess unset", async () => {
        expect(await messages(azureContainerAppsEnvironmentEnforceInternal, [environment({ publicNetworkAccess: undefined })])).toEqual([]);
    });
    it("rejects an external environment", async () => {
        expect(await messages(azureContainerAppsEnvironmentEnforceInternal, [environment({ vnetConfiguration: { internal: false, infrastructureSubnetId: subnet } })])).toEqual([
            "ManagedEnvironment cae must be internal (vnetConfiguration.internal: true), with no public endpoint (C10.3, A2).",
        ]);
    });
    it("rejects an environment with public network access enabled", async () => {
        expect(await messages(azureContainerAppsEnvironmentEnforceInternal, [environment({ publicNetworkAccess: "Enabled" })])).toEqual([
            'ManagedEnvironment cae must disable public network access (got "Enabled") (C10.3, A2).',
        ]);
    });
    it("rejects an environment without VNet configuration (the unset case fails closed)", async () => {
        expect(await messages(azureContainerAppsEnvironmentEnforceInternal, [environment({ vnetConfiguration: undefined })])).toHaveLength(2);
    });
});

describe("azure-containerapps-environment-enable-peer-encryption (C3.2)", () => {
    it("accepts an environment that encrypts peer traffic", async () => {
        expect(await messages(azureContainerAppsEnvironmentEnablePeerEncryption, [environment()])).toEqual([]);
    });
    it("rejects peer encryption turned off", async () => {
        expect(await messages(azureContainerAppsEnvironmentEnablePeerEncryption, [environment({ peerTrafficConfiguration: { encryption: { enabled: false } } })])).toHaveLength(1);
    });
    it("rejects an environment that does not say (unset)", async () => {
        expect(await messages(azureContainerAppsEnvironmentEnablePeerEncryption, [environment({ peerTrafficConfiguration: undefined })])).toEqual([
            "ManagedEnvironment cae must encrypt peer traffic (peerTrafficConfiguration.encryption.enabled: true) (C3.2).",
        ]);
    });
});

describe("azure-containerapps-app-enforce-internal-environment (C10.3, A2)", () => {
    const app = (env: ReturnType<typeof environment> | undefined) =>
        planned("azure-native:app:ContainerApp", "ca", { managedEnvironmentId: "/x/cae" }, { propertyDependencies: env ? { managedEnvironmentId: [env.urn] } : {} });
    it("accepts an app in an internal environment of the stack", async () => {
        const env = environment();
        expect(await messages(azureContainerAppsAppEnforceInternalEnvironment, [env, app(env)])).toEqual([]);
    });
    it("rejects an app in an external environment", async () => {
        const env = environment({ vnetConfiguration: { internal: false } });
        expect(await messages(azureContainerAppsAppEnforceInternalEnvironment, [env, app(env)])).toEqual([
            "ContainerApp ca must run in an internal Container Apps environment (its environment has a public endpoint) (C10.3, A2).",
        ]);
    });
    it("rejects an app whose environment the stack does not create (unset dependency)", async () => {
        expect(await messages(azureContainerAppsAppEnforceInternalEnvironment, [app(undefined)])).toHaveLength(1);
    });
});

describe("azure-containerapps-sessionpool-disable-egress (C10.1)", () => {
    const pool = (inputs: Record<string, any> = {}) =>
        planned("azure-native:app:ContainerAppsSessionPool", "sp", { poolManagementType: "Dynamic", sessionNetworkConfiguration: { status: "EgressDisabled" }, ...inputs });
    it("accepts a dynamic pool with egress disabled", async () => {
        expect(await messages(azureContainerAppsSessionPoolDisableEgress, [pool()])).toEqual([]);
    });
    it("rejects a pool whose sessions can reach out", async () => {
        expect(await messages(azureContainerAppsSessionPoolDisableEgress, [pool({ sessionNetworkConfiguration: { status: "EgressEnabled" } })])).toEqual([
            "ContainerAppsSessionPool sp must disable outbound network for sessions (EgressDisabled) (C10.1).",
        ]);
    });
    it("rejects a manual pool", async () => {
        expect(await messages(azureContainerAppsSessionPoolDisableEgress, [pool({ poolManagementType: "Manual" })])).toHaveLength(1);
    });
    it("rejects a pool that leaves the network setting unset", async () => {
        expect(await messages(azureContainerAppsSessionPoolDisableEgress, [pool({ sessionNetworkConfiguration: undefined })])).toHaveLength(1);
    });
});

describe("azure-containerapps-sessionpool-missing-sandbox (C10.1, optional)", () => {
    const platform = (enabled: boolean) => planned("mcp:platform:McpPlatform", "mcp", { optionalControls: { dynamicSessions: { enabled } } }, { custom: false });
    const pool = planned("azure-native:app:ContainerAppsSessionPool", "sp", {});
    it("accepts a stack with the feature on and a pool", async () => {
        expect(await messages(azureContainerAppsSessionPoolMissingSandbox, [platform(true), pool])).toEqual([]);
    });
    it("rejects a stack with the feature on and no pool", async () => {
        expect(await messages(azureContainerAppsSessionPoolMissingSandbox, [platform(true)])).toEqual([
            "The stack must contain a dynamic sessions pool (features.dynamicSessions is on) (C10.1).",
        ]);
    });
    it("does not enforce when the feature is off or no platform component declares it (unset)", async () => {
        expect(await messages(azureContainerAppsSessionPoolMissingSandbox, [platform(false)])).toEqual([]);
        expect(await messages(azureContainerAppsSessionPoolMissingSandbox, [])).toEqual([]);
    });
});
