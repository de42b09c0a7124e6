import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { createManagedIdentity } from "../shared/managedIdentity";
import { PlacementArgs } from "../shared/inputs";
import { resourceName } from "../shared/naming";
import { mcpResourceUrl } from "../shared/mcpResource";
import {
    defaultRequiredScope,
    getPreAuthorizations,
    getRoleValues,
    getStableId,
    validateIdentityArgs,
} from "./entra";
import { createServerApps, ServerApps } from "./serverApps";
import { ClientKind, redirectUrisOf } from "./clientPresets";
import { createConditionalAccessPolicies, ConditionalAccessState } from "./conditionalAccess";

/** One MCP server as the identity component needs it. */
export interface McpIdentityServerArgs {
    /** Server name (DNS-safe, unique in the stack); names its apps and keys the outputs. */
    readonly name: string;
    /** Tool name → app role value a caller needs for it; one app role per distinct value (C2.2). */
    readonly tools: Readonly<Record<string, string>>;
}

/** One approved MCP client to register (M3: every client is a pre-registered Entra app). */
export interface McpIdentityClientAppArgs {
    /** Client name (DNS-safe, unique in the stack); names the app and keys the outputs. */
    readonly name: string;
    /** Which MCP client this is: its documented redirect URIs come with it (`clientPresets.ts`). Defaults to `custom`. */
    readonly kind?: ClientKind;
    /** PKCE redirect URIs beyond the preset's: `http://localhost|127.0.0.1` loopback ones (native) or `https://` ones (browser-hosted). */
    readonly redirectUris: readonly string[];
    /** Servers this client may call; it is pre-authorised on exactly these servers' scopes (the allow-list). */
    readonly servers: readonly string[];
}

export interface McpIdentityArgs {
    /** Resource group, region, tags and naming; the gateway identity is the one Azure resource here. */
    readonly placement: PlacementArgs;
    /** Entra ID tenant id (GUID); part of the backend apps' identifier URIs. */
    readonly tenantId: string;
    /**
     * `https://<edge host>`, on a domain verified in the tenant: each server's API app is
     * identified by `<this>/mcp/<server>`, the URL its clients connect to.
     */
    readonly publicBaseUrl: string;
    /** The MCP servers: one API app, one backend app and their service principals each. */
    readonly servers: readonly McpIdentityServerArgs[];
    /** Approved client apps. Defaults to none: only clients an administrator consents to can call. */
    readonly clientApps?: readonly McpIdentityClientAppArgs[];
    /**
     * Conditional Access requiring MFA for the admin group and the MCP API apps (C2.4, A3; needs
     * Entra ID P1). Defaults to no policy: the optional control is off and the stack says why.
     */
    readonly conditionalAccess?: { readonly state: ConditionalAccessState };
    /** Value of the delegated scope each API app exposes. Defaults to `mcp.access`. */
    readonly requiredScope?: string;
}

/** What the gateway and the workload need to know about one server's Entra apps. */
export interface McpServerIdentity {
    /** Client id of the server's API app: an audience the gateway accepts from clients (M1). */
    readonly apiAppClientId: pulumi.Output<string>;
    /** `https://<edge host>/mcp/<server>`: the API app's identifier URI, the other accepted audience form. */
    readonly apiIdentifierUri: pulumi.Output<string>;
    /** Client id of the backend app: the audience of the gateway's managed-identity token. */
    readonly backendAppClientId: pulumi.Output<string>;
    /** Identifier URI of the backend app; the workload's `MCP_AUDIENCE`. */
    readonly backendIdentifierUri: pulumi.Output<string>;
    /** The delegated scope a client token must carry in `scp`. */
    readonly requiredScope: string;
    /** The app role values of the server's tool→role map (sorted). */
    readonly appRoleValues: string[];
}

/**
 * Entra ID and platform identities (M1, M3, C2.1–C2.4, C7.3, C10.2, A3): per MCP server an API
 * app (v2 tokens, identifier URI, one admin-consent scope, app roles per tool group) and a backend
 * app only the gateway's managed identity may call, each with a service principal that requires
 * assignment; the approved public client apps, pre-authorised only where the config allow-lists
 * them; the platform admin group; Conditional Access requiring MFA (optional). No password
 * credential exists anywhere: clients are public (PKCE) and services use managed identities.
 */
export class McpIdentity extends pulumi.ComponentResource {
    public readonly servers: Record<string, McpServerIdentity>;
    /** The user-assigned identity API Management runs as (C10.2: one identity per platform role). */
    public readonly gatewayIdentity: { id: pulumi.Output<string>; principalId: pulumi.Output<string>; clientId: pulumi.Output<string> };
    public readonly adminGroupObjectId: pulumi.Output<string>;
    public readonly clientApps: Record<string, { clientId: pulumi.Output<string> }>;

    constructor(name: string, args: McpIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mcp:identity:McpIdentity", name, {}, opts);
        const { placement, tenantId } = args;
        const naming = placement.naming;
        const requiredScope = args.requiredScope ?? defaultRequiredScope;
        const clients = args.clientApps ?? [];
        validateIdentityArgs(args.servers, clients, requiredScope);
        const preAuthorizations = getPreAuthorizations(clients, args.servers.map((s) => s.name));

        // Owners = the deploying principal, so the apps are never orphaned (only owners and
        // Application Administrators can change a registration's credentials or URIs).
        const deployer = azuread.getClientConfigOutput({ parent: this });
        const owners = [deployer.objectId];

        const gatewayIdentity = createManagedIdentity(this, `${name}-gateway-identity`, placement, "apim");

        const apps: Record<string, ServerApps> = {};
        for (const server of args.servers) {
            apps[server.name] = createServerApps(this, `${name}-${server.name}`, {
                server: server.name,
                tools: server.tools,
                requiredScope,
                owners,
                apiDisplayName: resourceName(naming, "entraApplication", `${server.name}-api`),
                resourceUrl: mcpResourceUrl(args.publicBaseUrl, server.name),
                backendDisplayName: resourceName(naming, "entraApplication", `${server.name}-backend`),
                tenantId,
                gatewayPrincipalId: gatewayIdentity.principalId,
            });
        }

        const clientApps: Record<string, azuread.Application> = {};
        for (const client of clients) {
            const redirects = redirectUrisOf(client.kind ?? "custom", client.redirectUris);
            const app = new azuread.Application(
                `${name}-${client.name}-client`,
                {
                    displayName: resourceName(naming, "entraApplication", `${client.name}-client`),
                    description: `Approved MCP client ${client.name} (public client, authorization code + PKCE).`,
                    signInAudience: "AzureADMyOrg",
                    owners,
                    // v2 tokens even on a client: harmless, and the policy can then require it of every app.
                    api: { requestedAccessTokenVersion: 2 },
                    publicClient: { redirectUris: redirects.publicClient },
                    singlePageApplication: { redirectUris: redirects.singlePageApplication },
                    // Off: PKCE code flow needs no fallback; on would allow ROPC and device-code flows.
                    fallbackPublicClientEnabled: false,
                    requiredResourceAccesses: client.servers.map((server) => ({
                        resourceAppId: apps[server].api.clientId,
                        resourceAccesses: [{ id: getStableId(server, "scope", requiredScope), type: "Scope" }],
                    })),
                },
                { parent: this },
            );
            // Assignment required on the client too: only users or groups an administrator assigned
            // may sign in with an approved client (the user-side half of the allow-list).
            new azuread.ServicePrincipal(
                `${name}-${client.name}-client-sp`,
                { clientId: app.clientId, appRoleAssignmentRequired: true, owners },
                { parent: this },
            );
            clientApps[client.name] = app;
        }

        // The allow-list (M3): pre-authorised only for the servers the config names for the client.
        for (const { server, client } of preAuthorizations) {
            new azuread.ApplicationPreAuthorized(
                `${name}-${server}-preauth-${client}`,
                {
                    applicationId: apps[server].api.id,
                    authorizedClientId: clientApps[client].clientId,
                    permissionIds: [getStableId(server, "scope", requiredScope)],
                },
                { parent: this },
            );
        }

        const adminGroup = new azuread.Group(
            `${name}-admins`,
            {
                displayName: resourceName(naming, "entraGroup", "admins"),
                description: "Platform administrators of the MCP platform; Conditional Access requires MFA for them.",
                securityEnabled: true,
                mailEnabled: false,
                owners,
            },
            { parent: this },
        );

        if (args.conditionalAccess) {
            createConditionalAccessPolicies(this, name, {
                state: args.conditionalAccess.state,
                adminGroupObjectId: adminGroup.objectId,
                apiAppClientIds: args.servers.map((s) => apps[s.name].api.clientId),
                adminsDisplayName: resourceName(naming, "conditionalAccessPolicy", "admins-mfa"),
                apisDisplayName: resourceName(naming, "conditionalAccessPolicy", "mcp-apis-mfa"),
            });
        }

        this.servers = Object.fromEntries(
            args.servers.map((s) => [
                s.name,
                {
                    apiAppClientId: apps[s.name].api.clientId,
                    apiIdentifierUri: pulumi.output(apps[s.name].apiIdentifierUri),
                    backendAppClientId: apps[s.name].backend.clientId,
                    backendIdentifierUri: pulumi.output(apps[s.name].backendIdentifierUri),
                    requiredScope,
                    appRoleValues: getRoleValues(s.tools),
                },
            ]),
        );
        this.gatewayIdentity = { id: gatewayIdentity.id, principalId: gatewayIdentity.principalId, clientId: gatewayIdentity.clientId };
        this.adminGroupObjectId = adminGroup.objectId;
        this.clientApps = Object.fromEntries(Object.entries(clientApps).map(([n, app]) => [n, { clientId: app.clientId }]));
        this.registerOutputs({
            servers: this.servers,
            gatewayIdentity: this.gatewayIdentity,
            adminGroupObjectId: this.adminGroupObjectId,
            clientApps: this.clientApps,
        });
    }
}
