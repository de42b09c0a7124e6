import { ConfigError, resolvePlatformConfig } from "../../stacks/config";

/** A valid server entry; tests change one property. */
export const server = {
    name: "docs",
    image: `mcp/docs@sha256:${"a".repeat(64)}`,
    cpu: 0.5,
    memory: "1Gi",
    minReplicas: 1,
    maxReplicas: 3,
    tools: { search: "Docs.Read" },
    rateLimits: { perUserPerMinute: 60, perSessionPerMinute: 30, perUserToolPerMinute: 20, perUserDailyQuota: 5000 },
    allowedClientAppIds: ["aebc6443-996d-45c2-90f0-388ff96faa56"],
    manifestDigest: `sha256:${"b".repeat(64)}`,
};

export function configMap(overrides: Record<string, unknown> = {}): Record<string, string> {
    const values: Record<string, unknown> = {
        profile: "dev",
        location: "swedencentral",
        tenantId: "00000000-0000-0000-0000-000000000000",
        owner: "team@contoso.com",
        servers: [server],
        edge: { hostname: "mcp-dev.contoso.com" },
        ...overrides,
    };
    return Object.fromEntries(
        Object.entries(values)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => [`mcp-platform:${k}`, typeof v === "string" ? v : JSON.stringify(v)]),
    );
}

/** The problem lines for a config, or [] when it is valid. */
export function problemsOf(overrides: Record<string, unknown>, stack = "dev"): string[] {
    try {
        resolvePlatformConfig("mcp-platform", stack, configMap(overrides));
        return [];
    } catch (err) {
        if (err instanceof ConfigError) return err.problems;
        throw err;
    }
}

