import { testPlacement } from "../helpers/placement";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { McpRuntime, McpRuntimeArgs, resolveWorkloadProfiles } from "../../components/runtime";
import { PlacementArgs } from "../../components/shared/inputs";
import { builtInRoles } from "../../components/shared/roles";
import { runUnderMocks } from "../helpers/mocks";
import { ofType, single } from "../helpers/resources";

const rg = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-mcp-test";
const placement = (): PlacementArgs => testPlacement({ tenantId: "t", subscriptionId: "00000000-0000-0000-0000-000000000001" });
const baseArgs = (): McpRuntimeArgs => ({
    placement: placement(),
    diagnostics: { workspaceId: `${rg}/providers/Microsoft.OperationalInsights/workspaces/log-mcp-test` },
    subnetId: `${rg}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-runtime`,
    vnetId: `${rg}/providers/Microsoft.Network/virtualNetworks/vnet`,
});
const sandbox = {
    subnetId: `${rg}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-sandbox`,
    image: `tools/python-sandbox@sha256:${"a".repeat(64)}`,
    registry: { id: `${rg}/providers/Microsoft.ContainerRegistry/registries/crmcptest`, loginServer: "crmcptest.azurecr.io" },
    cpu: 0.5,
    memory: "1Gi",
    port: 8080,
    maxConcurrentSessions: 10,
    readySessionInstances: 1,
    cooldownSeconds: 300,
};

const env = "azure-native:app:ManagedEnvironment";

describe("McpRuntime", () => {
    it("creates an internal, VNet-integrated environment without public access (C10.3)", async () => {
        const resources = await runUnderMocks(() => new McpRuntime("rt", baseArgs()));
        const environment = single(resources, env);
        expect(environment.inputs.vnetConfiguration).toEqual({ internal: true, infrastructureSubnetId: baseArgs().subnetId });
        expect(environment.inputs.publicNetworkAccess).toBe("Disabled");
    });

    it("encrypts peer traffic and sends logs through Azure Monitor to the workspace (C3.2, C5.1)", async () => {
        const resources = await runUnderMocks(() => new McpRuntime("rt", baseArgs()));
        const environment = single(resources, env);
        expect(environment.inputs.peerTrafficConfiguration).toEqual({ encryption: { enabled: true } });
        expect(environment.inputs.appLogsConfiguration).toEqual({ destination: "azure-monitor" });
        const diag = single(resources, "azure-native:monitor:DiagnosticSetting");
        expect(diag.inputs.resourceUri).toBe(environment.id);
        expect(diag.inputs.workspaceId).toBe(baseArgs().diagnostics.workspaceId);
        expect(diag.inputs.logs).toEqual([{ categoryGroup: "allLogs", enabled: true }]);
    });

    it("uses workload profiles with Consumption, a dedicated profile only on request", async () => {
        const resources = await runUnderMocks(() => new McpRuntime("rt", baseArgs()));
        expect(single(resources, env).inputs.workloadProfiles).toEqual([{ name: "Consumption", workloadProfileType: "Consumption" }]);
        expect(resolveWorkloadProfiles({ workloadProfileType: "D4", minimumCount: 1, maximumCount: 3 })).toEqual([
            { name: "Consumption", workloadProfileType: "Consumption" },
            { name: "dedicated", workloadProfileType: "D4", minimumCount: 1, maximumCount: 3 },
        ]);
    });

    it("is zone redundant only when asked (prod)", async () => {
        const dev = await runUnderMocks(() => new McpRuntime("rt", baseArgs()));
        expect(single(dev, env).inputs.zoneRedundant).toBe(false);
        const prod = await runUnderMocks(() => new McpRuntime("rt", { ...baseArgs(), zoneRedundant: true }));
        expect(single(prod, env).inputs.zoneRedundant).toBe(true);
    });

    it("resolves the default domain privately: a linked zone with * and @ pointing at the static IP", async () => {
        let runtime: McpRuntime | undefined;
        const resources = await runUnderMocks(() => {
            runtime = new McpRuntime("rt", baseArgs());
        });
        const environment = single(resources, env);
        const domain: string = environment.outputs!.defaultDomain;
        expect(domain).toMatch(/^[a-z]+-[0-9a-f]{8}\.swedencentral\.azurecontainerapps\.io$/);
        expect(single(resources, "azure-native:privatedns:PrivateZone").inputs.privateZoneName).toBe(domain);
        expect(single(resources, "azure-native:privatedns:VirtualNetworkLink").inputs.virtualNetwork).toEqual({ id: baseArgs().vnetId });
        const records = ofType(resources, "azure-native:privatedns:PrivateRecordSet");
        expect(records.map((r) => r.inputs.relativeRecordSetName).sort()).toEqual(["*", "@"]);
        for (const record of records) {
            expect(record.inputs.recordType).toBe("A");
            expect(record.inputs.aRecords).toEqual([{ ipv4Address: environment.outputs!.staticIp }]);
        }
        const outputs = await new Promise((resolve) => pulumi.all([runtime!.defaultDomain, runtime!.environmentId]).apply(resolve));
        expect(outputs).toEqual([domain, environment.id]);
    });

    it("creates no sandbox unless asked", async () => {
        const resources = await runUnderMocks(() => new McpRuntime("rt", baseArgs()));
        expect(ofType(resources, "azure-native:app:ContainerAppsSessionPool")).toEqual([]);
    });

    describe("with the sandbox (dynamicSessions)", () => {
        const build = () => runUnderMocks(() => new McpRuntime("rt", { ...baseArgs(), sandbox }));

        it("runs sessions in their own internal environment on the sandbox subnet (A2)", async () => {
            const resources = await build();
            const environments = ofType(resources, env);
            expect(environments).toHaveLength(2);
            const sandboxEnv = single(resources, env, "sandbox-cae");
            expect(sandboxEnv.inputs.vnetConfiguration).toEqual({ internal: true, infrastructureSubnetId: sandbox.subnetId });
            const pool = single(resources, "azure-native:app:ContainerAppsSessionPool");
            expect(pool.inputs.environmentId).toBe(sandboxEnv.id);
        });

        it("disables session egress and bounds sessions (C10.1, C4.3)", async () => {
            const pool = single(await build(), "azure-native:app:ContainerAppsSessionPool");
            expect(pool.inputs.sessionNetworkConfiguration).toEqual({ status: "EgressDisabled" });
            expect(pool.inputs.poolManagementType).toBe("Dynamic");
            expect(pool.inputs.scaleConfiguration).toEqual({ maxConcurrentSessions: 10, readySessionInstances: 1 });
            expect(pool.inputs.dynamicPoolConfiguration).toEqual({ lifecycleConfiguration: { lifecycleType: "Timed", cooldownPeriodInSeconds: 300 } });
            expect(pool.inputs.customContainerTemplate.containers[0].resources).toEqual({ cpu: 0.5, memory: "1Gi" });
            expect(pool.outputs!.poolManagementEndpoint).toMatch(/^https:\/\/sp-mcp-test-[0-9a-f]{4}\.[a-z]+-[0-9a-f]{8}\.swedencentral\.azurecontainerapps\.io$/);
        });

        it("pulls the digest-pinned image with its own identity, which sessions cannot use (C12.1, C10.2)", async () => {
            const resources = await build();
            const pool = single(resources, "azure-native:app:ContainerAppsSessionPool");
            const identity = single(resources, "azure-native:managedidentity:UserAssignedIdentity");
            expect(pool.inputs.customContainerTemplate.containers[0].image).toBe(`crmcptest.azurecr.io/${sandbox.image}`);
            expect(pool.inputs.customContainerTemplate.registryCredentials).toEqual({ server: "crmcptest.azurecr.io", identity: identity.id });
            expect(pool.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [identity.id] });
            expect(pool.inputs.managedIdentitySettings).toEqual([{ identity: identity.id, lifecycle: "None" }]);
            const pull = single(resources, "azure-native:authorization:RoleAssignment");
            expect(pull.inputs.scope).toBe(sandbox.registry.id);
            expect(pull.inputs.roleDefinitionId).toContain(builtInRoles.acrPull);
            expect(pool.dependencies).toContain(pull.urn);
            expect(pool.inputs.secrets).toBeUndefined();
        });
    });
});
