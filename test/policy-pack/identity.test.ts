import { describe, expect, it } from "vitest";
import {
    azureadApplicationDisableImplicitGrant,
    azureadApplicationDisallowPasswordCredentials,
    azureadApplicationEnforceAdminConsentScopes,
    azureadApplicationEnforceV2AccessTokens,
    azureadApplicationMissingIdentifierUri,
    azureadApplicationPreAuthorizedEnforceOwnScope,
    azureadConditionalAccessEnforceMfa,
    azureadServicePrincipalEnforceAssignmentRequired,
    entraTypes,
    requiresMfa,
} from "../../policy-pack/policies/identity";
import { azureApimanagementOperationDisallowClientRegistration, isRegistrationPath } from "../../policy-pack/policies/gateway/operation";
import type { PlannedResource } from "../../tools/offline/types";
import { violationsOf } from "../helpers/policy";
import { planned } from "../helpers/resources";

const scopeId = "7925142c-6342-5c85-82a1-b23ea9f31a97";
const mfaStrength = "/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000002";

/** A compliant MCP API app; `overrides` replace top-level inputs (undefined removes one). */
function apiApp(overrides: Record<string, unknown> = {}, name = "api"): PlannedResource {
    const inputs: Record<string, unknown> = {
        displayName: "app-mcp-dev-docs-api-ab12",
        identifierUris: ["api://00000000-0000-0000-0000-000000000000/app-mcp-dev-docs-api-ab12"],
        api: { requestedAccessTokenVersion: 2, oauth2PermissionScopes: [{ id: scopeId, value: "mcp.access", type: "Admin", enabled: true }] },
        appRoles: [{ id: "7515c442-4409-5bd6-ae42-8a8067bd54ee", value: "Docs.Read", allowedMemberTypes: ["User", "Application"], enabled: true }],
        ...overrides,
    };
    for (const key of Object.keys(inputs)) if (inputs[key] === undefined) delete inputs[key];
    return planned(entraTypes.application, name, inputs);
}
const clientApp = (name = "client") =>
    planned(entraTypes.application, name, { displayName: name, api: { requestedAccessTokenVersion: 2 }, publicClient: { redirectUris: ["http://127.0.0.1:33418/"] } });
const messages = async (policy: Parameters<typeof violationsOf>[0], resources: PlannedResource[]) =>
    (await violationsOf(policy, resources)).map((v) => v.message);

describe("azuread-application-enforce-v2-access-tokens (C2.3, M1)", () => {
    it("accepts an app that requests v2 tokens", async () => {
        expect(await messages(azureadApplicationEnforceV2AccessTokens, [apiApp(), clientApp()])).toEqual([]);
    });
    it("rejects an app that requests v1 tokens", async () => {
        expect(await messages(azureadApplicationEnforceV2AccessTokens, [apiApp({ api: { requestedAccessTokenVersion: 1 } })])).toEqual([
            "Application api must request v2 access tokens (api.requestedAccessTokenVersion 2, got 1) (C2.3, M1).",
        ]);
    });
    it("rejects an app without an api block (unset means Entra's v1 default)", async () => {
        expect(await messages(azureadApplicationEnforceV2AccessTokens, [apiApp({ api: undefined })])).toEqual([
            "Application api must request v2 access tokens (api.requestedAccessTokenVersion 2, got nothing, i.e. v1) (C2.3, M1).",
        ]);
    });
});

describe("azuread-application-missing-identifier-uri (M1, C2.2)", () => {
    it("accepts an API app with an identifier URI and a scope, and a client app exposing nothing", async () => {
        expect(await messages(azureadApplicationMissingIdentifierUri, [apiApp(), clientApp()])).toEqual([]);
    });
    it("rejects an app exposing scopes and roles without an identifier URI (the unset case)", async () => {
        expect(await messages(azureadApplicationMissingIdentifierUri, [apiApp({ identifierUris: undefined })])).toEqual([
            "Application api must have an identifier URI, since it exposes scopes or app roles (M1, C2.2).",
        ]);
    });
    it.each<[string, Record<string, unknown>, string]>([
        ["a plain-http identifier URI", { identifierUris: ["http://mcp.contoso.com/mcp/docs"] }, "use https:// or api:// identifier URIs"],
        ["a multi-tenant API app", { signInAudience: "AzureADMultipleOrgs" }, "accept tokens of its own tenant only"],
        ["an API app open to personal accounts", { signInAudience: "AzureADandPersonalMicrosoftAccount" }, "accept tokens of its own tenant only"],
        ["an API app that is a public client", { fallbackPublicClientEnabled: true }, "not be a public client"],
    ])("rejects %s (weaker than the platform's own API apps)", async (_what, overrides, expected) => {
        expect(await messages(azureadApplicationMissingIdentifierUri, [apiApp(overrides)])).toEqual([expect.stringContaining(expected)]);
    });
    it("accepts the single-tenant audience stated explicitly", async () => {
        expect(await messages(azureadApplicationMissingIdentifierUri, [apiApp({ signInAudience: "AzureADMyOrg", fallbackPublicClientEnabled: false })])).toEqual([]);
    });
    it("rejects an app with an identifier URI that exposes no enabled scope or role", async () => {
        const app = apiApp({ api: { requestedAccessTokenVersion: 2, oauth2PermissionScopes: [] }, appRoles: [{ id: "x", value: "R", enabled: false }] });
        expect(await messages(azureadApplicationMissingIdentifierUri, [app])).toEqual([
            "Application api must expose at least one enabled delegated scope or app role (M1, C2.2).",
        ]);
    });
});

describe("azuread-application-enforce-admin-consent-scopes (M3, C2.2)", () => {
    it("accepts scopes that require admin consent", async () => {
        expect(await messages(azureadApplicationEnforceAdminConsentScopes, [apiApp(), clientApp()])).toEqual([]);
    });
    it("rejects a scope users may consent to themselves", async () => {
        const app = apiApp({ api: { requestedAccessTokenVersion: 2, oauth2PermissionScopes: [{ id: scopeId, value: "mcp.access", type: "User" }] } });
        expect(await messages(azureadApplicationEnforceAdminConsentScopes, [app])).toEqual([
            'Application api must require admin consent for the scopes mcp.access (type "Admin") (M3, C2.2).',
        ]);
    });
    it("rejects a scope without a type (Entra defaults to User consent)", async () => {
        const app = apiApp({ api: { requestedAccessTokenVersion: 2, oauth2PermissionScopes: [{ id: scopeId, value: "mcp.access" }] } });
        expect(await violationsOf(azureadApplicationEnforceAdminConsentScopes, [app])).toHaveLength(1);
    });
});

describe("azuread-application-disable-implicit-grant (C2.3)", () => {
    it("accepts an app without web.implicitGrant (unset means off, Entra's default) or with both flags off", async () => {
        const off = apiApp({ web: { implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false } } }, "off");
        expect(await messages(azureadApplicationDisableImplicitGrant, [apiApp(), off])).toEqual([]);
    });
    it.each([["access"], ["id"]])("rejects an app issuing %s tokens through the implicit flow", async (kind) => {
        const grant = kind === "access" ? { accessTokenIssuanceEnabled: true } : { idTokenIssuanceEnabled: true };
        expect(await messages(azureadApplicationDisableImplicitGrant, [apiApp({ web: { implicitGrant: grant } })])).toEqual([
            "Application api must disable the implicit grant (web.implicitGrant access and ID token issuance off) (C2.3).",
        ]);
    });
});

describe("azuread-application-disallow-password-credentials (C2.3, C6.3)", () => {
    it("accepts apps and service principals without passwords", async () => {
        const sp = planned(entraTypes.servicePrincipal, "sp", { clientId: "c", appRoleAssignmentRequired: true });
        expect(await messages(azureadApplicationDisallowPasswordCredentials, [apiApp(), clientApp(), sp])).toEqual([]);
    });
    it("rejects an ApplicationPassword resource", async () => {
        const pw = planned(entraTypes.applicationPassword, "secret", { applicationId: "/applications/x" });
        expect(await messages(azureadApplicationDisallowPasswordCredentials, [pw])).toEqual([
            "ApplicationPassword secret must not exist: use a managed identity or a federated identity credential instead of a password (C2.3, C6.3).",
        ]);
    });
    it("rejects a ServicePrincipalPassword resource", async () => {
        const pw = planned(entraTypes.servicePrincipalPassword, "sp-secret", { servicePrincipalId: "/servicePrincipals/x" });
        expect(await violationsOf(azureadApplicationDisallowPasswordCredentials, [pw])).toHaveLength(1);
    });
    it.each([["password", { displayName: "initial" }], ["passwordCredentials", [{ displayName: "legacy" }]]])(
        "rejects an application with a %s block",
        async (key, value) => {
            expect(await messages(azureadApplicationDisallowPasswordCredentials, [apiApp({ [key]: value })])).toEqual([
                "Application api must not carry a password credential (C2.3, C6.3).",
            ]);
        },
    );
});

describe("azuread-service-principal-enforce-assignment-required (M3, C2.2)", () => {
    const sp = (inputs: Record<string, unknown>) => planned(entraTypes.servicePrincipal, "sp", { clientId: "c", ...inputs });
    it("accepts a service principal that requires assignment", async () => {
        expect(await messages(azureadServicePrincipalEnforceAssignmentRequired, [sp({ appRoleAssignmentRequired: true })])).toEqual([]);
    });
    it("rejects a service principal that lets any user of the tenant get a token", async () => {
        expect(await messages(azureadServicePrincipalEnforceAssignmentRequired, [sp({ appRoleAssignmentRequired: false })])).toEqual([
            "ServicePrincipal sp must require app role assignment (appRoleAssignmentRequired: true) (M3, C2.2).",
        ]);
    });
    it("rejects a service principal that leaves appRoleAssignmentRequired unset (Entra defaults to false)", async () => {
        expect(await violationsOf(azureadServicePrincipalEnforceAssignmentRequired, [sp({})])).toHaveLength(1);
    });
});

describe("azuread-application-pre-authorized-enforce-own-scope (M3)", () => {
    const api = apiApp();
    const client = clientApp();
    const preAuth = (inputs: Record<string, unknown>, deps: Record<string, string[]>) =>
        planned(entraTypes.preAuthorized, "preauth", { applicationId: "/applications/api", authorizedClientId: "client-id", ...inputs }, {
            propertyDependencies: deps,
        });
    const wired = { applicationId: [api.urn], authorizedClientId: [client.urn] };

    it("accepts a stack client pre-authorised with the API app's own scope", async () => {
        expect(await messages(azureadApplicationPreAuthorizedEnforceOwnScope, [api, client, preAuth({ permissionIds: [scopeId] }, wired)])).toEqual([]);
    });
    it("rejects a pre-authorisation with a scope id the API app does not expose", async () => {
        const other = "11111111-1111-1111-1111-111111111111";
        expect(await messages(azureadApplicationPreAuthorizedEnforceOwnScope, [api, client, preAuth({ permissionIds: [other] }, wired)])).toEqual([
            `ApplicationPreAuthorized preauth must grant only delegated scopes of api (not ${other}) (M3).`,
        ]);
    });
    it("rejects a pre-authorisation of an outside client id (not an app of this stack)", async () => {
        const deps = { applicationId: [api.urn] };
        expect(await messages(azureadApplicationPreAuthorizedEnforceOwnScope, [api, client, preAuth({ permissionIds: [scopeId] }, deps)])).toEqual([
            "ApplicationPreAuthorized preauth must pre-authorise only a client app registered in this stack (authorizedClientId from an Application resource) (M3).",
        ]);
    });
    it("rejects a pre-authorisation on an API app outside the stack", async () => {
        const deps = { authorizedClientId: [client.urn] };
        expect(await messages(azureadApplicationPreAuthorizedEnforceOwnScope, [client, preAuth({ permissionIds: [scopeId] }, deps)])).toEqual([
            "ApplicationPreAuthorized preauth must pre-authorise on an API app of this stack (applicationId from an Application resource) (M3).",
        ]);
    });
    it("rejects a pre-authorisation without permissionIds (the unset case)", async () => {
        expect(await messages(azureadApplicationPreAuthorizedEnforceOwnScope, [api, client, preAuth({}, wired)])).toEqual([
            "ApplicationPreAuthorized preauth must name the delegated scope ids it pre-authorises (permissionIds) (M3).",
        ]);
    });
});

describe("azuread-conditional-access-enforce-mfa (C2.4, A3)", () => {
    const platform = (enabled: boolean, profile = "prod") =>
        planned("mcp:platform:McpPlatform", "mcp", { profile, optionalControls: { conditionalAccess: { enabled } } }, { custom: false });
    const group = planned(entraTypes.group, "admins", { securityEnabled: true });
    const api = apiApp();
    const ca = (name: string, inputs: Record<string, unknown>, deps: string[]) =>
        planned(
            entraTypes.conditionalAccessPolicy,
            name,
            { state: "enabled", grantControls: { operator: "OR", authenticationStrengthPolicyId: mfaStrength }, ...inputs },
            { propertyDependencies: { conditions: deps } },
        );
    const adminsCa = (inputs: Record<string, unknown> = {}) =>
        ca("ca-admins", { conditions: { clientAppTypes: ["all"], applications: { includedApplications: ["All"] }, users: { includedGroups: ["g"] } }, ...inputs }, [group.urn]);
    const apisCa = (inputs: Record<string, unknown> = {}) =>
        ca("ca-apis", { conditions: { clientAppTypes: ["all"], applications: { includedApplications: ["c"] }, users: { includedUsers: ["All"] } }, ...inputs }, [api.urn]);
    const stack = (...extra: PlannedResource[]) => [platform(true), group, api, ...extra];

    it.each<[string, () => PlannedResource[], string]>([
        ["a browser-only policy", () => stack(adminsCa({ conditions: { clientAppTypes: ["browser"], applications: { includedApplications: ["All"] }, users: { includedGroups: ["g"] } } }), apisCa()), "cover every client app type"],
        ["a policy without client app types", () => stack(adminsCa({ conditions: { applications: { includedApplications: ["All"] }, users: { includedGroups: ["g"] } } }), apisCa()), "cover every client app type"],
        ["a policy excluding the group it covers", () => stack(adminsCa({ conditions: { clientAppTypes: ["all"], applications: { includedApplications: ["All"] }, users: { includedGroups: ["g"], excludedGroups: ["g"] } } }), apisCa()), "users.excludedGroups g"],
        ["a policy excluding all users", () => stack(adminsCa(), apisCa({ conditions: { clientAppTypes: ["all"], applications: { includedApplications: ["c"] }, users: { includedUsers: ["All"], excludedUsers: ["All"] } } })), "users.excludedUsers All"],
        ["a policy excluding the app it covers", () => stack(adminsCa(), apisCa({ conditions: { clientAppTypes: ["all"], applications: { includedApplications: ["c"], excludedApplications: ["c"] }, users: { includedUsers: ["All"] } } })), "applications.excludedApplications c"],
        ["a policy excluding guests", () => stack(adminsCa(), apisCa({ conditions: { clientAppTypes: ["all"], applications: { includedApplications: ["c"] }, users: { includedUsers: ["All"], excludeGuestsOrExternalUsers: { guestOrExternalUserTypes: "b2bCollaborationGuest" } } } })), "not exclude guests"],
    ])("rejects %s (a weaker value than the platform's own policies)", async (_what, resources, expected) => {
        expect(await messages(azureadConditionalAccessEnforceMfa, resources())).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
    });

    it("accepts enabled MFA policies covering the admin group and the API app", async () => {
        expect(await messages(azureadConditionalAccessEnforceMfa, stack(adminsCa(), apisCa()))).toEqual([]);
    });
    it("does not apply when the platform declares Conditional Access off", async () => {
        expect(await messages(azureadConditionalAccessEnforceMfa, [platform(false), group, api])).toEqual([]);
    });
    it("treats a stack without the platform component as having the optional control off", async () => {
        expect(await messages(azureadConditionalAccessEnforceMfa, [group, api])).toEqual([]);
    });
    it("rejects a platform that turns Conditional Access on but declares no policy", async () => {
        expect(await messages(azureadConditionalAccessEnforceMfa, stack())).toEqual([
            "McpPlatform mcp must declare Conditional Access policies requiring MFA, since optionalControls.conditionalAccess is enabled (C2.4, A3).",
        ]);
    });
    it("rejects a report-only policy in prod", async () => {
        expect(await messages(azureadConditionalAccessEnforceMfa, stack(adminsCa({ state: "enabledForReportingButNotEnforced" }), apisCa()))).toEqual([
            'ConditionalAccessPolicy ca-admins must be enabled (state "enabled", got "enabledForReportingButNotEnforced") (C2.4, A3).',
        ]);
    });
    it("accepts a report-only policy in dev", async () => {
        const dev = [platform(true, "dev"), group, api, adminsCa({ state: "enabledForReportingButNotEnforced" }), apisCa()];
        expect(await messages(azureadConditionalAccessEnforceMfa, dev)).toEqual([]);
    });
    it("rejects a disabled policy and one without a state (the unset case)", async () => {
        const violations = await messages(azureadConditionalAccessEnforceMfa, stack(adminsCa({ state: "disabled" }), apisCa({ state: undefined })));
        expect(violations).toEqual([
            'ConditionalAccessPolicy ca-admins must be enabled (state "enabled", got "disabled") (C2.4, A3).',
            'ConditionalAccessPolicy ca-apis must be enabled (state "enabled", got null) (C2.4, A3).',
        ]);
    });
    it("rejects a policy whose grant lets a user pass without MFA, and reports what it leaves uncovered", async () => {
        const weak = apisCa({ grantControls: { operator: "OR", builtInControls: ["mfa", "compliantDevice"] } });
        expect(await messages(azureadConditionalAccessEnforceMfa, stack(adminsCa(), weak))).toEqual([
            'ConditionalAccessPolicy ca-apis must require MFA as its only grant (the built-in MFA authentication strength or builtInControls ["mfa"]) (C2.4, A3).',
            "Application api must be covered by a Conditional Access policy requiring MFA for all users (C2.4, A3).",
        ]);
    });
    it("rejects an admin group no MFA policy covers", async () => {
        expect(await messages(azureadConditionalAccessEnforceMfa, stack(apisCa()))).toEqual([
            "Group admins must be covered by a Conditional Access policy requiring MFA on all applications (C2.4, A3).",
        ]);
    });
});

describe("requiresMfa", () => {
    it.each([
        [{ operator: "OR", authenticationStrengthPolicyId: mfaStrength }, true],
        [{ operator: "OR", builtInControls: ["mfa"] }, true],
        [{ operator: "AND", builtInControls: ["mfa", "compliantDevice"] }, true],
        [{ operator: "OR", builtInControls: ["mfa", "compliantDevice"] }, false],
        [{ operator: "OR", builtInControls: ["compliantDevice"] }, false],
        [{ operator: "OR", authenticationStrengthPolicyId: "/policies/authenticationStrengthPolicies/custom-password-only" }, false],
        [undefined, false],
    ])("decides %j → %s", (grant, expected) => {
        expect(requiresMfa(grant)).toBe(expected);
    });
});

describe("azure-apimanagement-operation-disallow-client-registration (M3)", () => {
    const operation = (urlTemplate?: string) =>
        planned("azure-native:apimanagement:ApiOperation", "op", urlTemplate === undefined ? { method: "POST" } : { method: "POST", urlTemplate });
    it("accepts the MCP endpoint and the protected-resource metadata document", async () => {
        const ops = [operation("/mcp"), { ...operation("/.well-known/oauth-protected-resource"), name: "prm", urn: "urn:prm" }];
        expect(await messages(azureApimanagementOperationDisallowClientRegistration, ops)).toEqual([]);
    });
    it("rejects a dynamic client registration endpoint", async () => {
        expect(await messages(azureApimanagementOperationDisallowClientRegistration, [operation("/oauth/register")])).toEqual([
            "ApiOperation op must not expose a dynamic client registration endpoint (urlTemplate /oauth/register) (M3).",
        ]);
    });
    it("rejects an operation without a urlTemplate (the unset case fails closed)", async () => {
        expect(await violationsOf(azureApimanagementOperationDisallowClientRegistration, [operation(undefined)])).toHaveLength(1);
    });
    it.each([
        ["/register", true],
        ["/Register?client=x", true],
        ["/oauth2/registration/", true],
        ["/mcp", false],
        ["/registered-tools", false],
    ])("classifies %s as a registration path: %s", (path, expected) => {
        expect(isRegistrationPath(path)).toBe(expected);
    });
});
