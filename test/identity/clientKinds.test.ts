import { describe, expect, it } from "vitest";
import { ConfigError, resolvePlatformConfig } from "../../stacks/config";
import { clientPresets, redirectUrisOf } from "../../components/identity/clientPresets";
import { server } from "../helpers/config";

// Issue 17: clients are pre-registered (Entra has no DCR or CIMD), so config knows what each sends.
function resolve(clientApps: unknown[]) {
    return resolvePlatformConfig("mcp-platform", "dev", {
        "mcp-platform:profile": "dev",
        "mcp-platform:location": "swedencentral",
        "mcp-platform:tenantId": "00000000-0000-0000-0000-000000000000",
        "mcp-platform:owner": "team@contoso.com",
        "mcp-platform:servers": JSON.stringify([server]),
        "mcp-platform:clientApps": JSON.stringify(clientApps),
        "mcp-platform:edge": JSON.stringify({ hostname: "mcp-dev.contoso.com" }),
    });
}
const problems = (clientApps: unknown[]) => {
    try {
        resolve(clientApps);
        return [];
    } catch (err) {
        if (err instanceof ConfigError) return err.problems;
        throw err;
    }
};

describe("clientApps[].kind", () => {
    it("lets a known client come without redirect URIs: its documented ones apply", () => {
        const config = resolve([{ name: "inspector", kind: "mcp-inspector", servers: ["docs"] }]);
        expect(config.clientApps[0]).toMatchObject({ kind: "mcp-inspector", redirectUris: [] });
        expect(redirectUrisOf("mcp-inspector", [])).toEqual({ publicClient: [], singlePageApplication: [...clientPresets["mcp-inspector"].redirectUris] });
    });

    it("keeps native loopback redirects on the public-client platform and adds the stack's own", () => {
        expect(redirectUrisOf("claude-code", ["http://localhost:9999/callback"])).toEqual({
            publicClient: ["http://localhost:8088/callback", "http://localhost:9999/callback"],
            singlePageApplication: [],
        });
        expect(redirectUrisOf("vscode", [])).toEqual({ publicClient: ["http://127.0.0.1:33418/"], singlePageApplication: ["https://vscode.dev/redirect"] });
    });

    it("rejects a custom client without redirect URIs, naming the key and the kinds that bring their own", () => {
        expect(problems([{ name: "tool", servers: ["docs"] }])).toEqual([
            expect.stringMatching(/^mcp-platform:clientApps\[0\]\.redirectUris: .*at least one redirect URI, or a kind with documented ones \(vscode, claude-code, mcp-inspector, mcp-remote\)/),
        ]);
    });

    it("rejects an unknown kind, listing the allowed ones", () => {
        expect(problems([{ name: "x", kind: "claude-desktop", servers: ["docs"] }])).toEqual([
            expect.stringMatching(/^mcp-platform:clientApps\[0\]\.kind: .*one of custom, vscode, claude-code, mcp-inspector, mcp-remote/),
        ]);
    });
});
