import * as pulumi from "@pulumi/pulumi";
import * as app from "@pulumi/azure-native/app";
import * as authorization from "@pulumi/azure-native/authorization";
import * as random from "@pulumi/random";
import { createManagedIdentity } from "../shared/managedIdentity";
import { createHsmKey, createVaultSecret } from "../keyvault";
import { resourceName } from "../shared/naming";
import { createDiagnosticSetting } from "../shared/diagnostics";
import { DiagnosticsArgs, PlacementArgs } from "../shared/inputs";
import { assignRoles } from "../shared/roleAssignments";
import { builtInRoles } from "../shared/roles";
import { gatewayOnlyRestrictions, identityEnv, probes, secretEnvName, secretUrl, validateEnv, vaultSecretName } from "./settings";

/** The MCP server this component runs: image, limits, replicas, port, secrets, environment. */
export interface McpWorkloadServer {
    /** DNS-safe server name; names the app, its identity, key and secrets. */
    readonly name: string;
    /** `<repository>@sha256:<digest>` in the platform registry (C12.1): never a tag. */
    readonly image: string;
    /** vCPU and memory (`0.5Gi`) of the container: the resource limits of C10.1. */
    readonly cpu: number;
    readonly memory: string;
    readonly minReplicas: number;
    readonly maxReplicas: number;
    /** Port the server listens on inside the container. */
    readonly port: number;
    /** Key Vault secret names the server reads (as Key Vault references, C6.3). */
    readonly secrets: readonly string[];
    /** Plain environment variables (never secrets: those go in `secrets`). */
    readonly env: Readonly<Record<string, string>>;
    /** HTTP health endpoint (`/healthz`); without one the probes check the port over TCP. */
    readonly healthPath?: string;
}

export interface McpWorkloadArgs {
    /** Resource group, region, tags and naming of every child. */
    readonly placement: PlacementArgs;
    /** The platform workspace: the app's metrics go there (its logs flow through the environment) (C5.1). */
    readonly diagnostics: DiagnosticsArgs;
    /** The MCP server as configured (`mcp-platform:servers[]`): image, limits, replicas, port, secrets, env. */
    readonly server: McpWorkloadServer;
    /** The internal Container Apps environment the app runs in (`McpRuntime.environmentId`). */
    readonly environmentId: pulumi.Input<string>;
    /** Workload profile of the environment. Defaults to `Consumption`. */
    readonly workloadProfileName?: string;
    /** CIDR of the gateway subnet: the only source allowed to reach the app (C10.3, A2). */
    readonly gatewaySubnetCidr: string;
    /** The platform registry: images are pulled from it with the app's own identity (C12.1, C12.3). */
    readonly registry: { readonly id: pulumi.Input<string>; readonly loginServer: pulumi.Input<string> };
    /** The platform vault: the app's secrets and its HSM key live there (C6.1, C6.3). */
    readonly keyVault: { readonly name: pulumi.Input<string>; readonly uri: pulumi.Input<string> };
    /** Entra tenant whose tokens the server accepts (M1). */
    readonly tenantId: string;
    /** This server's backend app (`McpIdentity.servers[name]`): the only audience the server accepts (M1, C7.2). */
    readonly backendApp: { readonly clientId: pulumi.Input<string>; readonly identifierUri: pulumi.Input<string> };
    /** Client id of the gateway's managed identity: the only caller the server accepts (C7.1). */
    readonly gatewayClientId: pulumi.Input<string>;
    /** Concurrent requests per replica before the app scales out. Defaults to 20. */
    readonly concurrentRequests?: number;
    /** HTTP health endpoint of the server. Defaults to none: probes check the target port over TCP. */
    readonly healthPath?: string;
    /** Browser origins the gateway admits (`gateway.allowedOrigins`), passed as MCP_ALLOWED_ORIGINS. Defaults to none. */
    readonly allowedOrigins?: readonly string[];
    /** Days until the initial secret values expire; operators rotate before then (C2.3). Defaults to 90. */
    readonly secretExpiryDays?: number;
    /** `protect: true` on the app's key and secrets (prod). Defaults to false. */
    readonly protect?: boolean;
}

/**
 * One MCP server on Container Apps (C4.3, C6.3, C10.1, C10.2, C12.1): its own user-assigned
 * identity, a digest-pinned image pulled from the platform registry with that identity, ingress
 * reachable only from the gateway subnet over HTTPS, every secret a Key Vault reference, its own
 * HSM key, limits, replica bounds, an HTTP scale rule and health probes, and role assignments on
 * exactly the registry, its own secrets and its own key.
 */
export class McpWorkload extends pulumi.ComponentResource {
    /** The app's ingress FQDN, resolvable inside the VNet through the environment's private zone. */
    public readonly fqdn: pulumi.Output<string>;
    public readonly appName: pulumi.Output<string>;
    public readonly identity: { id: pulumi.Output<string>; principalId: pulumi.Output<string>; clientId: pulumi.Output<string> };
    /** Versionless URI of the server's own HSM key. */
    public readonly keyUri: pulumi.Output<string>;

    constructor(name: string, args: McpWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mcp:workload:McpWorkload", name, { server: args.server.name }, opts);
        const { placement, server } = args;
        validateEnv(server.name, server.env ?? {}, server.secrets ?? []);
        const vault = { name: args.keyVault.name, resourceGroupName: placement.resourceGroupName };
        const protect = args.protect ?? false;

        // Its own identity (C10.2): nothing else in the platform shares it.
        const identity = createManagedIdentity(this, `${name}-id`, placement, server.name);
        const principal = { principalId: identity.principalId, principalType: "ServicePrincipal" as const };

        // Its own key (C6.1, C6.2) and secrets (C6.3), each granted at its own scope only.
        const key = createHsmKey(this, `${name}-key`, { vault, keyName: vaultSecretName(server.name, "data"), tags: placement.tags, protect });
        const grants: authorization.RoleAssignment[] = [
            ...assignRoles(this, `${name}-acr`, args.registry.id, placement.subscriptionId, [
                { ...principal, roleDefinitionId: builtInRoles.acrPull, role: "acr-pull" },
            ]),
            ...assignRoles(this, `${name}-key`, key.id, placement.subscriptionId, [
                { ...principal, roleDefinitionId: builtInRoles.keyVaultCryptoUser, role: "crypto-user" },
            ]),
        ];
        const secrets = (server.secrets ?? []).map((secret) => {
            const initial = new random.RandomPassword(`${name}-secret-${secret}-initial`, { length: 48, special: false }, { parent: this });
            const secretName = vaultSecretName(server.name, secret);
            const vaultSecret = createVaultSecret(this, `${name}-secret-${secret}`, {
                vault,
                secretName,
                value: pulumi.secret(initial.result),
                contentType: "text/plain; initial value generated by the platform, rotate in Key Vault",
                expiresInDays: args.secretExpiryDays ?? 90,
                tags: placement.tags,
                protect,
            });
            grants.push(
                ...assignRoles(this, `${name}-secret-${secret}`, vaultSecret.id, placement.subscriptionId, [
                    { ...principal, roleDefinitionId: builtInRoles.keyVaultSecretsUser, role: "secrets-user" },
                ]),
            );
            return {
                name: secret,
                keyVaultUrl: pulumi.output(args.keyVault.uri).apply((uri) => secretUrl(uri, secretName)),
                identity: identity.id,
            };
        });

        const env = pulumi
            .all([args.backendApp.clientId, args.backendApp.identifierUri, args.gatewayClientId, identity.clientId, key.keyUri])
            .apply(([backendClientId, backendIdentifierUri, gatewayClientId, workloadClientId, keyUri]) => [
                ...identityEnv({ tenantId: args.tenantId, backendClientId, backendIdentifierUri, gatewayClientId, workloadClientId, keyUri }),
                // The browser origins the gateway admits (C1.1): the server checks Origin against the same list.
                { name: "MCP_ALLOWED_ORIGINS", value: (args.allowedOrigins ?? []).join(",") },
                ...Object.entries(server.env ?? {}).map(([envName, value]) => ({ name: envName, value })),
                ...(server.secrets ?? []).map((secret) => ({ name: secretEnvName(secret), secretRef: secret })),
            ]);

        const containerApp = new app.ContainerApp(
            `${name}-ca`,
            {
                containerAppName: resourceName(placement.naming, "containerApp", server.name),
                resourceGroupName: placement.resourceGroupName,
                location: placement.location,
                tags: placement.tags,
                managedEnvironmentId: args.environmentId,
                workloadProfileName: args.workloadProfileName ?? "Consumption",
                identity: { type: app.ManagedServiceIdentityType.UserAssigned, userAssignedIdentities: [identity.id] },
                configuration: {
                    activeRevisionsMode: app.ActiveRevisionsMode.Single,
                    maxInactiveRevisions: 5,
                    ingress: {
                        // `external` in an *internal* environment means "reachable from the VNet through the
                        // environment's internal load balancer" (there is no public endpoint); `false` would
                        // confine the app to its environment, where API Management in the gateway subnet
                        // cannot reach it. The IP allow-list narrows the VNet down to the gateway subnet.
                        external: true,
                        allowInsecure: false,
                        transport: app.IngressTransportMethod.Http,
                        targetPort: server.port,
                        ipSecurityRestrictions: gatewayOnlyRestrictions(args.gatewaySubnetCidr),
                    },
                    registries: [{ server: args.registry.loginServer, identity: identity.id }],
                    secrets,
                },
                template: {
                    containers: [
                        {
                            name: server.name,
                            image: pulumi.interpolate`${args.registry.loginServer}/${server.image}`,
                            resources: { cpu: server.cpu, memory: server.memory },
                            env,
                            probes: probes(server.port, server.healthPath ?? args.healthPath),
                        },
                    ],
                    scale: {
                        minReplicas: server.minReplicas,
                        maxReplicas: server.maxReplicas,
                        rules: [{ name: "http-concurrency", http: { metadata: { concurrentRequests: String(args.concurrentRequests ?? 20) } } }],
                    },
                },
            },
            // The first revision pulls the image and reads the secrets: the grants must exist before it.
            { parent: this, dependsOn: grants },
        );
        // Container Apps emit metrics per app; their console and system logs go through the environment.
        createDiagnosticSetting(this, `${name}-ca`, containerApp.id, args.diagnostics, { logCategories: "none" });

        this.fqdn = containerApp.configuration.apply((c) => c?.ingress?.fqdn ?? "");
        this.appName = containerApp.name;
        this.identity = { id: identity.id, principalId: identity.principalId, clientId: identity.clientId };
        this.keyUri = key.keyUri;
        this.registerOutputs({ fqdn: this.fqdn, appName: this.appName, identityId: this.identity.id, keyUri: this.keyUri });
    }
}
