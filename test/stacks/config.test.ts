import { describe, expect, it } from "vitest";
import { resolvePlatformConfig } from "../../stacks/config";
import { configMap, problemsOf, server } from "../helpers/config";

describe("stack config", () => {
    it("accepts a minimal dev config and fills the profile defaults", () => {
        const config = resolvePlatformConfig("mcp-platform", "dev", configMap());
        expect(config.gateway.sku).toBe("Developer");
        expect(config.protocolVersions).toEqual(["2025-11-25", "2026-07-28"]);
        expect(config.subnets.runtime).toBe("10.40.0.0/23");
        expect(config.subnets.sandbox).toBeUndefined();
        expect(config.featureReasons.ddosProtection).toMatch(/dev profile/);
    });

    it("ignores keys of other namespaces (providers' config)", () => {
        const map = { ...configMap(), "azure-native:location": "westeurope" };
        expect(() => resolvePlatformConfig("mcp-platform", "dev", map)).not.toThrow();
    });

    it.each([
        ["an unknown top-level key", { colour: "blue" }, /^mcp-platform:colour: unknown key, expected an allowed key \(profile, location/],
        ["an unknown server key", { servers: [{ ...server, replicas: 2 }] }, /^mcp-platform:servers\[0\]\.replicas: unknown key/],
        ["an invalid CIDR", { addressSpace: ["10.40.0.0/33"] }, /^mcp-platform:addressSpace\[0\]: got "10.40.0.0\/33", expected an IPv4 CIDR/],
        ["a CIDR with host bits", { addressSpace: ["10.40.1.0/16"] }, /^mcp-platform:addressSpace\[0\]: got "10.40.1.0\/16", host bits are set; the network is 10.40.0.0\/16/],
        ["overlapping CIDRs", { addressSpace: ["10.40.0.0/16", "10.40.128.0/17"] }, /^mcp-platform:addressSpace: got 10.40.0.0\/16 and 10.40.128.0\/17, expected address spaces that do not overlap/],
        ["an address space too small for the subnets", { addressSpace: ["10.40.0.0/23"] }, /^mcp-platform:addressSpace: .*expected room for the subnets .* use at least a \/21/],
        ["an image without a digest", { servers: [{ ...server, image: "mcp/docs:1.2.3" }] }, /^mcp-platform:servers\[0\]\.image: got "mcp\/docs:1.2.3", expected an image .* pinned by digest/],
        ["an image from another registry host", { servers: [{ ...server, image: `docker.io/mcp/docs@sha256:${"a".repeat(64)}` }] }, /^mcp-platform:servers\[0\]\.image: .*no registry host/],
        ["a server name that is not DNS-safe", { servers: [{ ...server, name: "Docs_Server" }] }, /^mcp-platform:servers\[0\]\.name: got "Docs_Server", expected a DNS-safe name/],
        ["a duplicated server name", { servers: [server, server] }, /^mcp-platform:servers\[1\]\.name: got "docs", expected a unique name \(servers\[0\] has it already\)/],
        ["a tenant id that is not a GUID", { tenantId: "contoso.onmicrosoft.com" }, /^mcp-platform:tenantId: got "contoso.onmicrosoft.com", expected a GUID/],
        ["a rate limit of 0", { servers: [{ ...server, rateLimits: { ...server.rateLimits, perUserPerMinute: 0 } }] }, /^mcp-platform:servers\[0\]\.rateLimits\.perUserPerMinute: got 0, expected a whole number > 0/],
        ["a negative quota", { servers: [{ ...server, rateLimits: { ...server.rateLimits, perUserDailyQuota: -5 } }] }, /perUserDailyQuota: got -5, expected a whole number > 0/],
        ["an APIM tier without internal VNet mode", { gateway: { sku: "StandardV2" } }, /^mcp-platform:gateway\.sku: got "StandardV2", expected a tier that supports internal VNet mode \(Developer, Premium, PremiumV2\)/],
        ["an unknown APIM tier", { gateway: { sku: "Gold" } }, /^mcp-platform:gateway\.sku: got "Gold", expected one of Developer, Premium, PremiumV2/],
        ["an unsupported protocol version", { protocolVersions: ["2024-11-05"] }, /^mcp-platform:protocolVersions\[0\]: got "2024-11-05", expected one of 2025-11-25, 2026-07-28/],
        ["a profile outside dev/prod", { profile: "staging" }, /^mcp-platform:profile: got "staging", expected one of dev, prod/],
        ["minReplicas above maxReplicas", { servers: [{ ...server, minReplicas: 5, maxReplicas: 2 }] }, /^mcp-platform:servers\[0\]\.minReplicas: got 5, expected at most maxReplicas \(2\)/],
        ["a server no client app may call", { servers: [{ ...server, allowedClientAppIds: [] }] }, /^mcp-platform:servers\[0\]\.allowedClientAppIds: got \[\], expected at least one client app id, or a clientApps entry listing "docs"/],
        ["a client app calling an unknown server", { clientApps: [{ name: "cli", redirectUris: ["http://localhost:3000/"], servers: ["wiki"] }] }, /^mcp-platform:clientApps\[0\]\.servers\[0\]: got "wiki", expected one of the configured servers \(docs\)/],
    ])("rejects %s with a line naming the key", (_case, overrides, pattern) => {
        const problems = problemsOf(overrides);
        expect(problems.some((p) => pattern.test(p)), problems.join("\n")).toBe(true);
    });

    it("accepts a server whose only allowed client is a platform client app", () => {
        const clientApps = [{ name: "cli", redirectUris: ["http://localhost:3000/"], servers: ["docs"] }];
        expect(problemsOf({ servers: [{ ...server, allowedClientAppIds: [] }], clientApps })).toEqual([]);
    });

    it("reports every problem at once, one line each", () => {
        const problems = problemsOf({ tenantId: "x", addressSpace: ["10.0.0.0/8", "10.1.0.0/16"], servers: [{ ...server, image: "a:b" }] });
        expect(problems).toHaveLength(3);
        expect(problems.map((p) => p.split(":")[1])).toEqual(["tenantId", "servers[0].image", "addressSpace"]);
    });

    it("requires a missing required key by name", () => {
        expect(problemsOf({ owner: undefined })).toEqual(["mcp-platform:owner: got nothing, expected the owning team or address (tag 'owner')"]);
    });

    describe("prod profile", () => {
        it("rejects the Developer tier, which has no SLA", () => {
            expect(problemsOf({ profile: "prod", gateway: { sku: "Developer" } }, "prod")).toContainEqual(
                expect.stringMatching(/^mcp-platform:gateway\.sku: got "Developer", expected Premium or PremiumV2 in the prod profile/),
            );
        });

        it("rejects log retention under 90 days", () => {
            expect(problemsOf({ profile: "prod", monitoring: { retentionDays: 60 } }, "prod")).toContainEqual(
                expect.stringMatching(/^mcp-platform:monitoring\.retentionDays: got 60, expected at least 90/),
            );
        });

        it("requires a reason for an optional control switched off", () => {
            expect(problemsOf({ profile: "prod", features: { ddosProtection: false } }, "prod")).toEqual([
                expect.stringMatching(/^mcp-platform:featureReasons\.ddosProtection: got nothing, expected a sentence on why features\.ddosProtection is off/),
            ]);
            expect(problemsOf({ profile: "prod", features: { ddosProtection: false }, featureReasons: { ddosProtection: "covered by the hub's DDoS plan through peering" } }, "prod")).toEqual([]);
        });
    });
});

describe("stack config: runtime.sandbox", () => {
    const sandboxImage = `tools/sandbox@sha256:${"c".repeat(64)}`;

    it("fills the sandbox limits from defaults when only the image is given", () => {
        const config = resolvePlatformConfig(
            "mcp-platform",
            "dev",
            configMap({ features: { dynamicSessions: true }, runtime: { sandbox: { image: sandboxImage } } }),
        );
        expect(config.runtime.sandbox).toEqual({
            image: sandboxImage,
            cpu: 0.5,
            memory: "1Gi",
            port: 8080,
            maxConcurrentSessions: 10,
            readySessionInstances: 0,
            cooldownSeconds: 300,
        });
        expect(config.subnets.sandbox).toBeDefined();
    });

    it("requires a sandbox image when dynamicSessions is on", () => {
        expect(problemsOf({ features: { dynamicSessions: true } })).toEqual([
            "mcp-platform:runtime.sandbox: got nothing, expected a sandbox with at least an image (<repository>@sha256:<digest>) because features.dynamicSessions is on",
        ]);
    });

    it.each([
        ["a tagged image", { image: "tools/sandbox:latest" }, /^mcp-platform:runtime\.sandbox\.image: got "tools\/sandbox:latest", expected a session image/],
        ["a cooldown below Azure's minimum", { image: sandboxImage, cooldownSeconds: 60 }, /^mcp-platform:runtime\.sandbox\.cooldownSeconds: got 60, expected seconds between 300 and 3600/],
        ["too many sessions", { image: sandboxImage, maxConcurrentSessions: 1000 }, /^mcp-platform:runtime\.sandbox\.maxConcurrentSessions: got 1000, expected a whole number between 1 and 600/],
        ["an unknown key", { image: sandboxImage, egress: true }, /^mcp-platform:runtime\.sandbox\.egress: unknown key, expected an allowed key \(image, cpu/],
    ])("rejects %s", (_what, sandbox, message) => {
        const problems = problemsOf({ features: { dynamicSessions: true }, runtime: { sandbox } });
        expect(problems).toHaveLength(1);
        expect(problems[0]).toMatch(message);
    });
});
