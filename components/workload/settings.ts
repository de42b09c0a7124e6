import * as app from "@pulumi/azure-native/app";
import type * as inputs from "@pulumi/azure-native/types/input";

/**
 * Pure helpers of the workload component: the values each Container App derives from its server's
 * config. Unit-tested without mocks.
 */

/** `mcp-docs` secret `upstream-token` → Key Vault secret `mcp-docs-upstream-token` (one vault, names unique per server). */
export function vaultSecretName(server: string, secret: string): string {
    return `${server}-${secret}`;
}

/** `upstream-token` → `UPSTREAM_TOKEN`: the environment variable the server reads the secret from. */
export function secretEnvName(secret: string): string {
    return secret.toUpperCase().replace(/-/g, "_");
}

/** Versionless secret URL: the app always reads the latest version, so operators rotate without a deployment (C2.3). */
export function secretUrl(vaultUri: string, secretName: string): string {
    return `${vaultUri.replace(/\/?$/, "/")}secrets/${secretName}`;
}

/**
 * The issuers a token for this server's backend app may carry: the gateway's managed-identity token
 * is a v1 token (`sts.windows.net`) unless the backend app asks for v2 tokens (M1, C7.2).
 */
export function acceptedIssuers(tenantId: string): string[] {
    return [`https://login.microsoftonline.com/${tenantId}/v2.0`, `https://sts.windows.net/${tenantId}/`];
}

/** The audience/issuer/caller variables of contracts.md, plus the server's own non-secret env. */
export function identityEnv(input: {
    tenantId: string;
    backendClientId: string;
    backendIdentifierUri: string;
    gatewayClientId: string;
    workloadClientId: string;
    keyUri: string;
}): { name: string; value: string }[] {
    return [
        { name: "MCP_AUDIENCE", value: input.backendIdentifierUri },
        { name: "MCP_ACCEPTED_AUDIENCES", value: [input.backendClientId, input.backendIdentifierUri].join(",") },
        { name: "MCP_ISSUER", value: acceptedIssuers(input.tenantId).join(",") },
        { name: "MCP_ALLOWED_CALLER", value: input.gatewayClientId },
        // DefaultAzureCredential picks the user-assigned identity by client id (the app has no other).
        { name: "AZURE_CLIENT_ID", value: input.workloadClientId },
        { name: "MCP_DATA_KEY_ID", value: input.keyUri },
    ];
}

/** Names the platform sets; a server's own `env` may not shadow them. */
const reservedEnvNames = ["MCP_AUDIENCE", "MCP_ACCEPTED_AUDIENCES", "MCP_ISSUER", "MCP_ALLOWED_CALLER", "MCP_ALLOWED_ORIGINS", "AZURE_CLIENT_ID", "MCP_DATA_KEY_ID"];

/** Throws when the server's env or secret names collide with the platform's variables. */
export function validateEnv(server: string, env: Record<string, string>, secrets: readonly string[]): void {
    const names = [...Object.keys(env), ...secrets.map(secretEnvName)];
    const clash = names.filter((n) => reservedEnvNames.includes(n));
    const duplicate = names.filter((n, i) => names.indexOf(n) !== i);
    if (clash.length + duplicate.length > 0) {
        throw new Error(
            `server ${server}: got environment variable(s) ${[...new Set([...clash, ...duplicate])].join(", ")}, ` +
                `expected names that are unique and not one of ${reservedEnvNames.join(", ")} — rename the env key or secret`,
        );
    }
}

/**
 * Startup, liveness and readiness probes. An HTTP path when the server has a health endpoint,
 * otherwise a TCP check on the target port (every MCP server listens; not every one has /healthz).
 * Startup allows 150 s before liveness takes over, so slow starts are not killed in a loop.
 */
export function probes(port: number, healthPath?: string): inputs.app.ContainerAppProbeArgs[] {
    const check = healthPath ? { httpGet: { port, path: healthPath, scheme: app.Scheme.HTTP } } : { tcpSocket: { port } };
    return [
        { type: app.Type.Startup, ...check, periodSeconds: 5, failureThreshold: 30, timeoutSeconds: 3 },
        { type: app.Type.Liveness, ...check, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 3 },
        { type: app.Type.Readiness, ...check, periodSeconds: 5, failureThreshold: 3, successThreshold: 1, timeoutSeconds: 3 },
    ];
}

/** Only the gateway subnet may reach the app; Container Apps denies every other source once an Allow rule exists. */
export function gatewayOnlyRestrictions(gatewaySubnetCidr: string): inputs.app.IpSecurityRestrictionRuleArgs[] {
    return [
        {
            name: "allow-gateway-subnet",
            action: app.Action.Allow,
            ipAddressRange: gatewaySubnetCidr,
            description: "API Management subnet; all other sources are denied",
        },
    ];
}
