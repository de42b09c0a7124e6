import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { readStackFiles, StackFileError } from "../../tools/offline/stack-files";
import { root, runPlan } from "../helpers/cli";

function project(stackYaml: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), "stack-files-"));
    writeFileSync(path.join(dir, "Pulumi.yaml"), "name: demo\nruntime: nodejs\n");
    writeFileSync(path.join(dir, "Pulumi.x.yaml"), stackYaml);
    return dir;
}

const errorOf = (fn: () => unknown): StackFileError => {
    try {
        fn();
    } catch (err) {
        if (err instanceof StackFileError) return err;
        throw err;
    }
    throw new Error("expected a StackFileError");
};

describe("stack files (pre-flight of the config files themselves)", () => {
    it("names the file, line and column of a YAML syntax error", () => {
        const dir = project("config:\n  demo:owner: team\n  demo:servers: [a, b\n");
        expect(errorOf(() => readStackFiles(dir, "x")).message).toMatch(/Pulumi\.x\.yaml:\d+:\d+: invalid YAML: /);
    });

    it("rejects an empty secure value, naming the key", () => {
        const dir = project('config:\n  demo:owner:\n    secure: ""\n');
        expect(errorOf(() => readStackFiles(dir, "x")).message).toBe(
            "demo:owner: got an empty secure value, expected the ciphertext `pulumi config set --secret owner <value>` writes — set it again with that command",
        );
    });

    it("rejects a secure value that is not a ciphertext (a number, plain text with spaces)", () => {
        expect(errorOf(() => readStackFiles(project("config:\n  demo:owner:\n    secure: 42\n"), "x")).message).toMatch(/^demo:owner: got a secure number, expected the ciphertext/);
        expect(errorOf(() => readStackFiles(project("config:\n  demo:owner:\n    secure: my password\n"), "x")).message).toMatch(/^demo:owner: got a secure value that is not a ciphertext/);
    });

    it("accepts ciphertexts as the passphrase and the Pulumi Cloud secrets managers write them, as placeholders", () => {
        const dir = project("config:\n  demo:a:\n    secure: v1:c2FsdA==:ZGF0YQ==\n  demo:b:\n    secure: AAABAGq8mIiP0HJAOLM9ig==\n");
        const files = readStackFiles(dir, "x");
        expect(files.secretKeys.sort()).toEqual(["demo:a", "demo:b"]);
        expect(files.config["demo:a"]).toBe("[secret:demo:a]");
    });

    it("exits 2 through the plan, naming the key, with no stack trace", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "stack-cfg-"));
        const stackFile = path.join(dir, "Pulumi.dev.yaml");
        writeFileSync(stackFile, readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8").replace("mcp-platform:owner: platform-team@contoso.com", 'mcp-platform:owner:\n    secure: ""'));
        const result = runPlan(["--stack", "dev", "--config-file", stackFile, "--quiet"]);
        expect(result.code).toBe(2);
        expect(result.stderr + result.stdout).toMatch(/mcp-platform:owner: got an empty secure value/);
        expect(result.stderr + result.stdout).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    });

    it("exits 2 on a pre-flight problem (a CPU/memory pair Azure rejects), naming the key, before anything is registered", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "stack-cfg-"));
        const stackFile = path.join(dir, "Pulumi.dev.yaml");
        writeFileSync(stackFile, readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8").replace("memory: 1Gi", "memory: 3Gi"));
        const result = runPlan(["--stack", "dev", "--config-file", stackFile, "--quiet"]);
        expect(result.code).toBe(2);
        expect(result.stderr + result.stdout).toMatch(/mcp-platform:servers\[0\]: got cpu 0\.5 with memory 3Gi, expected a pair the Consumption profile accepts/);
        expect(result.stdout).not.toMatch(/synthesised \d+ registrations/);
    });
});
