import { testPlacement } from "../helpers/placement";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { McpWorkload, McpWorkloadArgs } from "../../components/workload";
import { acceptedIssuers, probes, secretEnvName, secretUrl, validateEnv, vaultSecretName } from "../../components/workload/settings";
import { builtInRoles } from "../../components/shared/roles";
import { runUnderMocks } from "../helpers/mocks";
import { ofType, single } from "../helpers/resources";

const sub = "00000000-0000-0000-0000-000000000001";
const rg = `/subscriptions/${sub}/resourceGroups/rg-mcp-test`;
const tenant = "11111111-1111-1111-1111-111111111111";
const image = `mcp/docs-server@sha256:${"b".repeat(64)}`;
const registryId = `${rg}/providers/Microsoft.ContainerRegistry/registries/crmcptest`;

const args = (overrides: Partial<McpWorkloadArgs["server"]> = {}): McpWorkloadArgs => ({
    placement: testPlacement({ tenantId: tenant, subscriptionId: sub }),
    diagnostics: { workspaceId: `${rg}/providers/Microsoft.OperationalInsights/workspaces/log` },
    server: { name: "docs", image, cpu: 0.5, memory: "1Gi", minReplicas: 1, maxReplicas: 3, port: 8080, secrets: ["upstream-token"], env: { LOG_LEVEL: "info" }, ...overrides },
    environmentId: `${rg}/providers/Microsoft.App/managedEnvironments/cae-mcp-test`,
    gatewaySubnetCidr: "10.40.1.0/24",
    registry: { id: registryId, loginServer: "crmcptest.azurecr.io" },
    keyVault: { name: "kv-mcp-test", uri: "https://kv-mcp-test.vault.azure.net/" },
    tenantId: tenant,
    backendApp: { clientId: "22222222-2222-2222-2222-222222222222", identifierUri: "api://mcp-docs-backend" },
    gatewayClientId: "33333333-3333-3333-3333-333333333333",
});

const build = (a: McpWorkloadArgs = args()) => runUnderMocks(() => new McpWorkload("docs", a));
const appOf = async (a?: McpWorkloadArgs) => {
    const resources = await build(a);
    return { resources, app: single(resources, "azure-native:app:ContainerApp"), identity: single(resources, "azure-native:managedidentity:UserAssignedIdentity") };
};
const roleOn = (resources: Awaited<ReturnType<typeof build>>, suffix: string) => single(resources, "azure-native:authorization:RoleAssignment", suffix);

describe("McpWorkload", () => {
    it("runs as its own user-assigned identity (C10.2)", async () => {
        const { app, identity } = await appOf();
        expect(identity.inputs.resourceName).toMatch(/^id-mcp-test-docs-[0-9a-f]{4}$/);
        expect(app.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [identity.id] });
    });

    it("pulls the digest-pinned image from the platform registry with that identity (C12.1)", async () => {
        const { app, identity } = await appOf();
        expect(app.inputs.template.containers[0].image).toBe(`crmcptest.azurecr.io/${image}`);
        expect(app.inputs.configuration.registries).toEqual([{ server: "crmcptest.azurecr.io", identity: identity.id }]);
    });

    it("accepts HTTPS only from the gateway subnet (C10.3, C3.1)", async () => {
        const { app } = await appOf();
        expect(app.inputs.configuration.ingress).toEqual({
            external: true, // VNet-reachable through the internal environment's load balancer only
            allowInsecure: false,
            transport: "http",
            targetPort: 8080,
            ipSecurityRestrictions: [{ name: "allow-gateway-subnet", action: "Allow", ipAddressRange: "10.40.1.0/24", description: expect.any(String) }],
        });
        expect(app.outputs!.configuration.ingress.fqdn).toMatch(/^ca-mcp-test-docs-[0-9a-f]{4}\./);
    });

    it("references every secret from Key Vault with its identity, never a value (C6.3)", async () => {
        const { app, identity } = await appOf();
        expect(app.inputs.configuration.secrets).toEqual([
            { name: "upstream-token", keyVaultUrl: "https://kv-mcp-test.vault.azure.net/secrets/docs-upstream-token", identity: identity.id },
        ]);
        expect(app.inputs.template.containers[0].env).toContainEqual({ name: "UPSTREAM_TOKEN", secretRef: "upstream-token" });
    });

    it("creates its secrets in the vault from a generated secret value, with content type and expiry", async () => {
        const { resources } = await appOf();
        const secret = single(resources, "azure-native:keyvault:Secret");
        expect(secret.inputs.secretName).toBe("docs-upstream-token");
        expect(secret.inputs.vaultName).toBe("kv-mcp-test");
        expect(secret.inputs.properties.value).toHaveLength(48);
        expect(secret.inputs.properties.contentType).toMatch(/^text\/plain/);
        expect(secret.inputs.properties.attributes.expires).toEqual(expect.any(Number));
        expect(single(resources, "random:index/randomPassword:RandomPassword").inputs.length).toBe(48);
    });

    it("creates its own HSM key", async () => {
        const { resources } = await appOf();
        const key = single(resources, "azure-native:keyvault:Key");
        expect(key.inputs.keyName).toBe("docs-data");
        expect(key.inputs.properties.kty).toBe("RSA-HSM");
    });

    it("tells the server its audience, issuers and the one allowed caller (M1, C7.2)", async () => {
        const { app } = await appOf();
        const env = app.inputs.template.containers[0].env;
        expect(env).toContainEqual({ name: "MCP_AUDIENCE", value: "api://mcp-docs-backend" });
        expect(env).toContainEqual({ name: "MCP_ACCEPTED_AUDIENCES", value: "22222222-2222-2222-2222-222222222222,api://mcp-docs-backend" });
        expect(env).toContainEqual({ name: "MCP_ISSUER", value: acceptedIssuers(tenant).join(",") });
        expect(env).toContainEqual({ name: "MCP_ALLOWED_CALLER", value: "33333333-3333-3333-3333-333333333333" });
        expect(env).toContainEqual({ name: "LOG_LEVEL", value: "info" });
    });

    it("bounds CPU, memory and replicas and scales on concurrent requests (C4.3)", async () => {
        const { app } = await appOf();
        expect(app.inputs.template.containers[0].resources).toEqual({ cpu: 0.5, memory: "1Gi" });
        expect(app.inputs.template.scale).toEqual({
            minReplicas: 1,
            maxReplicas: 3,
            rules: [{ name: "http-concurrency", http: { metadata: { concurrentRequests: "20" } } }],
        });
    });

    it("tells the server the browser origins the gateway admits, and reserves the name", async () => {
        const { app } = await appOf({ ...args(), allowedOrigins: ["https://vscode.dev", "https://app.contoso.com"] });
        expect(app.inputs.template.containers[0].env).toContainEqual({ name: "MCP_ALLOWED_ORIGINS", value: "https://vscode.dev,https://app.contoso.com" });
        expect((await appOf()).app.inputs.template.containers[0].env).toContainEqual({ name: "MCP_ALLOWED_ORIGINS", value: "" });
        expect(() => validateEnv("docs", { MCP_ALLOWED_ORIGINS: "*" }, [])).toThrow(/MCP_ALLOWED_ORIGINS/);
    });

    it("probes the server's own health path over HTTP when it declares one, else the port over TCP", async () => {
        const http = (await appOf(args({ healthPath: "/healthz" }))).app.inputs.template.containers[0].probes;
        expect(http.map((p: { httpGet?: { path: string } }) => p.httpGet?.path)).toEqual(["/healthz", "/healthz", "/healthz"]);
        const tcp = (await appOf()).app.inputs.template.containers[0].probes;
        expect(tcp.every((p: { tcpSocket?: unknown }) => p.tcpSocket !== undefined)).toBe(true);
    });

    it("has startup, liveness and readiness probes", async () => {
        const { app } = await appOf();
        expect(app.inputs.template.containers[0].probes.map((p: { type: string }) => p.type)).toEqual(["Startup", "Liveness", "Readiness"]);
        expect(probes(8080, "/healthz")[1].httpGet).toEqual({ port: 8080, path: "/healthz", scheme: "HTTP" });
        expect(probes(8080)[1].tcpSocket).toEqual({ port: 8080 });
    });

    it("grants AcrPull, Secrets User and Crypto User each on the single resource, and nothing privileged (C10.2)", async () => {
        const { resources, app, identity } = await appOf();
        const assignments = ofType(resources, "azure-native:authorization:RoleAssignment");
        expect(assignments).toHaveLength(3);
        const secret = single(resources, "azure-native:keyvault:Secret");
        const key = single(resources, "azure-native:keyvault:Key");
        expect(roleOn(resources, "acr-ra-acr-pull").inputs.scope).toBe(registryId);
        expect(roleOn(resources, "acr-ra-acr-pull").inputs.roleDefinitionId).toBe(`/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles.acrPull}`);
        expect(roleOn(resources, "secrets-user").inputs.scope).toBe(secret.id);
        expect(roleOn(resources, "secrets-user").inputs.roleDefinitionId).toContain(builtInRoles.keyVaultSecretsUser);
        expect(roleOn(resources, "crypto-user").inputs.scope).toBe(key.id);
        expect(roleOn(resources, "crypto-user").inputs.roleDefinitionId).toContain(builtInRoles.keyVaultCryptoUser);
        for (const assignment of assignments) {
            expect(assignment.inputs.principalId).toBe(identity.outputs!.principalId);
            expect(assignment.inputs.principalType).toBe("ServicePrincipal");
            expect(app.dependencies).toContain(assignment.urn);
        }
    });

    it("sends its metrics to the workspace", async () => {
        const { resources, app } = await appOf();
        const diag = single(resources, "azure-native:monitor:DiagnosticSetting");
        expect(diag.inputs.resourceUri).toBe(app.id);
        expect(diag.inputs.metrics).toEqual([{ category: "AllMetrics", enabled: true }]);
    });

    it("creates no secret, grant or random value for a server without secrets", async () => {
        const resources = await build(args({ secrets: [] }));
        expect(ofType(resources, "azure-native:keyvault:Secret")).toEqual([]);
        expect(ofType(resources, "azure-native:authorization:RoleAssignment")).toHaveLength(2);
        expect(single(resources, "azure-native:app:ContainerApp").inputs.configuration.secrets).toEqual([]);
    });

    it("exposes its FQDN, name and identity as outputs", async () => {
        let workload: McpWorkload | undefined;
        const resources = await runUnderMocks(() => {
            workload = new McpWorkload("docs", args());
        });
        const app = single(resources, "azure-native:app:ContainerApp");
        const [fqdn, clientId] = await new Promise<string[]>((resolve) => pulumi.all([workload!.fqdn, workload!.identity.clientId]).apply(resolve));
        expect(fqdn).toBe(app.outputs!.configuration.ingress.fqdn);
        expect(clientId).toBe(single(resources, "azure-native:managedidentity:UserAssignedIdentity").outputs!.clientId);
    });
});

describe("workload settings", () => {
    it.each([
        ["upstream-token", "UPSTREAM_TOKEN"],
        ["a-b-c", "A_B_C"],
    ])("names the env var of secret %s %s", (secret, env) => expect(secretEnvName(secret)).toBe(env));

    it("builds versionless secret URLs with or without a trailing slash on the vault URI", () => {
        expect(secretUrl("https://kv.vault.azure.net/", "s")).toBe("https://kv.vault.azure.net/secrets/s");
        expect(secretUrl("https://kv.vault.azure.net", "s")).toBe("https://kv.vault.azure.net/secrets/s");
        expect(vaultSecretName("docs", "token")).toBe("docs-token");
    });

    it("rejects env names that shadow the platform's variables or collide with a secret", () => {
        expect(() => validateEnv("docs", { MCP_AUDIENCE: "x" }, [])).toThrow(/MCP_AUDIENCE/);
        expect(() => validateEnv("docs", { UPSTREAM_TOKEN: "x" }, ["upstream-token"])).toThrow(/UPSTREAM_TOKEN/);
        expect(() => validateEnv("docs", { LOG_LEVEL: "info" }, ["upstream-token"])).not.toThrow();
    });
});
