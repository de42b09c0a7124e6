import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { isValidEgressHost } from "../../components/firewall/hostName";
import { resolvePlatformConfig } from "../../stacks/config";
import { root, runPlan } from "../helpers/cli";
import { configMap, problemsOf, server } from "../helpers/config";

describe("servers[].egress (C10.3, A2)", () => {
    it("defaults to no egress, and dev has no firewall (with its reason) and no firewall subnet", () => {
        const config = resolvePlatformConfig("mcp-platform", "dev", configMap({}));
        expect(config.servers[0].egress).toEqual([]);
        expect(config.features.egressFirewall).toBe(false);
        expect(config.featureReasons.egressFirewall).toMatch(/Internet outbound/);
        expect(config.subnets.firewall).toBeUndefined();
    });

    it("carves a /26 for the firewall last when the feature is on, leaving every other tier where it was", () => {
        const off = resolvePlatformConfig("mcp-platform", "dev", configMap({}));
        const on = resolvePlatformConfig("mcp-platform", "dev", configMap({ features: { egressFirewall: true } }));
        expect(on.subnets.firewall).toMatch(/\/26$/);
        for (const tier of ["edge", "gateway", "runtime", "privateEndpoints"] as const) expect(on.subnets[tier]).toBe(off.subnets[tier]);
    });

    it("accepts declared hosts with the firewall on, port 443 by default", () => {
        const config = resolvePlatformConfig(
            "mcp-platform",
            "dev",
            configMap({ features: { egressFirewall: true }, servers: [{ ...server, egress: [{ host: "api.contoso.com" }, { host: "docs.contoso.com", port: 8443 }] }] }),
        );
        expect(config.servers[0].egress).toEqual([
            { host: "api.contoso.com", port: 443 },
            { host: "docs.contoso.com", port: 8443 },
        ]);
    });

    it("rejects egress without the firewall, naming the key", () => {
        const problems = problemsOf({ servers: [{ ...server, egress: [{ host: "api.contoso.com" }] }] });
        expect(problems).toEqual([expect.stringMatching(/^mcp-platform:servers\[0\]\.egress: got \["api\.contoso\.com:443"\], expected none because features\.egressFirewall is off/)]);
    });

    it.each([
        ["a wildcard", "*.contoso.com"],
        ["a bare TLD wildcard", "*.com"],
        ["a scheme", "https://api.contoso.com"],
        ["a path", "api.contoso.com/v1"],
        ["a port in the name", "api.contoso.com:443"],
        ["an IP address", "203.0.113.7"],
        ["a shared suffix", "blob.core.windows.net"],
        ["a public suffix", "co.uk"],
        ["an unknown suffix", "api.internal"],
        ["upper case", "API.contoso.com"],
        ["a label ending in '-'", "api-.contoso.com"],
        ["a single label", "localhost"],
    ])("rejects %s as a host, naming the key", (_label, host) => {
        const problems = problemsOf({ features: { egressFirewall: true }, servers: [{ ...server, egress: [{ host }] }] });
        expect(problems).toEqual([expect.stringMatching(/^mcp-platform:servers\[0\]\.egress\[0\]\.host: got .*, expected a lowercase DNS host name under a public suffix/)]);
    });

    it.each([0, 65536, 44.5])("rejects port %s", (port) => {
        const problems = problemsOf({ features: { egressFirewall: true }, servers: [{ ...server, egress: [{ host: "api.contoso.com", port }] }] });
        expect(problems).toEqual([expect.stringMatching(/^mcp-platform:servers\[0\]\.egress\[0\]\.port: got .*, expected a TCP port between 1 and 65535/)]);
    });

    it("accepts a tenant's own name under a shared suffix", () => {
        expect(isValidEgressHost("contoso-docs.blob.core.windows.net")).toBe(true);
        expect(isValidEgressHost("api.github.com")).toBe(true);
    });
});

describe("npm run plan with egress config (exit 2 names the key)", () => {
    const scratch = mkdtempSync(path.join(tmpdir(), "mcp-egress-"));
    const prod = readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8");

    it("exits 2 when a server declares egress in a stack with the firewall off", () => {
        const file = path.join(scratch, "Pulumi.prod.yaml");
        writeFileSync(
            file,
            prod.replace("  mcp-platform:servers:", "  mcp-platform:features:\n    egressFirewall: false\n  mcp-platform:featureReasons:\n    egressFirewall: a test turns the firewall off\n  mcp-platform:servers:"),
        );
        const { code, stderr } = runPlan(["--stack", "prod", "--config-file", file]);
        expect(code, stderr).toBe(2);
        expect(stderr).toContain("mcp-platform:servers[0].egress: got [\"docs.contoso.com:443\"], expected none because features.egressFirewall is off");
    });

    it("exits 2 when a declared host is not a valid host name", () => {
        const file = path.join(scratch, "Pulumi.prod.yaml");
        writeFileSync(file, prod.replace("- host: docs.contoso.com", '- host: "*.contoso.com"'));
        const { code, stderr } = runPlan(["--stack", "prod", "--config-file", file]);
        expect(code, stderr).toBe(2);
        expect(stderr).toContain('mcp-platform:servers[0].egress[0].host: got "*.contoso.com", expected a lowercase DNS host name');
    });
});
