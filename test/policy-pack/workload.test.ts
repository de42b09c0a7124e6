import { describe, expect, it } from "vitest";
import {
    azureContainerAppsAppConfigureHealthProbes,
    azureContainerAppsAppConfigurePrivateIngress,
    azureContainerAppsAppConfigureResourceLimits,
    azureContainerAppsAppDisallowLiteralSecrets,
    azureContainerAppsAppEnforceDigestImage,
    azureContainerAppsAppEnforcePlatformRegistry,
    azureContainerAppsAppEnforceUserAssignedIdentity,
    azureContainerAppsAppEnforceGatewayIngress,
} from "../../policy-pack/policies/workload";
import type { PlannedResource } from "../../tools/offline/types";
import { violationsOf } from "../helpers/policy";
import { planned } from "../helpers/resources";

const uai = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-docs";
const image = `crmcpdev.azurecr.io/mcp/docs@sha256:${"c".repeat(64)}`;

/** A compliant Container App as components/workload builds it; `patch` mutates a deep copy. */
function app(patch: (a: any) => void = () => {}, extra: Partial<PlannedResource> = {}): PlannedResource {
    const inputs: any = {
        identity: { type: "UserAssigned", userAssignedIdentities: [uai] },
        configuration: {
            ingress: { external: true, allowInsecure: false, targetPort: 8080, ipSecurityRestrictions: [{ name: "gw", action: "Allow", ipAddressRange: "10.40.1.0/24" }] },
            registries: [{ server: "crmcpdev.azurecr.io", identity: uai }],
            secrets: [{ name: "token", keyVaultUrl: "https://kv.vault.azure.net/secrets/docs-token", identity: uai }],
        },
        template: {
            containers: [
                {
                    name: "docs",
                    image,
                    resources: { cpu: 0.5, memory: "1Gi" },
                    probes: [{ type: "Startup" }, { type: "Liveness" }, { type: "Readiness" }],
                },
            ],
            scale: { minReplicas: 1, maxReplicas: 3 },
        },
    };
    patch(inputs);
    return planned("azure-native:app:ContainerApp", "ca", inputs, extra);
}
const pool = (inputs: Record<string, any> = {}) =>
    planned("azure-native:app:ContainerAppsSessionPool", "sp", {
        containerType: "CustomContainer",
        identity: { type: "UserAssigned", userAssignedIdentities: [uai] },
        customContainerTemplate: { containers: [{ name: "session", image, resources: { cpu: 0.5, memory: "1Gi" } }], registryCredentials: { server: "crmcpdev.azurecr.io", identity: uai } },
        scaleConfiguration: { maxConcurrentSessions: 10 },
        dynamicPoolConfiguration: { lifecycleConfiguration: { lifecycleType: "Timed", cooldownPeriodInSeconds: 300 } },
        ...inputs,
    });
const messages = async (policy: Parameters<typeof violationsOf>[0], resources: PlannedResource[], config?: Parameters<typeof violationsOf>[2]) =>
    (await violationsOf(policy, resources, config)).map((v) => v.message);

describe("azure-containerapps-app-configure-private-ingress (C10.3, A2, C3.1)", () => {
    const policy = azureContainerAppsAppConfigurePrivateIngress;
    const controls = "(C10.3, A2, C3.1)";
    it("accepts HTTPS ingress allowing only the gateway subnet", async () => {
        expect(await messages(policy, [app()])).toEqual([]);
    });
    it("accepts an app without ingress (unreachable)", async () => {
        expect(await messages(policy, [app((a) => delete a.configuration.ingress)])).toEqual([]);
    });
    it("rejects insecure HTTP", async () => {
        expect(await messages(policy, [app((a) => (a.configuration.ingress.allowInsecure = true))])).toEqual([`ContainerApp ca must refuse plain HTTP (ingress.allowInsecure: false) ${controls}.`]);
    });
    it("rejects ingress that leaves allowInsecure unset", async () => {
        expect(await messages(policy, [app((a) => delete a.configuration.ingress.allowInsecure)])).toHaveLength(1);
    });
    it("rejects ingress without IP restrictions (unset)", async () => {
        expect(await messages(policy, [app((a) => delete a.configuration.ingress.ipSecurityRestrictions)])).toEqual([
            `ContainerApp ca must restrict ingress to the gateway subnet (ingress.ipSecurityRestrictions allow-list) ${controls}.`,
        ]);
    });
    it("rejects a deny-list, which lets every other source in", async () => {
        const denyList = [{ name: "bad", action: "Deny", ipAddressRange: "10.0.0.0/8" }];
        expect(await messages(policy, [app((a) => (a.configuration.ingress.ipSecurityRestrictions = denyList))])).toHaveLength(1);
    });
    it.each(["0.0.0.0/0", "52.1.2.0/24", "not-a-cidr", "172.32.0.0/16"])("rejects an allow rule for the non-private range %s", async (range) => {
        const rules = [{ name: "gw", action: "Allow", ipAddressRange: range }];
        expect(await messages(policy, [app((a) => (a.configuration.ingress.ipSecurityRestrictions = rules))])).toEqual([
            `ContainerApp ca must allow only private source ranges such as the gateway subnet (got ${range}) ${controls}.`,
        ]);
    });
});

describe("azure-containerapps-app-enforce-digest-image (C12.1, C12.3)", () => {
    const policy = azureContainerAppsAppEnforceDigestImage;
    it("accepts an ACR image pinned by digest, for apps and session pools", async () => {
        expect(await messages(policy, [app(), pool()])).toEqual([]);
    });
    it.each([
        ["a tag", "crmcpdev.azurecr.io/mcp/docs:1.2.3"],
        ["a public registry", `docker.io/library/python@sha256:${"c".repeat(64)}`],
        ["no registry host", `mcp/docs@sha256:${"c".repeat(64)}`],
        ["a short digest", "crmcpdev.azurecr.io/mcp/docs@sha256:abc"],
    ])("rejects %s", async (_what, bad) => {
        expect(await messages(policy, [app((a) => (a.template.containers[0].image = bad))])).toEqual([
            `ContainerApp ca must pin container docs to <registry>.azurecr.io/<repository>@sha256:<digest> (got ${bad}) (C12.1, C12.3).`,
        ]);
    });
    it("checks init containers too", async () => {
        expect(await messages(policy, [app((a) => (a.template.initContainers = [{ name: "init", image: "busybox:latest" }]))])).toHaveLength(1);
    });
    it("rejects a container without an image and an app without containers (unset)", async () => {
        expect(await messages(policy, [app((a) => delete a.template.containers[0].image)])).toHaveLength(1);
        expect(await messages(policy, [app((a) => delete a.template)])).toHaveLength(1);
    });
    it("rejects a session pool with a tagged image", async () => {
        const bad = pool({ customContainerTemplate: { containers: [{ name: "session", image: "crmcpdev.azurecr.io/s:latest" }] } });
        expect(await messages(policy, [bad])).toHaveLength(1);
    });
});

describe("azure-containerapps-app-enforce-platform-registry (C12.1, C12.3)", () => {
    const policy = azureContainerAppsAppEnforcePlatformRegistry;
    const registry = planned("azure-native:containerregistry:Registry", "cr", { registryName: "crmcpdev" });
    it("accepts an app whose image comes from the stack's registry", async () => {
        expect(await messages(policy, [registry, app(undefined, { propertyDependencies: { template: [registry.urn] } })])).toEqual([]);
    });
    it("rejects an app whose image host is another registry", async () => {
        const other = app((a) => (a.template.containers[0].image = image.replace("crmcpdev", "crsomeoneelse")), { propertyDependencies: { template: [registry.urn] } });
        expect(await messages(policy, [registry, other])).toEqual([
            "ContainerApp ca must pull its images from the platform registry crmcpdev.azurecr.io (got crsomeoneelse.azurecr.io) (C12.1, C12.3).",
        ]);
    });
    it("rejects an app whose image does not come from a registry of the stack (unset dependency)", async () => {
        expect(await messages(policy, [registry, app()])).toEqual(["ContainerApp ca must pull its images from the platform registry created by this stack (C12.1, C12.3)."]);
    });
});

describe("azure-containerapps-app-enforce-user-assigned-identity (C10.2, C12.3)", () => {
    const policy = azureContainerAppsAppEnforceUserAssignedIdentity;
    it("accepts an app and a pool with their own user-assigned identity", async () => {
        expect(await messages(policy, [app(), pool()])).toEqual([]);
    });
    it("rejects a system-assigned identity alone", async () => {
        expect(await messages(policy, [app((a) => (a.identity = { type: "SystemAssigned" }))])).toEqual(["ContainerApp ca must run as a user-assigned identity of its own (C10.2, C12.3)."]);
    });
    it("rejects an app without identity (unset)", async () => {
        expect(await messages(policy, [app((a) => delete a.identity)])).toHaveLength(1);
    });
    it("rejects a registry pulled with a password or the system identity", async () => {
        expect(await messages(policy, [app((a) => (a.configuration.registries = [{ server: "x.azurecr.io", username: "u", passwordSecretRef: "pw" }]))])).toEqual([
            "ContainerApp ca must pull from x.azurecr.io with its managed identity, not a password (C10.2, C12.3).",
        ]);
        expect(await messages(policy, [app((a) => (a.configuration.registries = [{ server: "x.azurecr.io", identity: "system" }]))])).toHaveLength(1);
    });
});

describe("azure-containerapps-app-configure-resource-limits (C4.3, C10.1)", () => {
    const policy = azureContainerAppsAppConfigureResourceLimits;
    it("accepts limits within the default caps, for apps and pools", async () => {
        expect(await messages(policy, [app(), pool()])).toEqual([]);
    });
    it("rejects CPU, memory and replicas above the caps", async () => {
        const big = app((a) => {
            a.template.containers[0].resources = { cpu: 8, memory: "16Gi" };
            a.template.scale.maxReplicas = 100;
        });
        expect(await messages(policy, [big])).toEqual([
            "ContainerApp ca must limit container docs to at most 4 vCPU (got 8) (C4.3, C10.1).",
            "ContainerApp ca must limit container docs to at most 8Gi memory (got 16Gi) (C4.3, C10.1).",
            "ContainerApp ca must bound its replicas to at most 30 (template.scale.maxReplicas, got 100) (C4.3, C10.1).",
        ]);
    });
    it("takes lower caps from the pack config", async () => {
        const config = { "azure-containerapps-app-configure-resource-limits": { maxCpu: 0.25, maxMemoryGi: 0.5, maxReplicas: 2 } };
        expect(await messages(policy, [app()], config)).toHaveLength(3);
    });
    it("rejects absent resources and replica bounds (unset)", async () => {
        const unset = app((a) => {
            delete a.template.containers[0].resources;
            delete a.template.scale;
        });
        expect(await messages(policy, [unset])).toHaveLength(4);
    });
    it("rejects minReplicas above maxReplicas and unparseable memory", async () => {
        expect(await messages(policy, [app((a) => (a.template.scale.minReplicas = 5))])).toHaveLength(1);
        expect(await messages(policy, [app((a) => (a.template.containers[0].resources.memory = "lots"))])).toHaveLength(1);
    });
    it("rejects a session pool without session bounds", async () => {
        expect(await messages(policy, [pool({ scaleConfiguration: undefined, dynamicPoolConfiguration: undefined })])).toEqual([
            "ContainerAppsSessionPool sp must bound concurrent sessions to at most 600 (scaleConfiguration.maxConcurrentSessions, got none) (C4.3, C10.1).",
            "ContainerAppsSessionPool sp must bound each session's lifetime (lifecycleConfiguration cooldownPeriodInSeconds or maxAlivePeriodInSeconds) (C4.3, C10.1).",
        ]);
    });
    it.each<[string, Record<string, unknown>, string]>([
        ["more concurrent sessions than Azure allows", { scaleConfiguration: { maxConcurrentSessions: 10_000 } }, "bound concurrent sessions to at most 600"],
        ["a day-long session cooldown", { dynamicPoolConfiguration: { lifecycleConfiguration: { lifecycleType: "Timed", cooldownPeriodInSeconds: 86_400 } } }, "end each session within 3600 seconds"],
        ["a week-long maximum session life", { dynamicPoolConfiguration: { lifecycleConfiguration: { lifecycleType: "OnContainerExit", maxAlivePeriodInSeconds: 604_800 } } }, "end each session within 3600 seconds"],
    ])("rejects a session pool with %s", async (_what, inputs, expected) => {
        expect(await messages(policy, [pool(inputs)])).toEqual([expect.stringContaining(expected)]);
    });
    it.each<[string, (a: any) => void, string]>([
        ["64 vCPU", (a) => (a.template.containers[0].resources.cpu = 64), "at most 4 vCPU"],
        ["256Gi memory", (a) => (a.template.containers[0].resources.memory = "256Gi"), "at most 8Gi memory"],
        ["1000 replicas", (a) => (a.template.scale.maxReplicas = 1000), "at most 30"],
    ])("rejects an app with %s", async (_what, patch, expected) => {
        expect(await messages(policy, [app(patch)])).toEqual([expect.stringContaining(expected)]);
    });
});

describe("azure-containerapps-app-configure-health-probes (C10.4, C4.3)", () => {
    const policy = azureContainerAppsAppConfigureHealthProbes;
    it("accepts liveness and readiness probes", async () => {
        expect(await messages(policy, [app()])).toEqual([]);
    });
    it("rejects a container without a readiness probe", async () => {
        expect(await messages(policy, [app((a) => (a.template.containers[0].probes = [{ type: "Liveness" }]))])).toEqual([
            "ContainerApp ca must probe container docs (missing Readiness) (C10.4, C4.3).",
        ]);
    });
    it("rejects a container without probes (unset)", async () => {
        expect(await messages(policy, [app((a) => delete a.template.containers[0].probes)])).toEqual([
            "ContainerApp ca must probe container docs (missing Liveness and Readiness) (C10.4, C4.3).",
        ]);
    });
});

describe("azure-containerapps-app-disallow-literal-secrets (C6.3)", () => {
    const policy = azureContainerAppsAppDisallowLiteralSecrets;
    it("accepts Key Vault references and a pool without secrets", async () => {
        expect(await messages(policy, [app(), pool()])).toEqual([]);
    });
    it("rejects a literal secret value", async () => {
        expect(await messages(policy, [app((a) => (a.configuration.secrets = [{ name: "token", value: "hunter2" }]))])).toEqual([
            "ContainerApp ca must not hold a literal value for secret token; reference Key Vault instead (C6.3).",
        ]);
    });
    it("rejects a reference without an identity (unset)", async () => {
        expect(await messages(policy, [app((a) => delete a.configuration.secrets[0].identity)])).toEqual([
            "ContainerApp ca must reference secret token from Key Vault with its identity (keyVaultUrl and identity) (C6.3).",
        ]);
    });
    it("rejects a session pool with secrets", async () => {
        expect(await messages(policy, [pool({ secrets: [{ name: "s", value: "v" }] })])).toHaveLength(1);
    });
});

describe("azure-containerapps-app-enforce-gateway-ingress (C10.3, A2, A1)", () => {
    const policy = azureContainerAppsAppEnforceGatewayIngress;
    const subnet = planned("azure-native:network:Subnet", "snet-gateway", { addressPrefix: "10.40.1.0/24" });
    const apim = planned("azure-native:apimanagement:ApiManagementService", "apim", { virtualNetworkType: "Internal" }, { propertyDependencies: { virtualNetworkConfiguration: [subnet.urn] } });
    const range = (r: string) => app((a) => (a.configuration.ingress.ipSecurityRestrictions[0].ipAddressRange = r));
    it("accepts an allow-list of the API Management subnet (or a part of it)", async () => {
        expect(await messages(policy, [app(), subnet, apim])).toEqual([]);
        expect(await messages(policy, [range("10.40.1.16/28"), subnet, apim])).toEqual([]);
    });
    it.each([
        ["every private range", "10.0.0.0/8"],
        ["a neighbouring subnet", "10.40.2.0/24"],
        ["a range that contains the gateway subnet", "10.40.0.0/16"],
        ["an unparseable range", "gateway"],
    ])("rejects %s", async (_what, r) => {
        expect(await messages(policy, [range(r), subnet, apim])).toEqual([expect.stringContaining("admit only the gateway subnet 10.40.1.0/24")]);
    });
    it("fails closed when the gateway subnet cannot be determined, and uses the declared prefix when there is one", async () => {
        expect(await messages(policy, [app()])).toEqual([expect.stringContaining("cannot be evaluated")]);
        const platform = planned("mcp:platform:McpPlatform", "platform", { gatewaySubnetPrefix: "10.40.1.0/24" }, { custom: false });
        expect(await messages(policy, [app(), platform])).toEqual([]);
    });
});

describe("azure-containerapps-app-disallow-literal-secrets: plaintext credentials in env", () => {
    const policy = azureContainerAppsAppDisallowLiteralSecrets;
    const withEnv = (env: Record<string, string>) => app((a) => (a.template.containers[0].env = [env]));
    it("accepts plain settings and secret references", async () => {
        expect(await messages(policy, [withEnv({ name: "MCP_DATA_KEY_ID", value: "https://kv.vault.azure.net/keys/docs-data" })])).toEqual([]);
        expect(await messages(policy, [withEnv({ name: "DB_PASSWORD", secretRef: "token" })])).toEqual([]);
    });
    it.each([
        ["a password", { name: "DB_PASSWORD", value: "hunter2" }],
        ["an API key", { name: "UPSTREAM_API_KEY", value: "0123456789" }],
        ["a connection string with a key", { name: "STORAGE", value: "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc==" }],
        ["a SAS URL", { name: "BLOB", value: "https://x.blob.core.windows.net/c?sv=2024&sig=abc" }],
    ])("rejects %s", async (_what, env) => {
        expect(await messages(policy, [withEnv(env)])).toEqual([expect.stringContaining("not carry a credential in plain text")]);
    });
});
