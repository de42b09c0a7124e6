import { beforeAll, describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { createHsmKey, createVaultSecret, McpKeyVault, McpKeyVaultArgs, validateKeyPurposes } from "../../components/keyvault";
import { durationDays, expiryTimestamp, validateKeyLifetime, validateSecretLifetime } from "../../components/keyvault/rotation";
import { builtInRoles } from "../../components/shared/roles";
import { runUnderMocks } from "../helpers/mocks";
import type { PlannedResource } from "../../tools/offline/types";
import * as keyvaultPolicies from "../../policy-pack/policies/keyvault";
import { McpPolicy } from "../../policy-pack/lib/policy";
import { testPlacement, testTags } from "../helpers/placement";
import { violationsOf } from "../helpers/policy";
import { ofType, single } from "../helpers/resources";

const tags = testTags;
const placement = testPlacement;
const workspaceId = "/subscriptions/1111/resourceGroups/rg-mcp-test/providers/Microsoft.OperationalInsights/workspaces/log-mcp-test";
const subnetId = "/subscriptions/1111/resourceGroups/rg-mcp-test/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-pe";
const zoneId = "/subscriptions/1111/resourceGroups/rg-mcp-test/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net";
const tenantId = "22222222-2222-2222-2222-222222222222";

function build(overrides: Partial<McpKeyVaultArgs> = {}): Promise<PlannedResource[]> {
    return runUnderMocks(() => {
        new McpKeyVault("kv", {
            placement: placement(),
            diagnostics: { workspaceId },
            privateEndpoint: { subnetId, privateDnsZoneId: zoneId },
            tenantId,
            keys: ["registry-cmk", "data"],
            ...overrides,
        });
    });
}

describe("McpKeyVault (C6.1–C6.3, C3.2)", () => {
    let resources: PlannedResource[];
    beforeAll(async () => {
        resources = await build();
    });

    it("creates a Premium vault with RBAC, purge protection, 90-day soft delete and no public access", () => {
        const vault = single(resources, "azure-native:keyvault:Vault");
        expect(vault.inputs.properties).toMatchObject({
            tenantId,
            sku: { family: "A", name: "premium" },
            enableRbacAuthorization: true,
            enablePurgeProtection: true,
            enableSoftDelete: true,
            softDeleteRetentionInDays: 90,
            publicNetworkAccess: "Disabled",
            networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [], virtualNetworkRules: [] },
            enabledForTemplateDeployment: false,
        });
        expect(vault.inputs.properties.accessPolicies).toBeUndefined();
        expect(vault.inputs.vaultName.length).toBeLessThanOrEqual(24);
        expect(vault.inputs.tags).toEqual(tags);
        expect(vault.opts.protect).toBe(false);
    });

    it("reaches the vault only through a private endpoint (sub-resource vault) with a DNS zone group", () => {
        const vault = single(resources, "azure-native:keyvault:Vault");
        const pep = single(resources, "azure-native:network:PrivateEndpoint");
        expect(pep.inputs.subnet).toMatchObject({ id: subnetId });
        expect(pep.inputs.privateLinkServiceConnections).toEqual([expect.objectContaining({ privateLinkServiceId: vault.id, groupIds: ["vault"] })]);
        expect(single(resources, "azure-native:network:PrivateDnsZoneGroup").inputs.privateDnsZoneConfigs).toEqual([{ name: "vault", privateDnsZoneId: zoneId }]);
    });

    it("sends the vault's audit logs and metrics to the workspace", () => {
        const vault = single(resources, "azure-native:keyvault:Vault");
        const setting = single(resources, "azure-native:monitor:DiagnosticSetting");
        expect(setting.inputs).toMatchObject({ resourceUri: vault.id, workspaceId, logs: [{ categoryGroup: "allLogs", enabled: true }] });
    });

    it("creates one RSA-HSM 3072 key per purpose with a rotation policy that rotates 30 days before a one-year expiry", () => {
        const keys = ofType(resources, "azure-native:keyvault:Key");
        expect(keys.map((k) => k.inputs.keyName).sort()).toEqual(["data", "registry-cmk"]);
        for (const key of keys) {
            expect(key.inputs.properties).toMatchObject({
                kty: "RSA-HSM",
                keySize: 3072,
                keyOps: ["wrapKey", "unwrapKey"],
                attributes: { enabled: true, exportable: false },
                rotationPolicy: {
                    attributes: { expiryTime: "P1Y" },
                    lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeBeforeExpiry: "P30D" } }],
                },
            });
            const expires = key.inputs.properties.attributes.expires;
            const inAYear = expiryTimestamp(new Date(), 365);
            expect(Math.abs(expires - inAYear)).toBeLessThan(600);
        }
    });

    it("grants the deployer no data-plane role on the vault", () => {
        expect(ofType(resources, "azure-native:authorization:RoleAssignment")).toEqual([]);
    });

    it("creates no Managed HSM unless asked", () => {
        expect(ofType(resources, "azure-native:keyvault:ManagedHsm")).toEqual([]);
    });

    it("passes every Key Vault policy", async () => {
        for (const policy of Object.values(keyvaultPolicies) as McpPolicy[]) {
            if (typeof policy !== "object" || !("validateResource" in policy || "validateStack" in policy)) continue;
            expect(await violationsOf(policy, resources)).toEqual([]);
        }
    });
});

describe("McpKeyVault options", () => {
    it("protects the vault and its keys in prod", async () => {
        const resources = await build({ protect: true });
        expect(single(resources, "azure-native:keyvault:Vault").opts.protect).toBe(true);
        expect(ofType(resources, "azure-native:keyvault:Key").every((k) => k.opts.protect)).toBe(true);
    });

    it("creates EC-HSM P-384 keys when asked", async () => {
        const resources = await build({ keys: ["signing"], keyType: "EC-HSM" });
        expect(single(resources, "azure-native:keyvault:Key").inputs.properties).toMatchObject({ kty: "EC-HSM", curveName: "P-384", keyOps: ["sign", "verify"] });
    });

    it("grants the roles it is given on the vault", async () => {
        const resources = await build({
            roleAssignments: [{ principalId: "33333333-3333-3333-3333-333333333333", principalType: "ServicePrincipal", roleDefinitionId: builtInRoles.keyVaultSecretsUser, role: "secrets-user" }],
        });
        const assignment = single(resources, "azure-native:authorization:RoleAssignment");
        expect(assignment.inputs.scope).toBe(single(resources, "azure-native:keyvault:Vault").id);
        expect(assignment.inputs.roleDefinitionId).toMatch(new RegExp(`${builtInRoles.keyVaultSecretsUser}$`));
    });

    it("creates a private, purge-protected Managed HSM behind the flag", async () => {
        const hsmZone = "/subscriptions/1111/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.managedhsm.azure.net";
        const resources = await build({ managedHsm: { initialAdminObjectIds: ["44444444-4444-4444-4444-444444444444"], privateDnsZoneId: hsmZone }, protect: true });
        const hsm = single(resources, "azure-native:keyvault:ManagedHsm");
        expect(hsm.inputs.properties).toMatchObject({
            enablePurgeProtection: true,
            softDeleteRetentionInDays: 90,
            publicNetworkAccess: "Disabled",
            networkAcls: { defaultAction: "Deny" },
            initialAdminObjectIds: ["44444444-4444-4444-4444-444444444444"],
        });
        expect(hsm.opts.protect).toBe(true);
        const pep = single(resources, "azure-native:network:PrivateEndpoint", "hsm-pep");
        expect(pep.inputs.privateLinkServiceConnections[0]).toMatchObject({ privateLinkServiceId: hsm.id, groupIds: ["managedhsm"] });
        expect(await violationsOf(keyvaultPolicies.azureKeyvaultVaultMissingPrivateEndpoint, resources)).toEqual([]);
    });

    it("refuses a repeated or invalid purpose before creating anything", () => {
        expect(() => validateKeyPurposes(["data", "Data"])).toThrow('keys got "Data" twice');
        expect(() => validateKeyPurposes(["bad_name"])).toThrow('keys got "bad_name"');
    });
});

describe("createHsmKey and createVaultSecret", () => {
    const vault = { name: "kv-mcp-test-abcd", resourceGroupName: "rg-mcp-test" };

    it("stamps the first key version's expiry once and leaves later ones to the rotation policy", async () => {
        const resources = await runUnderMocks(() => {
            const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
            createHsmKey(parent, "k", { vault, keyName: "cmk", keySize: 4096, lifetime: { expiresAfter: "P180D", rotateBeforeExpiry: "P14D" }, tags });
        });
        const key = single(resources, "azure-native:keyvault:Key");
        expect(key.inputs.tags).toEqual(tags);
        expect(key.inputs.properties).toMatchObject({ keySize: 4096, rotationPolicy: { attributes: { expiryTime: "P180D" } } });
        expect(key.outputs?.keyUri).toBe("https://kv-mcp-test-abcd.vault.azure.net/keys/cmk");
    });

    it("rejects a key lifetime over a year or a rotation after expiry", () => {
        expect(() => createHsmKey(undefined as never, "k", { vault, keyName: "cmk", lifetime: { expiresAfter: "P2Y", rotateBeforeExpiry: "P30D" }, tags })).toThrow(
            "key cmk: expiresAfter got \"P2Y\"",
        );
        expect(() => validateKeyLifetime("cmk", { expiresAfter: "P90D", rotateBeforeExpiry: "P90D" })).toThrow("rotateBeforeExpiry got \"P90D\"");
    });

    it("writes a secret as a secret, with a content type and an expiry", async () => {
        const resources = await runUnderMocks(() => {
            const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
            createVaultSecret(parent, "s", { vault, secretName: "api-key", value: pulumi.secret("s3cr3t"), contentType: "text/plain", expiresInDays: 90, tags });
        });
        const secret = single(resources, "azure-native:keyvault:Secret");
        expect(secret.inputs.properties).toMatchObject({ contentType: "text/plain", attributes: { enabled: true } });
        expect(Math.abs(secret.inputs.properties.attributes.expires - expiryTimestamp(new Date(), 90))).toBeLessThan(600);
        expect(secret.outputs?.properties?.value).toBeUndefined();
        expect(secret.outputs?.properties?.secretUri).toBe("https://kv-mcp-test-abcd.vault.azure.net/secrets/api-key");
        expect(await violationsOf(keyvaultPolicies.azureKeyvaultSecretConfigureExpiry, resources)).toEqual([]);
    });

    it("rejects a secret without content type or with a lifetime outside 1–365 days", () => {
        const value = pulumi.output("x");
        expect(() => createVaultSecret(undefined as never, "s", { vault, secretName: "a", value, contentType: " ", expiresInDays: 30, tags })).toThrow("contentType");
        expect(() => validateSecretLifetime("a", 0)).toThrow("expiresInDays got 0");
        expect(() => validateSecretLifetime("a", 400)).toThrow("expiresInDays got 400");
    });
});

describe("durationDays", () => {
    it.each([
        ["P1Y", 365],
        ["P12M", 360],
        ["P30D", 30],
        ["P4W", 28],
        ["P1Y30D", 395],
    ])("reads %s as %i days", (duration, days) => {
        expect(durationDays(duration)).toBe(days);
    });

    it.each(["P", "PT1H", "1Y", "", "P1.5Y"])("rejects %j", (duration) => {
        expect(durationDays(duration)).toBeUndefined();
    });
});

describe("expiryTimestamp", () => {
    it("counts from the start of the UTC day, so every run of a day plans the same expiry", () => {
        const morning = expiryTimestamp(new Date("2026-03-01T00:00:01Z"), 1);
        const evening = expiryTimestamp(new Date("2026-03-01T23:59:59Z"), 1);
        expect(morning).toBe(evening);
        expect(new Date(morning * 1000).toISOString()).toBe("2026-03-02T00:00:00.000Z");
    });
});
