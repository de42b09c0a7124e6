import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { probes } from "../../components/workload/settings";
import { serverSchema } from "../../stacks/schema";
import { healthPaths, loadConfig, toolRoles } from "../../workloads/reference-server/src";
import { referenceServerManifest } from "../../tools/server-manifest";
import { startHarness } from "../../tools/reference-server-local";

const root = path.resolve(__dirname, "..", "..");
const docsServer = (stack: string) => {
    const config = parse(readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8")).config["mcp-platform:servers"] as { name: string; image: string; tools: Record<string, string>; manifestDigest: string; port?: number }[];
    return config.find((s) => s.name === "docs")!;
};

describe.each(["dev", "prod"])("the %s stack's docs server", (stack) => {
    it("is the reference server from the platform registry", () => {
        expect(docsServer(stack).image).toMatch(/^mcp\/reference-server@sha256:[0-9a-f]{64}$/);
    });

    it("declares exactly the tools and roles the reference server checks", () => {
        expect(docsServer(stack).tools).toEqual(toolRoles);
    });

    it("carries the tools/list digest of the real server (npm run manifest-digest:server)", async () => {
        const { digest } = await referenceServerManifest();
        expect(docsServer(stack).manifestDigest).toBe(digest);
    });
});

describe("the workload component's defaults and the reference server", () => {
    it("listen on the same port", () => {
        const schemaPort = serverSchema.shape.port.parse(undefined);
        const env = { MCP_ACCEPTED_AUDIENCES: "a", MCP_ISSUER: "https://sts.windows.net/11111111-2222-3333-4444-555555555555/", MCP_ALLOWED_CALLER: "g" };
        expect(loadConfig(env).port).toBe(schemaPort);
    });

    it("agree on the health path: every HTTP probe the component builds for it is answered 200", async () => {
        const h = await startHarness({}, { logSink: () => {} });
        try {
            const checks = probes(h.server.port, healthPaths.live);
            expect(checks.map((p) => p.type)).toEqual(["Startup", "Liveness", "Readiness"]);
            for (const probe of checks) {
                const get = probe.httpGet as { path: string; port: number };
                expect((await fetch(`http://127.0.0.1:${get.port}${get.path}`)).status).toBe(200);
            }
        } finally {
            await h.close();
        }
    });
});
