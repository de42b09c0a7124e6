import { assertUniqueNames } from "../shared/invariants";
import { v5 as uuidv5 } from "uuid";

/**
 * Pure helpers of the identity component: deterministic ids and identifier URIs, the app roles of
 * a tool→role map, redirect-URI platforms and the pre-authorisation allow-list. No Pulumi here.
 */

/** Namespace of every GUID this component derives (any fixed GUID works; this one is ours). */
const identityNamespace = "3d0f5f0e-8a47-4c8e-9d7b-52a1c6f0e9b4";

/** The delegated scope every MCP API app exposes; the gateway requires it in `scp` (C7.3). */
export const defaultRequiredScope = "mcp.access";

/** The app role the gateway's managed identity holds on each backend app (C7.1, M1). */
export const gatewayInvokeRole = "Gateway.Invoke";

/**
 * Built-in authentication strength "Multifactor authentication" (same id in every tenant), in the
 * form the Conditional Access API expects. Preferred over `builtInControls: ["mfa"]` because a
 * strength is the control Microsoft extends (passkeys, phishing-resistant methods) without a
 * policy change.
 */
export const mfaAuthenticationStrengthId = "/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000002";

/**
 * A GUID that stays the same for the same server and value on every run, so an app role or scope
 * keeps its id (and every assignment and pre-authorisation that points at it) across deployments.
 * Entra requires role and scope ids to be unique only within one application.
 */
export function getStableId(server: string, kind: "scope" | "role", value: string): string {
    return uuidv5(`${server}|${kind}|${value}`, identityNamespace);
}

/**
 * The identifier URI of an app: `api://<tenantId>/<displayName>`.
 *
 * Why this form: Entra's identifier-URI restrictions accept `api://<tenantId>/<string>` as a
 * secure pattern (it carries a unique tenant identifier, so the `uriAdditionWithoutUniqueTenantIdentifier`
 * restriction and the verified-domain rule pass without a custom domain), and it is known at
 * plan time, so the gateway can pin its audience before the app exists. It is collision-free
 * because the display name holds the workload, environment, server, role (api/backend) and the
 * naming suffix (a hash of project, stack, tenant and region): two stacks in one tenant differ.
 *
 * Honest limit: a tenant that enforces the stricter `nonDefaultUriAddition` app management policy
 * accepts only `api://<appId>` (or `api://<tenantId>/<appId>`), which cannot be known before the
 * app is created. Such a tenant needs an exemption for this platform's apps, or a follow-up that
 * sets the URI with `azuread.ApplicationIdentifierUri` after creation and feeds the gateway the
 * app's output instead of this value.
 */
export function getIdentifierUri(tenantId: string, displayName: string): string {
    return `api://${tenantId.toLowerCase()}/${displayName}`;
}

/** The distinct app role values of a tool→role map, sorted so the plan is stable. */
export function getRoleValues(tools: Readonly<Record<string, string>>): string[] {
    return [...new Set(Object.values(tools))].sort();
}

export interface AppRoleDefinition {
    readonly id: string;
    readonly value: string;
    readonly displayName: string;
    readonly description: string;
    readonly allowedMemberTypes: string[];
    readonly enabled: boolean;
}

/**
 * One app role per tool group (C2.2): users get it through assignment, and so can applications
 * (agents acting as themselves), hence both member types.
 */
export function getServerAppRoles(server: string, tools: Readonly<Record<string, string>>): AppRoleDefinition[] {
    return getRoleValues(tools).map((value) => {
        const toolNames = Object.keys(tools).filter((tool) => tools[tool] === value).sort();
        return {
            id: getStableId(server, "role", value),
            value,
            displayName: `${server}: ${value}`,
            description: `Calls the ${server} MCP tools ${toolNames.join(", ")}.`,
            allowedMemberTypes: ["User", "Application"],
            enabled: true,
        };
    });
}

/**
 * Splits a client's redirect URIs by platform. Loopback `http://localhost|127.0.0.1` URIs belong
 * to the public-client (mobile and desktop) platform: native MCP clients listen on a local port.
 * `https://` URIs belong to the single-page-application platform: a browser-hosted client (e.g.
 * vscode.dev) redeems the code from JavaScript, which Entra allows only for SPA redirect URIs
 * (cross-origin token endpoint, PKCE mandatory, no implicit grant, refresh tokens capped at 24 h).
 * Neither platform can hold a secret, so no client secret is ever needed.
 */
export function splitRedirectUris(uris: readonly string[]): { publicClient: string[]; singlePageApplication: string[] } {
    const loopback = (uri: string) => /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\//.test(uri);
    return {
        publicClient: uris.filter(loopback),
        singlePageApplication: uris.filter((uri) => !loopback(uri)),
    };
}

/** One allow-listed (server, client) pair: the client is pre-authorised for the server's scope. */
export interface PreAuthorization {
    readonly server: string;
    readonly client: string;
}

/**
 * The pre-authorisation allow-list (M3): a client is pre-authorised on a server's API app only
 * when the client's `servers` list names that server. Throws on a server that does not exist.
 */
export function getPreAuthorizations(
    clients: readonly { name: string; servers: readonly string[] }[],
    serverNames: readonly string[],
): PreAuthorization[] {
    const known = new Set(serverNames);
    return clients.flatMap((client) =>
        [...new Set(client.servers)].map((server) => {
            if (!known.has(server)) {
                throw new Error(
                    `clientApps "${client.name}".servers: got "${server}", expected one of the servers (${serverNames.join(", ")})`,
                );
            }
            return { server, client: client.name };
        }),
    );
}

/**
 * Throws before any child exists when the args cannot produce a valid Entra configuration:
 * duplicate server or client names, or a role value that collides with the delegated scope value
 * (Entra keeps roles and scopes in one namespace per app).
 */
export function validateIdentityArgs(
    servers: readonly { name: string; tools: Readonly<Record<string, string>> }[],
    clients: readonly { name: string }[],
    requiredScope: string,
): void {
    assertUniqueNames("servers", servers.map((s) => s.name), "server names");
    assertUniqueNames("clientApps", clients.map((c) => c.name), "client app names");
    for (const s of servers) {
        if (getRoleValues(s.tools).includes(requiredScope)) {
            throw new Error(
                `servers "${s.name}".tools: got the role "${requiredScope}", expected role values other than the delegated scope "${requiredScope}" (Entra shares one namespace for both)`,
            );
        }
    }
}
