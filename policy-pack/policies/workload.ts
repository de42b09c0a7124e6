import type { ContainerAppArgs } from "@pulumi/azure-native/app";
import type { Inputs } from "../lib/inputs";
import type { PolicyConfigSchema } from "@pulumi/policy";
import { exemptionsConfigSchema } from "../lib/exemptions";
import { McpResourcePolicy, resourcePolicy, stackPolicy } from "../lib/policy";
import {
    cidrWithin,
    containersOf,
    credentialEnvName,
    credentialEnvValue,
    digestPinnedAcrImage,
    imageHost,
    isPrivateCidr,
    memoryInGi,
    runsCustomContainer,
} from "../lib/containerApps";
import { dependenciesOf } from "../lib/references";
import { declaredString } from "../lib/declared";
import type { PolicyResource } from "@pulumi/policy";
import { resourceTypes } from "../contract/resourceTypes";

/**
 * The MCP server workloads (RT): in an internal environment, reachable only from the gateway,
 * images by digest from the platform registry, own user-assigned identity, bounded resources,
 * health probes, and secrets only as Key Vault references. Session pools running our containers follow the image, identity,
 * limit and secret rules too.
 */
const appsAndPools = [resourceTypes.app.ContainerApp, resourceTypes.app.ContainerAppsSessionPool];

export const azureContainerAppsAppConfigurePrivateIngress = resourcePolicy<Inputs<ContainerAppArgs>>({
    name: "azure-containerapps-app-configure-private-ingress",
    description:
        "A Container App's ingress is HTTPS-only (allowInsecure false, set explicitly) and restricted by an IP allow-list " +
        "whose every rule is Allow for a private (RFC 1918) range — Container Apps then denies every other source. " +
        "A deny-list, a public range, or no restrictions is a violation. An app without ingress is unreachable and passes. Compared against: the secure default, allowInsecure false and an allow-list of RFC 1918 ranges (azure-containerapps-app-enforce-gateway-ingress narrows it to the gateway subnet).",
    controls: ["C10.3", "A2", "C3.1"],
    component: "workload",
    remediationSteps:
        "Create the app through components/workload: ingress { allowInsecure: false, ipSecurityRestrictions: [{ action: Allow, " +
        "ipAddressRange: <gateway subnet> }] }. Only API Management may call an MCP server (A1).",
    appliesTo: [resourceTypes.app.ContainerApp],
    validate: (props, _args, must) => {
        const ingress = props.configuration?.ingress;
        if (!ingress) return;
        if (ingress.allowInsecure !== false) must("refuse plain HTTP (ingress.allowInsecure: false)");
        const rules = ingress.ipSecurityRestrictions ?? [];
        if (rules.length === 0) {
            must("restrict ingress to the gateway subnet (ingress.ipSecurityRestrictions allow-list)");
            return;
        }
        if (rules.some((r) => r?.action !== "Allow")) {
            must("use an allow-list (every ipSecurityRestrictions rule Allow); a deny-list lets every other source in");
        }
        const open = rules.filter((r) => !isPrivateCidr(r?.ipAddressRange)).map((r) => String(r?.ipAddressRange));
        if (open.length > 0) must(`allow only private source ranges such as the gateway subnet (got ${open.join(", ")})`);
    },
});

/** The gateway subnet's prefixes: the subnets API Management is injected into (declared `gatewaySubnetPrefix` wins). */
function gatewaySubnetPrefixes(resources: readonly PolicyResource[]): string[] {
    const declared = declaredString(resources, "gatewaySubnetPrefix");
    if (declared) return [declared];
    const subnets = resources
        .filter((r) => r.type === resourceTypes.apimanagement.ApiManagementService)
        .flatMap((apim) => dependenciesOf(apim, "virtualNetworkConfiguration"))
        .filter((d) => d.type === resourceTypes.network.Subnet);
    return subnets.flatMap((s) => [s.props.addressPrefix, ...(s.props.addressPrefixes ?? [])]).filter((p): p is string => typeof p === "string");
}

export const azureContainerAppsAppEnforceGatewayIngress = stackPolicy({
    name: "azure-containerapps-app-enforce-gateway-ingress",
    description:
        "A Container App with ingress admits only the gateway subnet: every ipSecurityRestrictions Allow range lies inside the subnet API Management is " +
        "injected into (or the declared gatewaySubnetPrefix), not merely any private range. When the gateway subnet cannot be determined the check fails " +
        "closed. Compared against: the declaration's gatewaySubnetPrefix, else the stack's API Management subnet.",
    controls: ["C10.3", "A2", "A1"],
    component: "workload",
    remediationSteps:
        "Create the app through components/workload: ipSecurityRestrictions [{ action: Allow, ipAddressRange: <gateway subnet prefix> }] and nothing wider; " +
        "the runtime and edge subnets have no business calling an MCP server directly.",
    validate: (resources, _args, must) => {
        const apps = resources.filter((r) => r.type === resourceTypes.app.ContainerApp && r.props.configuration?.ingress);
        if (apps.length === 0) return;
        const gateway = gatewaySubnetPrefixes(resources);
        for (const app of apps) {
            const rules: any[] = app.props.configuration.ingress.ipSecurityRestrictions ?? [];
            if (gateway.length === 0) {
                must(app, "admit only the gateway subnet (no API Management subnet or declared gatewaySubnetPrefix found, so the allow-list cannot be evaluated)");
                continue;
            }
            const wider = rules.filter((r) => r?.action === "Allow" && !gateway.some((g) => cidrWithin(r?.ipAddressRange, g))).map((r) => String(r?.ipAddressRange));
            if (wider.length > 0) must(app, `admit only the gateway subnet ${gateway.join(", ")} (its allow-list also admits ${wider.join(", ")})`);
        }
    },
});

export const azureContainerAppsAppEnforceDigestImage = resourcePolicy({
    name: "azure-containerapps-app-enforce-digest-image",
    description:
        "Every container of a Container App (init and main) and of a custom-container session pool references an Azure " +
        "Container Registry image pinned by digest: <registry>.azurecr.io/<repository>@sha256:<64 hex>. Tags, other " +
        "registries, and a missing image are violations. Compared against: the secure default, <acr>.azurecr.io/<repo>@sha256:<64 hex>.",
    controls: ["C12.1", "C12.3"],
    component: "workload",
    remediationSteps:
        "Push the image to the platform registry and configure servers[].image as <repository>@sha256:<digest>; " +
        "components/workload prefixes the registry's login server.",
    appliesTo: appsAndPools,
    validate: (props, args, must) => {
        if (args.type === resourceTypes.app.ContainerAppsSessionPool && !runsCustomContainer(props)) return;
        const containers = containersOf(args.type, props);
        if (containers.length === 0) must("define its containers with digest-pinned images");
        for (const container of containers) {
            if (typeof container.image !== "string" || !digestPinnedAcrImage.test(container.image)) {
                must(`pin container ${container.name ?? "(unnamed)"} to <registry>.azurecr.io/<repository>@sha256:<digest> (got ${container.image ?? "no image"})`);
            }
        }
    },
});

export const azureContainerAppsAppEnforcePlatformRegistry = stackPolicy({
    name: "azure-containerapps-app-enforce-platform-registry",
    description:
        "Every Container App and custom-container session pool pulls its images from a registry this stack creates: the " +
        "image is computed from a Registry resource of the stack and, where the registry's name is known, its host is that " +
        "registry's login server. Compared against: the stack's own registry (by dependency) and its login server.",
    controls: ["C12.1", "C12.3"],
    component: "workload",
    remediationSteps:
        "Build the image reference from McpRegistry.loginServer (components/workload does); images from public or foreign " +
        "registries bypass the platform's private, scanned registry.",
    validate: (resources, _args, must) => {
        for (const resource of resources.filter((r) => r.type === resourceTypes.app.ContainerApp || r.type === resourceTypes.app.ContainerAppsSessionPool)) {
            if (resource.type === resourceTypes.app.ContainerAppsSessionPool && !runsCustomContainer(resource.props)) continue;
            const registries = dependenciesOf(resource, "template", "customContainerTemplate").filter((d) => d.type === resourceTypes.containerregistry.Registry);
            if (registries.length === 0) {
                must(resource, "pull its images from the platform registry created by this stack");
                continue;
            }
            const hosts = registries.map((r) => r.props.registryName).filter((n): n is string => typeof n === "string").map((n) => `${n.toLowerCase()}.azurecr.io`);
            const foreign = containersOf(resource.type, resource.props)
                .map((c) => (typeof c.image === "string" ? imageHost(c.image) : "(no image)"))
                .filter((host) => hosts.length > 0 && !hosts.includes(host));
            if (foreign.length > 0) must(resource, `pull its images from the platform registry ${hosts.join(", ")} (got ${foreign.join(", ")})`);
        }
    },
});

export const azureContainerAppsAppEnforceUserAssignedIdentity = resourcePolicy({
    name: "azure-containerapps-app-enforce-user-assigned-identity",
    description:
        "A Container App or session pool runs as a user-assigned identity of its own (a system-assigned identity alone is " +
        "not enough), and pulls from registries with that identity, never a password. Compared against: the secure default, a user-assigned identity and identity-based pulls.",
    controls: ["C10.2", "C12.3"],
    component: "workload",
    remediationSteps:
        "Give the app identity { type: UserAssigned, userAssignedIdentities: [<its own identity>] } and registries " +
        "[{ server, identity: <that identity's resource id> }] (components/workload does).",
    appliesTo: appsAndPools,
    validate: (props, args, must) => {
        const type: string = props.identity?.type ?? "";
        const assigned: unknown[] = props.identity?.userAssignedIdentities ?? [];
        if (!type.includes("UserAssigned") || assigned.length === 0) must("run as a user-assigned identity of its own");
        const registries: any[] =
            args.type === resourceTypes.app.ContainerAppsSessionPool
                ? [props.customContainerTemplate?.registryCredentials].filter(Boolean)
                : props.configuration?.registries ?? [];
        for (const registry of registries) {
            if (registry.passwordSecretRef || registry.username) must(`pull from ${registry.server ?? "its registry"} with its managed identity, not a password`);
            else if (typeof registry.identity !== "string" || !registry.identity.includes("/userAssignedIdentities/")) {
                must(`pull from ${registry.server ?? "its registry"} with its user-assigned identity (registries[].identity)`);
            }
        }
    },
});

/** Azure's own ceiling for concurrent sessions of one pool. */
const maxConcurrentSessionsCap = 600;

const limitsSchema: PolicyConfigSchema = {
    properties: {
        ...exemptionsConfigSchema.properties,
        maxCpu: { type: "number", default: 4, description: "Highest vCPU any container may request." },
        maxMemoryGi: { type: "number", default: 8, description: "Highest memory (GiB) any container may request." },
        maxReplicas: { type: "integer", default: 30, description: "Highest maxReplicas any app may scale to." },
        maxSessionLifetimeSeconds: { type: "integer", default: 3600, description: "Longest a code-execution session may live (cooldown or max alive period), in seconds." },
    },
};

export const azureContainerAppsAppConfigureResourceLimits: McpResourcePolicy = {
    ...resourcePolicy({
        name: "azure-containerapps-app-configure-resource-limits",
        description:
            "Every container states its CPU and memory within the configured caps (maxCpu 4, maxMemoryGi 8 by default); an app " +
            "states minReplicas and maxReplicas (≤ maxReplicas cap, 30 by default); a session pool bounds concurrent sessions (≤ 600, Azure's ceiling) " +
            "and session lifetime (≤ maxSessionLifetimeSeconds, 3600 by default). Absent values are violations. Compared against: the config caps.",
        controls: ["C4.3", "C10.1"],
        component: "workload",
        remediationSteps:
            "Set servers[].cpu, memory, minReplicas and maxReplicas within the caps (the pack config can lower them); for the " +
            "sandbox set maxConcurrentSessions and cooldownSeconds.",
        appliesTo: appsAndPools,
        validate: (props, args, must) => {
            const caps = args.getConfig<{ maxCpu: number; maxMemoryGi: number; maxReplicas: number; maxSessionLifetimeSeconds: number }>();
            for (const container of containersOf(args.type, props)) {
                const label = container.name ?? "(unnamed)";
                const cpu = container.resources?.cpu;
                if (typeof cpu !== "number" || cpu <= 0 || cpu > caps.maxCpu) must(`limit container ${label} to at most ${caps.maxCpu} vCPU (got ${cpu ?? "none"})`);
                const memory = memoryInGi(container.resources?.memory);
                if (memory === undefined || memory <= 0 || memory > caps.maxMemoryGi) {
                    must(`limit container ${label} to at most ${caps.maxMemoryGi}Gi memory (got ${container.resources?.memory ?? "none"})`);
                }
            }
            if (args.type === resourceTypes.app.ContainerApp) {
                const scale = props.template?.scale ?? {};
                if (typeof scale.maxReplicas !== "number" || scale.maxReplicas > caps.maxReplicas || scale.maxReplicas < 1) {
                    must(`bound its replicas to at most ${caps.maxReplicas} (template.scale.maxReplicas, got ${scale.maxReplicas ?? "none"})`);
                }
                if (typeof scale.minReplicas !== "number" || (typeof scale.maxReplicas === "number" && scale.minReplicas > scale.maxReplicas)) {
                    must(`state minReplicas no higher than maxReplicas (got ${scale.minReplicas ?? "none"})`);
                }
            } else {
                const sessions = props.scaleConfiguration?.maxConcurrentSessions;
                if (typeof sessions !== "number" || sessions < 1 || sessions > maxConcurrentSessionsCap) {
                    must(`bound concurrent sessions to at most ${maxConcurrentSessionsCap} (scaleConfiguration.maxConcurrentSessions, got ${sessions ?? "none"})`);
                }
                const lifecycle = props.dynamicPoolConfiguration?.lifecycleConfiguration ?? {};
                const lifetimes = [lifecycle.cooldownPeriodInSeconds, lifecycle.maxAlivePeriodInSeconds].filter((n): n is number => typeof n === "number");
                if (lifetimes.length === 0) {
                    must("bound each session's lifetime (lifecycleConfiguration cooldownPeriodInSeconds or maxAlivePeriodInSeconds)");
                } else if (lifetimes.some((n) => n <= 0 || n > caps.maxSessionLifetimeSeconds)) {
                    must(`end each session within ${caps.maxSessionLifetimeSeconds} seconds (lifecycleConfiguration got ${lifetimes.join(", ")})`);
                }
            }
        },
    }),
    configSchema: limitsSchema,
};

export const azureContainerAppsAppConfigureHealthProbes = resourcePolicy<Inputs<ContainerAppArgs>>({
    name: "azure-containerapps-app-configure-health-probes",
    description: "Every main container of a Container App has a liveness and a readiness probe (startup recommended). None is a violation. Compared against: the secure default, Liveness and Readiness on every main container.",
    controls: ["C10.4", "C4.3"],
    component: "workload",
    severity: "medium",
    remediationSteps: "Create the app through components/workload (startup, liveness and readiness probes on the target port or healthPath).",
    appliesTo: [resourceTypes.app.ContainerApp],
    validate: (props, _args, must) => {
        const containers = props.template?.containers ?? [];
        if (containers.length === 0) must("define containers with liveness and readiness probes");
        for (const container of containers) {
            const types = new Set((container.probes ?? []).map((p) => p?.type));
            const missing = ["Liveness", "Readiness"].filter((p) => !types.has(p));
            if (missing.length > 0) must(`probe container ${container.name ?? "(unnamed)"} (missing ${missing.join(" and ")})`);
        }
    },
});

export const azureContainerAppsAppDisallowLiteralSecrets = resourcePolicy({
    name: "azure-containerapps-app-disallow-literal-secrets",
    description:
        "Every secret of a Container App is a Key Vault reference (keyVaultUrl and identity) with no literal value, and no container env var carries a " +
        "credential in plain text (a name such as PASSWORD, SECRET, TOKEN, API_KEY, CONNECTION_STRING, or a value such as AccountKey=, a private key or a " +
        "SAS signature); a session pool, whose secrets can only be literal values, has none. Compared against: the secure default, Key Vault references only and the credential patterns credentialEnvName/credentialEnvValue.",
    controls: ["C6.3"],
    component: "workload",
    remediationSteps:
        "List the secret in servers[].secrets: components/workload creates it in the platform vault and references it with " +
        "{ keyVaultUrl, identity }. Rotate it in Key Vault; never put a value in the stack.",
    appliesTo: appsAndPools,
    validate: (props, args, must) => {
        if (args.type === resourceTypes.app.ContainerAppsSessionPool) {
            if ((props.secrets ?? []).length > 0) must("carry no secrets (session pool secrets are literal values)");
            return;
        }
        for (const secret of props.configuration?.secrets ?? []) {
            const label = secret?.name ?? "(unnamed)";
            if (secret?.value !== undefined) must(`not hold a literal value for secret ${label}; reference Key Vault instead`);
            else if (!secret?.keyVaultUrl || !secret?.identity) must(`reference secret ${label} from Key Vault with its identity (keyVaultUrl and identity)`);
        }
        // A plaintext env var that looks like a credential bypasses the secret store (use secretRef instead).
        for (const container of [...(props.template?.initContainers ?? []), ...(props.template?.containers ?? [])]) {
            for (const env of container?.env ?? []) {
                if (typeof env?.value !== "string" || env.value === "") continue;
                if (credentialEnvName.test(env.name ?? "") || credentialEnvValue.test(env.value)) {
                    must(`not carry a credential in plain text (container ${container.name ?? "(unnamed)"} env ${env.name ?? "(unnamed)"}); use secretRef to a Key Vault secret`);
                }
            }
        }
    },
});

export const azureContainerAppsAppEnforceInternalEnvironment = stackPolicy({
    name: "azure-containerapps-app-enforce-internal-environment",
    description:
        "Every Container App and session pool runs in a Container Apps environment of this stack that is internal. " +
        "An app whose environment the stack does not create cannot be verified and is a violation. Compared against: the stack's own environments (by dependency) and their internal flag.",
    controls: ["C10.3", "A2"],
    component: "workload",
    remediationSteps:
        "Pass McpRuntime.environmentId as the app's managedEnvironmentId (or the pool's environmentId); never point an app " +
        "at an environment created outside the platform.",
    validate: (resources, _args, must) => {
        for (const resource of resources.filter((r) => r.type === resourceTypes.app.ContainerApp || r.type === resourceTypes.app.ContainerAppsSessionPool)) {
            if (resource.type === resourceTypes.app.ContainerAppsSessionPool && resource.props.containerType === "PythonLTS") continue; // Microsoft-hosted, no environment
            const environments = dependenciesOf(resource, "managedEnvironmentId", "environmentId").filter((d) => d.type === resourceTypes.app.ManagedEnvironment);
            if (environments.length === 0) {
                must(resource, "run in an internal Container Apps environment created by this stack (managedEnvironmentId)");
            } else if (!environments.every((e) => e.props.vnetConfiguration?.internal === true)) {
                must(resource, "run in an internal Container Apps environment (its environment has a public endpoint)");
            }
        }
    },
});
