import { testPlacement } from "../helpers/placement";
import { describe, expect, it } from "vitest";
import { McpIdentity, McpIdentityArgs, McpIdentityServerArgs } from "../../components/identity";
import {
    getIdentifierUri,
    getPreAuthorizations,
    getServerAppRoles,
    getStableId,
    mfaAuthenticationStrengthId,
    splitRedirectUris,
    validateIdentityArgs,
} from "../../components/identity/entra";
import { createNaming } from "../../components/shared/naming";
import { entraTypes } from "../../policy-pack/policies/identity";
import * as identityPolicies from "../../policy-pack/policies/identity";
import { evaluate } from "../../tools/offline/evaluate";
import { runUnderMocks } from "../helpers/mocks";
import type { PlannedResource } from "../../tools/offline/types";
import { ofType, planned, single } from "../helpers/resources";

const tenantId = "11111111-2222-3333-4444-555555555555";
const publicBaseUrl = "https://mcp.contoso.com";
const naming = createNaming({ project: "mcp-platform", stack: "test", tenantId, location: "swedencentral", workload: "mcp" });
const placement = { ...testPlacement({ tenantId, subscriptionId: "sub" }), naming };
const servers: McpIdentityServerArgs[] = [
    { name: "docs", tools: { search_docs: "Docs.Read", get_page: "Docs.Read", update_page: "Docs.Write" } },
    { name: "tickets", tools: { list_tickets: "Tickets.Read" } },
];
const clientApps = [
    { name: "vscode", redirectUris: ["http://127.0.0.1:33418/", "https://vscode.dev/redirect"], servers: ["docs"] },
    { name: "cli", redirectUris: ["http://localhost:8400/"], servers: ["docs", "tickets"] },
];

function synth(overrides: Partial<McpIdentityArgs> = {}): Promise<PlannedResource[]> {
    return runUnderMocks(() => {
        new McpIdentity("id", { placement, tenantId, publicBaseUrl, servers, clientApps, ...overrides });
    });
}

describe("McpIdentity", () => {
    it("gives every server an API app with v2 tokens, an identifier URI, an admin-consent scope and one role per tool group", async () => {
        const api = single(await synth(), entraTypes.application, "id-docs-api").inputs;
        expect(api.signInAudience).toBe("AzureADMyOrg");
        expect(api.api.requestedAccessTokenVersion).toBe(2);
        // Issue 17: the identifier URI is the URL clients connect to and send as RFC 8707 `resource`.
        expect(api.identifierUris).toEqual(["https://mcp.contoso.com/mcp/docs"]);
        expect(api.api.oauth2PermissionScopes).toEqual([
            expect.objectContaining({ id: getStableId("docs", "scope", "mcp.access"), value: "mcp.access", type: "Admin", enabled: true }),
        ]);
        expect(api.appRoles.map((r: any) => [r.value, r.allowedMemberTypes, r.id])).toEqual([
            ["Docs.Read", ["User", "Application"], getStableId("docs", "role", "Docs.Read")],
            ["Docs.Write", ["User", "Application"], getStableId("docs", "role", "Docs.Write")],
        ]);
    });

    it("requires assignment on every service principal it creates", async () => {
        const principals = ofType(await synth(), entraTypes.servicePrincipal);
        expect(principals.map((p) => p.name).sort()).toEqual([
            "id-cli-client-sp",
            "id-docs-api-sp",
            "id-docs-backend-sp",
            "id-tickets-api-sp",
            "id-tickets-backend-sp",
            "id-vscode-client-sp",
        ]);
        for (const p of principals) expect(p.inputs.appRoleAssignmentRequired).toBe(true);
    });

    it("gives the gateway's user-assigned identity, and only it, the backend app's invoke role", async () => {
        const resources = await synth();
        const identity = single(resources, "azure-native:managedidentity:UserAssignedIdentity");
        expect(identity.inputs.resourceName).toBe(`id-mcp-test-apim-${naming.suffix}`);
        expect(identity.inputs.tags).toEqual(placement.tags);
        const backend = single(resources, entraTypes.application, "id-docs-backend").inputs;
        expect(backend.api.requestedAccessTokenVersion).toBe(2);
        expect(backend.identifierUris).toEqual([`api://${tenantId}/app-mcp-test-docs-backend-${naming.suffix}`]);
        expect(backend.appRoles).toEqual([expect.objectContaining({ value: "Gateway.Invoke", allowedMemberTypes: ["Application"] })]);
        const assignments = ofType(resources, "azuread:index/appRoleAssignment:AppRoleAssignment");
        expect(assignments).toHaveLength(2);
        const docs = single(resources, "azuread:index/appRoleAssignment:AppRoleAssignment", "id-docs-gateway-invoke");
        expect(docs.inputs.appRoleId).toBe(backend.appRoles[0].id);
        expect(docs.inputs.principalObjectId).toBe(identity.outputs?.principalId);
        expect(docs.inputs.resourceObjectId).toBe(single(resources, entraTypes.servicePrincipal, "id-docs-backend-sp").outputs?.objectId);
    });

    it("pre-authorises a client only on the servers its allow-list names, with that server's scope", async () => {
        const resources = await synth();
        const pre = ofType(resources, entraTypes.preAuthorized);
        expect(pre.map((p) => p.name).sort()).toEqual(["id-docs-preauth-cli", "id-docs-preauth-vscode", "id-tickets-preauth-cli"]);
        const ticketsForCli = single(resources, entraTypes.preAuthorized, "id-tickets-preauth-cli").inputs;
        expect(ticketsForCli.permissionIds).toEqual([getStableId("tickets", "scope", "mcp.access")]);
        expect(ticketsForCli.applicationId).toBe(single(resources, entraTypes.application, "id-tickets-api").id);
        expect(ticketsForCli.authorizedClientId).toBe(single(resources, entraTypes.application, "id-cli-client").outputs?.clientId);
    });

    it("pre-authorises nobody when no client app is configured", async () => {
        expect(ofType(await synth({ clientApps: [] }), entraTypes.preAuthorized)).toEqual([]);
    });

    it("registers clients as PKCE public clients without any password credential", async () => {
        const resources = await synth();
        const vscode = single(resources, entraTypes.application, "id-vscode-client").inputs;
        expect(vscode.publicClient.redirectUris).toEqual(["http://127.0.0.1:33418/"]);
        expect(vscode.singlePageApplication.redirectUris).toEqual(["https://vscode.dev/redirect"]);
        expect(vscode.fallbackPublicClientEnabled).toBe(false);
        expect(vscode.web).toBeUndefined();
        expect(vscode.requiredResourceAccesses).toEqual([
            { resourceAppId: single(resources, entraTypes.application, "id-docs-api").outputs?.clientId, resourceAccesses: [{ id: getStableId("docs", "scope", "mcp.access"), type: "Scope" }] },
        ]);
        expect(ofType(resources, entraTypes.applicationPassword)).toEqual([]);
        expect(ofType(resources, entraTypes.servicePrincipalPassword)).toEqual([]);
        for (const app of ofType(resources, entraTypes.application)) expect(app.inputs.password).toBeUndefined();
    });

    it("creates a security-enabled admin group owned by the deploying principal", async () => {
        const group = single(await synth(), entraTypes.group).inputs;
        expect(group).toMatchObject({ securityEnabled: true, mailEnabled: false, displayName: `grp-mcp-test-admins-${naming.suffix}` });
        expect(group.owners).toHaveLength(1);
    });

    it("creates no Conditional Access policy while the optional control is off", async () => {
        expect(ofType(await synth(), entraTypes.conditionalAccessPolicy)).toEqual([]);
    });

    it("requires the MFA authentication strength for the admin group on all apps and for all users on the MCP API apps", async () => {
        const resources = await synth({ conditionalAccess: { state: "enabledForReportingButNotEnforced" } });
        const admins = single(resources, entraTypes.conditionalAccessPolicy, "id-ca-admins").inputs;
        const apis = single(resources, entraTypes.conditionalAccessPolicy, "id-ca-mcp-apis").inputs;
        for (const policy of [admins, apis]) {
            expect(policy.state).toBe("enabledForReportingButNotEnforced");
            expect(policy.grantControls).toEqual({ operator: "OR", authenticationStrengthPolicyId: mfaAuthenticationStrengthId });
        }
        expect(admins.conditions.users.includedGroups).toEqual([single(resources, entraTypes.group).outputs?.objectId]);
        expect(admins.conditions.applications.includedApplications).toEqual(["All"]);
        expect(apis.conditions.users.includedUsers).toEqual(["All"]);
        expect(apis.conditions.applications.includedApplications).toEqual(
            ["id-docs-api", "id-tickets-api"].map((n) => single(resources, entraTypes.application, n).outputs?.clientId),
        );
    });

    it("satisfies every identity policy, with Conditional Access on in prod", async () => {
        const resources = await synth({ conditionalAccess: { state: "enabled" } });
        const platform = planned("mcp:platform:McpPlatform", "mcp", { profile: "prod", optionalControls: { conditionalAccess: { enabled: true } } }, { custom: false });
        const policies = Object.values(identityPolicies).filter((p): p is any => typeof p === "object" && p !== null && "name" in p && "controls" in p);
        expect(await evaluate([platform, ...resources], { stack: "test", policies })).toEqual([]);
    });

    it("throws before creating anything on a role value that collides with the scope", () => {
        expect(() => validateIdentityArgs([{ name: "docs", tools: { a: "mcp.access" } }], [], "mcp.access")).toThrow(
            /servers "docs".tools: got the role "mcp.access"/,
        );
        expect(() => validateIdentityArgs(servers, [...clientApps, clientApps[0]], "mcp.access")).toThrow(/clientApps: got "vscode" twice/);
    });
});

describe("identity helpers", () => {
    it("derives the same role ids on every run and different ones per server", () => {
        expect(getStableId("docs", "role", "Docs.Read")).toBe(getStableId("docs", "role", "Docs.Read"));
        expect(getStableId("docs", "role", "Docs.Read")).not.toBe(getStableId("wiki", "role", "Docs.Read"));
        expect(getStableId("docs", "role", "x")).not.toBe(getStableId("docs", "scope", "x"));
    });

    it("makes one app role per distinct role value, naming its tools", () => {
        const roles = getServerAppRoles("docs", servers[0].tools);
        expect(roles.map((r) => r.value)).toEqual(["Docs.Read", "Docs.Write"]);
        expect(roles[0].description).toBe("Calls the docs MCP tools get_page, search_docs.");
    });

    it("builds identifier URIs under the tenant id", () => {
        expect(getIdentifierUri("AAAA-BB", "app-x")).toBe("api://aaaa-bb/app-x");
    });

    it("puts loopback redirect URIs on the public-client platform and https ones on the SPA platform", () => {
        expect(splitRedirectUris(["http://localhost:1234/cb", "https://app.contoso.com/cb", "http://127.0.0.1/"])).toEqual({
            publicClient: ["http://localhost:1234/cb", "http://127.0.0.1/"],
            singlePageApplication: ["https://app.contoso.com/cb"],
        });
    });

    it("rejects an allow-list entry naming an unknown server", () => {
        expect(() => getPreAuthorizations([{ name: "cli", servers: ["wiki"] }], ["docs"])).toThrow(/clientApps "cli".servers: got "wiki"/);
    });
});
