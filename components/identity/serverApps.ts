import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { gatewayInvokeRole, getIdentifierUri, getServerAppRoles, getStableId } from "./entra";

export interface ServerAppsArgs {
    /** Server name; seeds the stable role and scope ids. */
    readonly server: string;
    /** Tool name → app role value. */
    readonly tools: Readonly<Record<string, string>>;
    /** Value of the delegated scope. */
    readonly requiredScope: string;
    /** Object ids of the apps' and service principals' owners. */
    readonly owners: pulumi.Input<string>[];
    /** Display name of the API app. */
    readonly apiDisplayName: string;
    /**
     * `https://<edge host>/mcp/<server>`: the API app's identifier URI, so the RFC 8707 `resource`
     * a spec-following client sends resolves to this app (see components/shared/mcpResource.ts).
     */
    readonly resourceUrl: string;
    /** Display name of the backend app; also the last segment of its identifier URI. */
    readonly backendDisplayName: string;
    readonly tenantId: string;
    /** Principal (object) id of the gateway's user-assigned identity: the only caller of the backend. */
    readonly gatewayPrincipalId: pulumi.Input<string>;
}

export interface ServerApps {
    readonly api: azuread.Application;
    readonly apiServicePrincipal: azuread.ServicePrincipal;
    readonly apiIdentifierUri: string;
    readonly backend: azuread.Application;
    readonly backendServicePrincipal: azuread.ServicePrincipal;
    readonly backendIdentifierUri: string;
}

/**
 * One server's Entra apps. Child names: `${name}-api`, `${name}-api-sp`, `${name}-backend`,
 * `${name}-backend-sp`, `${name}-gateway-invoke`.
 *
 * - The API app is what MCP clients get tokens for (M1: the gateway accepts only its client id
 *   and identifier URI as audience). Its identifier URI is the server's public resource URL, the
 *   one `resource` MCP clients send (RFC 8707, RFC 9728). v2 tokens (C2.3), one delegated scope that needs admin
 *   consent (M3: a client outside the allow-list gets no token until an administrator consents),
 *   one app role per tool group (C2.2, C7.3). Its service principal requires assignment, so only
 *   users, groups or applications given a role get a token at all (M3).
 * - The backend app is the audience of the token the gateway sends on (C7.1: no passthrough).
 *   Its only role is `Gateway.Invoke` for applications, held by the gateway's managed identity
 *   alone; assignment is required, so no other identity in the tenant gets a token for it.
 */
export function createServerApps(parent: pulumi.Resource, name: string, args: ServerAppsArgs): ServerApps {
    // Entra accepts an https identifier URI only on a domain verified in the tenant
    // (https://learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions).
    const apiIdentifierUri = args.resourceUrl;
    const backendIdentifierUri = getIdentifierUri(args.tenantId, args.backendDisplayName);

    const api = new azuread.Application(
        `${name}-api`,
        {
            displayName: args.apiDisplayName,
            description: `MCP server ${args.server}: the audience MCP clients request tokens for.`,
            signInAudience: "AzureADMyOrg",
            owners: args.owners,
            identifierUris: [apiIdentifierUri],
            fallbackPublicClientEnabled: false,
            api: {
                requestedAccessTokenVersion: 2,
                oauth2PermissionScopes: [
                    {
                        id: getStableId(args.server, "scope", args.requiredScope),
                        value: args.requiredScope,
                        type: "Admin",
                        enabled: true,
                        adminConsentDisplayName: `Use the ${args.server} MCP server`,
                        adminConsentDescription:
                            `Lets the signed-in user call the ${args.server} MCP server through the platform gateway. ` +
                            "Each tool still needs the app role it is mapped to.",
                    },
                ],
            },
            appRoles: getServerAppRoles(args.server, args.tools),
        },
        { parent },
    );
    const apiServicePrincipal = new azuread.ServicePrincipal(
        `${name}-api-sp`,
        { clientId: api.clientId, appRoleAssignmentRequired: true, owners: args.owners },
        { parent },
    );

    const invokeRoleId = getStableId(args.server, "role", gatewayInvokeRole);
    const backend = new azuread.Application(
        `${name}-backend`,
        {
            displayName: args.backendDisplayName,
            description: `MCP server ${args.server}: the audience of the gateway's managed-identity token.`,
            signInAudience: "AzureADMyOrg",
            owners: args.owners,
            identifierUris: [backendIdentifierUri],
            fallbackPublicClientEnabled: false,
            api: { requestedAccessTokenVersion: 2 },
            appRoles: [
                {
                    id: invokeRoleId,
                    value: gatewayInvokeRole,
                    displayName: `${args.server}: gateway invoke`,
                    description: `Lets the platform gateway call the ${args.server} MCP server container.`,
                    allowedMemberTypes: ["Application"],
                    enabled: true,
                },
            ],
        },
        { parent },
    );
    const backendServicePrincipal = new azuread.ServicePrincipal(
        `${name}-backend-sp`,
        { clientId: backend.clientId, appRoleAssignmentRequired: true, owners: args.owners },
        { parent },
    );
    new azuread.AppRoleAssignment(
        `${name}-gateway-invoke`,
        {
            appRoleId: invokeRoleId,
            principalObjectId: args.gatewayPrincipalId,
            resourceObjectId: backendServicePrincipal.objectId,
        },
        { parent },
    );

    return { api, apiServicePrincipal, apiIdentifierUri, backend, backendServicePrincipal, backendIdentifierUri };
}
