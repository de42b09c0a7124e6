import { describe, expect, it } from "vitest";
import { problemsOf, server } from "../helpers/config";

/** zod's generic texts; none may reach a user. */
const zodText = /Invalid input|Too (big|small)|Invalid key in record|Invalid option|Invalid string|Unrecognized key|must match pattern/;

describe("config messages: every kind of schema problem in the project's form", () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
        ["wrong type (a quoted number)", { servers: [{ ...server, maxReplicas: "3" }] }, /^mcp-platform:servers\[0\]\.maxReplicas: got "3", expected a number — write 3 without quotes$/],
        ["too big", { servers: [{ ...server, port: 70000 }] }, /^mcp-platform:servers\[0\]\.port: got 70000, expected at most 65535$/],
        ["too small", { servers: [{ ...server, port: 0 }] }, /^mcp-platform:servers\[0\]\.port: got 0, expected at least 1$/],
        ["not a whole number", { servers: [{ ...server, minReplicas: 1.5 }] }, /^mcp-platform:servers\[0\]\.minReplicas: got 1\.5, expected a (whole number|number)/],
        ["invalid record key", { servers: [{ ...server, tools: { "search docs": "Docs.Read" } }] }, /^mcp-platform:servers\[0\]\.tools: got the key "search docs", expected keys that are .+ — rename the key$/],
        ["invalid enum value", { dataClassification: "secret" }, /^mcp-platform:dataClassification: got "secret", expected one of public, internal, confidential, restricted$/],
        ["unknown key", { servers: [{ ...server, replicas: 2 }] }, /^mcp-platform:servers\[0\]\.replicas: unknown key, expected an allowed key \(name, image, .*\) — remove it or fix its spelling$/],
        ["format (the schema's own message)", { servers: [{ ...server, image: "mcp/docs:latest" }] }, /^mcp-platform:servers\[0\]\.image: got "mcp\/docs:latest", expected an image in the platform registry pinned by digest/],
        ["custom refinement", { clientApps: [{ name: "c", servers: ["docs"] }] }, /^mcp-platform:clientApps\[0\]\.redirectUris: got nothing, expected at least one redirect URI/],
    ];
    for (const [kind, overrides, expected] of cases) {
        it(kind, () => {
            const problems = problemsOf(overrides);
            expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
            for (const p of problems) expect(p).not.toMatch(zodText);
        });
    }
});
