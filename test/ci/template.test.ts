import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { root } from "../helpers/cli";

// The template's CI carries C11.1, C11.2 (audit), C11.4 and C12.2 for every fork; these tests keep it honest.
const read = (file: string) => readFileSync(path.join(root, file), "utf8");
const workflow = parse(read(".github/workflows/mcp-platform.yml"));
const runs = (job: string): string => workflow.jobs[job].steps.map((s: { run?: string; uses?: string; with?: object }) => `${s.run ?? ""} ${s.uses ?? ""} ${JSON.stringify(s.with ?? {})}`).join("\n");

describe("the template's CI", () => {
    it("runs the tests, the offline plan with SARIF upload, the dependency audit and an SBOM (C11.1, C11.2, C12.2)", () => {
        const verify = runs("verify");
        expect(verify).toContain("npm ci");
        expect(verify).toContain("npm test");
        expect(verify).toMatch(/npm run plan -- --stack dev --sarif plan-dev.sarif/);
        expect(verify).toMatch(/npm run plan -- --stack prod --sarif plan-prod.sarif/);
        expect(verify).toContain("github/codeql-action/upload-sarif");
        expect(verify).toMatch(/npm audit --omit=dev --audit-level=high/);
        expect(verify).toMatch(/npm sbom --sbom-format cyclonedx/);
        expect(workflow.jobs.verify.permissions["security-events"]).toBe("write");
    });

    it("previews with the policy pack on pull requests when cloud credentials exist, with OIDC (C11.1)", () => {
        const preview = workflow.jobs.preview;
        expect(preview.if).toMatch(/pull_request/);
        expect(preview.permissions["id-token"]).toBe("write");
        expect(runs("preview")).toMatch(/"command":"preview".*"policyPacks":"policy-pack"/);
    });

    it("builds the reference server's image inside the platform registry on main, with OIDC, and prints the digest to pin (C12.1, C12.3)", () => {
        const image = workflow.jobs.image;
        expect(image.if).toMatch(/push/);
        expect(image.if).toMatch(/vars\.ACR_NAME/);
        expect(image.permissions["id-token"]).toBe("write");
        const steps = runs("image");
        // ACR Tasks on the agent pool: the registry has no public endpoint a runner could push to.
        expect(steps).toMatch(/az acr build --registry "\$ACR_NAME" --agent-pool "\$ACR_AGENT_POOL" --file workloads\/reference-server\/Dockerfile/);
        expect(steps).not.toMatch(/docker (push|login)/);
        expect(steps).toMatch(/az acr repository show .* --query digest/);
        // The whole push decides, not its last commit: a change two commits back still builds.
        expect(steps).toMatch(/git diff --quiet "\$BEFORE" HEAD -- workloads\/reference-server docs package-lock\.json/);
        expect(image.steps[0].with["fetch-depth"]).toBe(0);
    });

    it("keeps dependencies and actions updated (C12.2) and requires code-owner review of the controls (C11.4)", () => {
        const dependabot = parse(read(".github/dependabot.yml"));
        expect(dependabot.updates.map((u: { "package-ecosystem": string }) => u["package-ecosystem"]).sort()).toEqual(["docker", "github-actions", "npm"]);
        expect(dependabot.updates.find((u: { "package-ecosystem": string }) => u["package-ecosystem"] === "docker").directory).toBe("/workloads/reference-server");
        const owners = read(".github/CODEOWNERS");
        for (const guarded of ["/policy-pack/", "/components/gateway/", "/stacks/profiles.ts"]) expect(owners).toContain(guarded);
        expect(existsSync(path.join(root, "package-lock.json"))).toBe(true);
    });
});
