import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backendIdentifierUri, gatewayClientId, startIssuer, v1Issuer, type LocalIssuer } from "../../tools/local-issuer";
import { initializeBody, startHarness, type Harness } from "../../tools/reference-server-local";

const root = path.resolve(__dirname, "..", "..");
const main = path.join(root, "workloads", "reference-server", "src", "main.ts");
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");

function startProcess(env: Record<string, string>) {
    const child = spawn(process.execPath, [tsx, main], { env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    return { child, exited, output: () => out };
}

describe("the reference server process", () => {
    let issuer: LocalIssuer;
    beforeAll(async () => {
        issuer = await startIssuer();
    });
    afterAll(async () => {
        await issuer?.close();
    });

    it("exits 2 naming every bad variable when its configuration is invalid", async () => {
        const p = startProcess({ MCP_ISSUER: "not-a-url" });
        expect(await p.exited).toBe(2);
        const line = JSON.parse(p.output().trim().split("\n").pop()!);
        expect(line.msg).toBe("invalid configuration");
        expect(line.detail).toMatch(/MCP_ACCEPTED_AUDIENCES.*MCP_ISSUER.*MCP_ALLOWED_CALLER/);
    });

    it("drains and exits 0 on SIGTERM", async () => {
        const p = startProcess({ PORT: "0", HOST: "127.0.0.1", MCP_ACCEPTED_AUDIENCES: backendIdentifierUri, MCP_ISSUER: v1Issuer, MCP_ALLOWED_CALLER: gatewayClientId, MCP_JWKS_URL: issuer.jwksUrl });
        for (let i = 0; i < 100 && !p.output().includes('"listening"'); i++) await new Promise((r) => setTimeout(r, 100));
        const port = JSON.parse(p.output().split("\n").find((l) => l.includes('"listening"'))!).port;
        expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
        p.child.kill("SIGTERM");
        expect(await p.exited).toBe(0);
        expect(p.output()).toContain('"shutting down"');
    });
});

describe("the reference server's body limit", () => {
    let h: Harness;
    beforeAll(async () => {
        h = await startHarness({ MCP_MAX_BODY_BYTES: "2048" }, { logSink: () => {} });
    });
    afterAll(async () => {
        await h?.close();
    });

    it("answers 413 to an oversized body sent without Content-Length (chunked)", async () => {
        const headers = { ...(await h.gatewayHeaders()), "Content-Type": "application/json", Accept: "application/json, text/event-stream" };
        const status = await new Promise<number>((resolve, reject) => {
            const req = request(h.url, { method: "POST", headers }, (res) => {
                res.resume();
                resolve(res.statusCode ?? 0);
            });
            req.on("error", reject);
            req.write(JSON.stringify(initializeBody).slice(0, -1));
            req.end(`,"pad":"${"x".repeat(4096)}"}`);
        });
        expect(status).toBe(413);
    });
});

describe("the reference server's Dockerfile", () => {
    const dockerfile = readFileSync(path.join(root, "workloads", "reference-server", "Dockerfile"), "utf8");
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);

    it("pins every base image by digest", () => {
        expect(froms.length).toBeGreaterThanOrEqual(2);
        for (const image of froms) expect(image).toMatch(/@sha256:[0-9a-f]{64}$/);
    });

    it("runs on a distroless Node LTS nonroot base as a non-root user", () => {
        expect(froms[froms.length - 1]).toMatch(/^gcr\.io\/distroless\/nodejs(22|24)-debian\d+:nonroot@/);
        expect(dockerfile).toMatch(/^USER 65532:65532$/m);
        // Distroless has no shell: nothing may RUN in the runtime stage.
        const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
        expect(runtimeStage).not.toMatch(/^RUN /m);
    });
});
