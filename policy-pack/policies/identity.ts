import type { ApplicationArgs } from "@pulumi/azuread";
import type { ConditionalAccessPolicyGrantControls } from "@pulumi/azuread/types/input";
import type { Inputs } from "../lib/inputs";
import type { PolicyResource } from "@pulumi/policy";
import { platformOf } from "../contract/declaration";
import { resourcePolicy, stackPolicy } from "../lib/policy";
import { dependencyOfType, dependsVia } from "../lib/references";

/**
 * Entra ID policies (M1, M3, C2.2–C2.4, A3). Type tokens of `@pulumi/azuread` v6; the pack never
 * imports the provider, so it also gates programs that use another SDK version.
 */
export const entraTypes = {
    application: "azuread:index/application:Application",
    servicePrincipal: "azuread:index/servicePrincipal:ServicePrincipal",
    applicationPassword: "azuread:index/applicationPassword:ApplicationPassword",
    servicePrincipalPassword: "azuread:index/servicePrincipalPassword:ServicePrincipalPassword",
    preAuthorized: "azuread:index/applicationPreAuthorized:ApplicationPreAuthorized",
    conditionalAccessPolicy: "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy",
    group: "azuread:index/group:Group",
} as const;

/** Built-in authentication strengths that require MFA: MFA, passwordless MFA, phishing-resistant MFA. */
export const mfaAuthenticationStrengths = ["00000000-0000-0000-0000-000000000002", "00000000-0000-0000-0000-000000000003", "00000000-0000-0000-0000-000000000004"];

/** The application's inputs; `password`/`passwordCredentials` are read too, since an ApplicationPassword resource shares the policy. */
type ApplicationProps = Inputs<ApplicationArgs> & { password?: unknown; passwordCredentials?: unknown };

const scopesOf = (props: ApplicationProps) => props.api?.oauth2PermissionScopes ?? [];

/**
 * An app is an API app when it exposes anything a token can be issued for: an identifier URI, a
 * delegated scope or an app role. An app exposing none of them is a client registration.
 */
export function isApiApplication(props: ApplicationProps): boolean {
    return (props.identifierUris ?? []).length > 0 || scopesOf(props).length > 0 || (props.appRoles ?? []).length > 0;
}

// Every app, client or API: absent means Entra's default, v1, whose tokens carry the
// `https://sts.windows.net/` issuer and the identifier URI as audience; the gateway pins v2.
export const azureadApplicationEnforceV2AccessTokens = resourcePolicy<ApplicationProps>({
    name: "azuread-application-enforce-v2-access-tokens",
    description: "Every Entra application requests v2 access tokens (api.requestedAccessTokenVersion 2). Compared against: the secure default, version 2 (absent = v1).",
    controls: ["C2.3", "M1"],
    component: "identity",
    remediationSteps:
        "Set api.requestedAccessTokenVersion to 2 on the application; the gateway validates the v2 issuer " +
        "(https://login.microsoftonline.com/<tenant>/v2.0) and the app's client id as audience.",
    appliesTo: [entraTypes.application],
    validate: (props, _args, must) => {
        const version = props.api?.requestedAccessTokenVersion;
        if (version !== 2) must(`request v2 access tokens (api.requestedAccessTokenVersion 2, got ${version ?? "nothing, i.e. v1"})`);
    },
});

export const azureadApplicationMissingIdentifierUri = resourcePolicy<ApplicationProps>({
    name: "azuread-application-missing-identifier-uri",
    description:
        "An Entra API app (one exposing an identifier URI, a scope or an app role) has an identifier URI (https:// or api://, never plain http) " +
        "and exposes at least one enabled delegated scope or app role, accepts sign-ins of its own tenant only (signInAudience AzureADMyOrg; absent is " +
        "Entra's default, the same) and is no public client (fallbackPublicClientEnabled not true). Compared against: the platform's own API apps.",
    controls: ["M1", "C2.2"],
    component: "identity",
    remediationSteps:
        "Give the API app an identifier URI (api://<tenantId>/<name>) so the gateway can pin the audience, and expose " +
        "the delegated scope and the app roles of its tool groups.",
    appliesTo: [entraTypes.application],
    validate: (props, _args, must) => {
        if (!isApiApplication(props)) return; // a client registration: nothing to call it with
        if ((props.identifierUris ?? []).length === 0) must("have an identifier URI, since it exposes scopes or app roles");
        const plain = (props.identifierUris ?? []).filter((u) => !/^(https|api):\/\//i.test(String(u)));
        if (plain.length > 0) must(`use https:// or api:// identifier URIs (not ${plain.join(", ")})`);
        const exposed = [...scopesOf(props), ...(props.appRoles ?? [])].filter((x) => x.enabled !== false);
        if (exposed.length === 0) must("expose at least one enabled delegated scope or app role");
        if (props.signInAudience !== undefined && props.signInAudience !== "AzureADMyOrg") {
            must(`accept tokens of its own tenant only (signInAudience AzureADMyOrg, got ${props.signInAudience}); other tenants' users could obtain tokens for it`);
        }
        if (props.fallbackPublicClientEnabled === true) must("not be a public client (fallbackPublicClientEnabled false): an API app never signs users in itself");
    },
});

// M3 on the Entra side: a scope users may consent to themselves lets any app registered in the
// tenant obtain an MCP token after a one-click prompt. Admin consent makes every client that is not
// pre-authorised (the config allow-list) an explicit administrator decision. Absent = `User`.
export const azureadApplicationEnforceAdminConsentScopes = resourcePolicy<ApplicationProps>({
    name: "azuread-application-enforce-admin-consent-scopes",
    description: "Every delegated scope of an Entra app requires admin consent (type Admin). Compared against: the secure default, every scope of type Admin (absent = User).",
    controls: ["M3", "C2.2"],
    component: "identity",
    remediationSteps:
        "Set type: \"Admin\" on each api.oauth2PermissionScopes entry; approved clients are pre-authorised through " +
        "config clientApps, every other client needs an administrator's consent.",
    appliesTo: [entraTypes.application],
    validate: (props, _args, must) => {
        const userConsentable = scopesOf(props).filter((s) => s.type !== "Admin");
        if (userConsentable.length > 0) {
            must(`require admin consent for the scopes ${userConsentable.map((s) => s.value ?? s.id).join(", ")} (type "Admin")`);
        }
    },
});

// Absent means off (Entra's default), so the unset case is compliant here.
export const azureadApplicationDisableImplicitGrant = resourcePolicy<ApplicationProps>({
    name: "azuread-application-disable-implicit-grant",
    description: "No Entra app issues tokens through the OAuth implicit flow (tokens in the URL fragment, no PKCE). Compared against: the secure default, both implicit grants off.",
    controls: ["C2.3"],
    component: "identity",
    remediationSteps:
        "Remove web.implicitGrant or set both flags to false; browser clients use the SPA platform with " +
        "authorization code + PKCE.",
    appliesTo: [entraTypes.application],
    validate: (props, _args, must) => {
        const grant = props.web?.implicitGrant;
        if (grant?.accessTokenIssuanceEnabled === true || grant?.idTokenIssuanceEnabled === true) {
            must("disable the implicit grant (web.implicitGrant access and ID token issuance off)");
        }
    },
});

const passwordTypes: readonly string[] = [entraTypes.applicationPassword, entraTypes.servicePrincipalPassword];

export const azureadApplicationDisallowPasswordCredentials = resourcePolicy<ApplicationProps>({
    name: "azuread-application-disallow-password-credentials",
    description:
        "No client secret exists in the stack: no ApplicationPassword or ServicePrincipalPassword resource and no " +
        "password block on any Entra object. Compared against: the secure default, no password credential anywhere.",
    controls: ["C2.3", "C6.3"],
    component: "identity",
    remediationSteps:
        "Delete the password; authenticate services with a managed identity or a federated identity credential, " +
        "and register clients as public clients (authorization code + PKCE).",
    appliesTo: (type) => type.startsWith("azuread:"),
    validate: (props, args, must) => {
        if (passwordTypes.includes(args.type)) must("not exist: use a managed identity or a federated identity credential instead of a password");
        const present = (v: unknown) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
        if (present(props.password) || present(props.passwordCredentials)) must("not carry a password credential");
    },
});

// Every service principal in the stack, deliberately: the stack creates service principals only
// for its own apps (MCP API, backend, approved clients), so each one is a platform app. Adopting an
// outside app's principal (useExisting) needs an exemption with a written reason.
export const azureadServicePrincipalEnforceAssignmentRequired = resourcePolicy<{ appRoleAssignmentRequired?: boolean }>({
    name: "azuread-service-principal-enforce-assignment-required",
    description: "Every service principal requires an app role assignment before Entra issues a token (appRoleAssignmentRequired). Compared against: the secure default, assignment required (absent = anyone in the tenant).",
    controls: ["M3", "C2.2"],
    component: "identity",
    remediationSteps:
        "Set appRoleAssignmentRequired: true and assign the app roles to the users, groups or identities that need them.",
    appliesTo: [entraTypes.servicePrincipal],
    validate: (props, _args, must) => {
        if (props.appRoleAssignmentRequired !== true) must("require app role assignment (appRoleAssignmentRequired: true)");
    },
});

export const azureadApplicationPreAuthorizedEnforceOwnScope = stackPolicy({
    name: "azuread-application-pre-authorized-enforce-own-scope",
    description:
        "A client is pre-authorised only on an API app of this stack, only with that app's own delegated scopes, and " +
        "only when the client is an app this stack registers (the config allow-list). Compared against: the stack's own applications and their scope ids (by dependency).",
    controls: ["M3"],
    component: "identity",
    remediationSteps:
        "List the client under clientApps with the servers it may call; the identity component pre-authorises it " +
        "with the server's own scope. Never pre-authorise an outside client id: it would skip consent.",
    validate: (resources, _args, must) => {
        for (const pre of resources.filter((r) => r.type === entraTypes.preAuthorized)) {
            const permissionIds: string[] = pre.props.permissionIds ?? [];
            if (permissionIds.length === 0) must(pre, "name the delegated scope ids it pre-authorises (permissionIds)");
            const app = dependencyOfType(pre, "applicationId", entraTypes.application);
            if (!app) {
                must(pre, "pre-authorise on an API app of this stack (applicationId from an Application resource)");
            } else {
                const scopeIds = new Set(scopesOf(app.props).map((s) => s.id));
                const foreign = permissionIds.filter((id) => !scopeIds.has(id));
                if (foreign.length > 0) must(pre, `grant only delegated scopes of ${app.name} (not ${foreign.join(", ")})`);
            }
            if (!dependencyOfType(pre, "authorizedClientId", entraTypes.application)) {
                must(pre, "pre-authorise only a client app registered in this stack (authorizedClientId from an Application resource)");
            }
        }
    },
});

/** Whether the grant controls make MFA unavoidable (an OR with any non-MFA alternative does not). */
export function requiresMfa(grant: Inputs<ConditionalAccessPolicyGrantControls> | undefined): boolean {
    if (!grant) return false;
    const strength = grant.authenticationStrengthPolicyId?.split("/").pop();
    const builtIn = grant.builtInControls ?? [];
    const mfa = builtIn.includes("mfa") || (strength !== undefined && mfaAuthenticationStrengths.includes(strength));
    if (!mfa) return false;
    if (grant.operator === "AND") return true;
    const alternatives = builtIn.length + (strength ? 1 : 0) + (grant.termsOfUses ?? []).length + (grant.customAuthenticationFactors ?? []).length;
    return alternatives === 1;
}

const excluded = (p: PolicyResource, area: "users" | "applications", key: string): string[] => {
    const list = p.props.conditions?.[area]?.[key];
    return Array.isArray(list) ? list.map(String) : [];
};

/**
 * What a policy's conditions may leave out, compared with the platform's own policies (which
 * exclude nothing and cover every client app type): no exclusion of what it includes, no exclusion
 * of everyone, and every client app type (a browser-only policy lets legacy and desktop clients
 * skip MFA).
 */
function scopeProblem(policy: PolicyResource): string | undefined {
    const conditions = policy.props.conditions ?? {};
    const types: string[] = Array.isArray(conditions.clientAppTypes) ? conditions.clientAppTypes : [];
    if (!types.includes("all")) return `cover every client app type (clientAppTypes ["all"], got ${JSON.stringify(types)}); other clients would skip MFA`;
    for (const [area, include, exclude] of [
        ["users", "includedUsers", "excludedUsers"],
        ["users", "includedGroups", "excludedGroups"],
        ["users", "includedRoles", "excludedRoles"],
        ["applications", "includedApplications", "excludedApplications"],
    ] as const) {
        const out = excluded(policy, area, exclude);
        const included: string[] = Array.isArray(conditions[area]?.[include]) ? conditions[area][include].map(String) : [];
        const undone = out.filter((x) => x === "All" || included.includes(x));
        if (undone.length > 0) return `not exclude what it covers (${area}.${exclude} ${undone.join(", ")})`;
    }
    const guests = conditions.users?.excludeGuestsOrExternalUsers;
    if (guests !== undefined && guests !== null) return "not exclude guests or external users (users.excludeGuestsOrExternalUsers)";
    return undefined;
}

// Optional control (needs Entra ID P1): enforced only when the platform declares it on.
export const azureadConditionalAccessEnforceMfa = stackPolicy({
    name: "azuread-conditional-access-enforce-mfa",
    description:
        "When the platform turns Conditional Access on: policies requiring MFA exist, are enabled (report-only only " +
        "in the dev profile), cover every client app type, exclude nothing they include (nor everyone, nor guests) and cover every admin group of " +
        "the stack and every API app exposing a delegated scope. Compared against: the platform's own policies, which exclude nothing.",
    controls: ["C2.4", "A3"],
    component: "identity",
    remediationSteps:
        "Keep features.conditionalAccess on with the identity component's policies, state enabled outside dev, " +
        "grant control = the built-in MFA authentication strength; or turn the feature off with a reason.",
    validate: (resources, _args, must) => {
        const platform = platformOf(resources);
        if (platform?.props.optionalControls?.conditionalAccess?.enabled !== true) return;
        const dev = platform.props.profile === "dev";
        const policies = resources.filter((r) => r.type === entraTypes.conditionalAccessPolicy);
        if (policies.length === 0) {
            must(platform, "declare Conditional Access policies requiring MFA, since optionalControls.conditionalAccess is enabled");
            return;
        }
        for (const policy of policies) {
            const state = policy.props.state;
            if (state !== "enabled" && !(dev && state === "enabledForReportingButNotEnforced")) {
                must(policy, `be enabled (state "enabled"${dev ? " or report-only in dev" : ""}, got ${JSON.stringify(state ?? null)})`);
            }
            if (!requiresMfa(policy.props.grantControls)) {
                must(policy, "require MFA as its only grant (the built-in MFA authentication strength or builtInControls [\"mfa\"])");
            }
            const problem = scopeProblem(policy);
            if (problem) must(policy, problem);
        }
        const mfaPolicies = policies.filter((p) => requiresMfa(p.props.grantControls));
        const covers = (p: PolicyResource, target: PolicyResource) => dependsVia(p, "conditions", target);
        const allApps = (p: PolicyResource) => (p.props.conditions?.applications?.includedApplications ?? []).includes("All") && excluded(p, "applications", "excludedApplications").length === 0;
        const allUsers = (p: PolicyResource) => (p.props.conditions?.users?.includedUsers ?? []).includes("All") && excluded(p, "users", "excludedUsers").length === 0;
        for (const group of resources.filter((r) => r.type === entraTypes.group)) {
            if (!mfaPolicies.some((p) => (covers(p, group) || allUsers(p)) && allApps(p))) {
                must(group, "be covered by a Conditional Access policy requiring MFA on all applications");
            }
        }
        for (const app of resources.filter((r) => r.type === entraTypes.application && scopesOf(r.props).length > 0)) {
            if (!mfaPolicies.some((p) => (covers(p, app) || allApps(p)) && allUsers(p))) {
                must(app, "be covered by a Conditional Access policy requiring MFA for all users");
            }
        }
    },
});
