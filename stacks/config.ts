import { carveSubnets, parseCidr, rangesOverlap, smallestPrefixFor, CidrRange } from "../components/network/cidr";
import { subnetRequests } from "../components/network/layout";
import type { McpPlatformConfig } from "../components/platform/config";
import { FeatureName, featureNames, profiles } from "./profiles";
import { preflight } from "./preflight";
import { describeIssue, type ConfigIssue } from "./configMessages";
import { ClientAppConfig, McpServerConfig, stackConfigSchema, structuredKeys } from "./schema";

/**
 * The fully resolved platform config: profile defaults applied, every value validated. Its shape
 * is the platform component's own (`McpPlatformConfig`); this module only maps stack config onto it.
 */
export type PlatformConfig = McpPlatformConfig;

/** Thrown for invalid config; `problems` holds one line per problem, each naming its key. */
export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`Invalid stack config:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "ConfigError";
    }
}

/**
 * Validates the engine's config map (`<project>:<key>` → string, as `pulumi.runtime.allConfig()`
 * returns it) and resolves the profile. Throws a ConfigError naming every bad key; nothing is
 * registered before this returns.
 */
export function resolvePlatformConfig(project: string, stack: string, configMap: Record<string, string>): PlatformConfig {
    const raw = readProjectKeys(project, configMap);
    const parsed = stackConfigSchema.safeParse(raw.values);
    const problems = [...raw.problems];
    if (!parsed.success) {
        for (const issue of parsed.error.issues) problems.push(...describeIssue(project, raw.values, issue as ConfigIssue));
        // Report the cross-field problems of the parts that parsed too: one run shows every problem.
        const { addressSpace, servers } = raw.values as { addressSpace?: unknown; servers?: unknown };
        if (Array.isArray(addressSpace) && addressSpace.every((c) => typeof c === "string")) {
            problems.push(...checkAddressSpace(`${project}:addressSpace`, addressSpace));
        }
        if (Array.isArray(servers)) problems.push(...checkServers(`${project}:servers`, servers.filter(isServerLike) as McpServerConfig[]));
        throw new ConfigError(problems);
    }
    const config = parsed.data;
    const profile = profiles[config.profile];
    const features = { ...profile.features, ...definedOnly(config.features) } as Record<FeatureName, boolean>;
    const featureReasons = { ...profile.featureReasons, ...definedOnly(config.featureReasons) };
    const gateway = {
        ...profile.gateway,
        publisherEmail: `${config.workload}-platform@${config.owner.includes("@") ? config.owner.split("@")[1] : "example.com"}`,
        publisherName: config.owner,
        ...definedOnly(config.gateway),
    } as PlatformConfig["gateway"];
    const edge = {
        ...profile.edge,
        hostname: `${config.workload}-${stack}.${config.location}.example.com`,
        ...definedOnly(config.edge),
    } as PlatformConfig["edge"];
    const monitoring = { ...profile.monitoring, ...definedOnly(config.monitoring) };
    const runtime = { ...profile.runtime, ...definedOnly(config.runtime) };

    const key = (k: string) => `${project}:${k}`;
    problems.push(...checkAddressSpace(key("addressSpace"), config.addressSpace));
    const requests = subnetRequests({ sandbox: features.dynamicSessions, firewall: features.egressFirewall });
    const carved = problems.length === 0 ? carveSubnets(config.addressSpace, requests) : undefined;
    if (problems.length === 0 && !carved) {
        problems.push(
            `${key("addressSpace")}: got ${JSON.stringify(config.addressSpace)}, expected room for the subnets ` +
                `${requests.map((r) => `${r.name} /${r.prefixLength}`).join(", ")} — use at least a /${smallestPrefixFor(requests)}`,
        );
    }
    problems.push(...checkServers(key("servers"), config.servers));
    problems.push(...checkServerEgress(key("servers"), config.servers, features.egressFirewall));
    problems.push(...checkClientApps(key("clientApps"), config.clientApps, config.servers));
    if (config.profile === "prod") {
        if (gateway.sku === "Developer") {
            problems.push(`${key("gateway")}.sku: got "Developer", expected Premium or PremiumV2 in the prod profile — the Developer tier has no SLA`);
        }
        if (monitoring.retentionDays < 90) {
            problems.push(`${key("monitoring")}.retentionDays: got ${monitoring.retentionDays}, expected at least 90 in the prod profile (A9 forensic readiness)`);
        }
    }
    for (const feature of featureNames) {
        if (!features[feature] && !featureReasons[feature]) {
            problems.push(
                `${key("featureReasons")}.${feature}: got nothing, expected a sentence on why features.${feature} is off ` +
                    `(an optional control that is off must say why)`,
            );
        }
    }
    if (problems.length > 0) throw new ConfigError(problems);

    const resolved: PlatformConfig = {
        project,
        stack,
        profile: config.profile,
        location: config.location,
        tenantId: config.tenantId.toLowerCase(),
        owner: config.owner,
        workload: config.workload,
        dataClassification: config.dataClassification,
        addressSpace: config.addressSpace,
        subnets: { sandbox: undefined, ...carved } as PlatformConfig["subnets"],
        protocolVersions: [...new Set(config.protocolVersions)],
        servers: config.servers,
        clientApps: config.clientApps,
        features,
        featureReasons: Object.fromEntries(featureNames.filter((f) => !features[f]).map((f) => [f, featureReasons[f]])),
        gateway,
        edge,
        monitoring,
        runtime,
        conditionalAccessState: profile.conditionalAccessState,
        protectStatefulResources: profile.protectStatefulResources,
    };
    // What Azure would reject at deploy time, found now (names, sizes, combinations).
    const rejected = preflight(resolved);
    if (rejected.length > 0) throw new ConfigError(rejected);
    return resolved;
}

/** Picks this project's keys out of the engine's config map; structured values arrive as JSON. */
function readProjectKeys(project: string, configMap: Record<string, string>) {
    const values: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const [fullKey, value] of Object.entries(configMap)) {
        const [namespace, name] = splitKey(fullKey);
        if (namespace !== project) continue;
        if (structuredKeys.has(name)) {
            try {
                values[name] = JSON.parse(value);
            } catch {
                problems.push(`${fullKey}: got ${JSON.stringify(value)}, expected a structured (YAML list or map) value`);
            }
        } else {
            values[name] = value;
        }
    }
    return { values, problems };
}

function splitKey(fullKey: string): [string, string] {
    const i = fullKey.indexOf(":");
    return i < 0 ? ["", fullKey] : [fullKey.slice(0, i), fullKey.slice(i + 1).replace(/^config:/, "")];
}

function checkAddressSpace(key: string, cidrs: string[]): string[] {
    const problems: string[] = [];
    const ranges: CidrRange[] = [];
    cidrs.forEach((cidr, i) => {
        const parsed = parseCidr(cidr);
        if ("error" in parsed) problems.push(`${key}[${i}]: got ${JSON.stringify(cidr)}, ${parsed.error}`);
        else ranges.push(parsed);
    });
    for (let i = 0; i < ranges.length; i++) {
        for (let j = i + 1; j < ranges.length; j++) {
            if (rangesOverlap(ranges[i], ranges[j])) {
                problems.push(`${key}: got ${ranges[i].cidr} and ${ranges[j].cidr}, expected address spaces that do not overlap`);
            }
        }
    }
    return problems;
}

function checkServers(key: string, servers: McpServerConfig[]): string[] {
    const problems: string[] = [];
    const seen = new Map<string, number>();
    servers.forEach((server, i) => {
        const first = seen.get(server.name);
        if (first !== undefined) {
            problems.push(`${key}[${i}].name: got "${server.name}", expected a unique name (servers[${first}] has it already)`);
        } else {
            seen.set(server.name, i);
        }
        if (server.minReplicas > server.maxReplicas) {
            problems.push(`${key}[${i}].minReplicas: got ${server.minReplicas}, expected at most maxReplicas (${server.maxReplicas})`);
        }
    });
    return problems;
}

/**
 * Declared egress needs the egress firewall (C10.3, A2): without it the NSGs deny Internet outbound
 * and nothing would enforce the list, so the entry would be a promise the platform cannot keep.
 */
function checkServerEgress(key: string, servers: McpServerConfig[], firewall: boolean): string[] {
    if (firewall) return [];
    return servers.flatMap((server, i) =>
        server.egress.length === 0
            ? []
            : [
                  `${key}[${i}].egress: got ${JSON.stringify(server.egress.map((e) => `${e.host}:${e.port}`))}, expected none because ` +
                      `features.egressFirewall is off — turn it on (only the firewall can allow named hosts) or remove the entries`,
              ],
    );
}

function checkClientApps(key: string, clients: ClientAppConfig[], servers: McpServerConfig[]): string[] {
    const names = new Set(servers.map((s) => s.name));
    const problems: string[] = [];
    // The gateway accepts tokens only from listed client apps (M3); a server nobody may call is a mistake.
    servers.forEach((server, i) => {
        if (server.allowedClientAppIds.length === 0 && !clients.some((c) => c.servers.includes(server.name))) {
            problems.push(
                `${key.replace(/clientApps$/, "servers")}[${i}].allowedClientAppIds: got [], expected at least one client app id, ` +
                    `or a clientApps entry listing "${server.name}" — the gateway accepts tokens only from allowed client apps`,
            );
        }
    });
    clients.forEach((client, i) =>
        client.servers.forEach((server, j) => {
            if (!names.has(server)) {
                problems.push(`${key}[${i}].servers[${j}]: got "${server}", expected one of the configured servers (${[...names].join(", ")})`);
            }
        }),
    );
    return problems;
}

function isServerLike(value: unknown): boolean {
    const server = value as Partial<McpServerConfig> | null;
    return typeof server?.name === "string" && typeof server.minReplicas === "number" && typeof server.maxReplicas === "number";
}

function definedOnly<T extends object>(value: T): Partial<T> {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
