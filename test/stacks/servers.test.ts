import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repositoryRoot, synthesize } from "../../tools/offline";
import type { PlannedResource } from "../../tools/offline/types";
import { ofType } from "../helpers/resources";

/** The dev stack's servers, as the stack file lists them. */
const devServers: Record<string, unknown>[] = parse(readFileSync(path.join(repositoryRoot, "Pulumi.dev.yaml"), "utf8")).config["mcp-platform:servers"];

const secondServer = {
    ...devServers[0],
    name: "tickets",
    image: `mcp/tickets-server@sha256:${"d".repeat(64)}`,
    tools: { list_tickets: "Tickets.Read", close_ticket: "Tickets.Write" },
    secrets: ["upstream-token"],
};

const withServers = (servers: Record<string, unknown>[]) =>
    synthesize({ stack: "dev", configOverrides: { "mcp-platform:servers": JSON.stringify(servers) } }).then((s) => s.resources);

// Synthesised once per file, one after the other: each run re-executes the whole program and
// replaces the engine's process-wide mocks and config, so two runs must never overlap.
const oneServer = withServers(devServers);
const twoServers = oneServer.then(() => withServers([...devServers, secondServer]));

const count = (resources: PlannedResource[], type: string) => ofType(resources, type).length;

describe("adding an MCP server", () => {
    it("adds exactly one more set of resources for it and leaves every existing resource in place", async () => {
        const [one, two] = [await oneServer, await twoServers];
        const before = new Set(one.map((r) => r.urn));
        const after = new Set(two.map((r) => r.urn));

        // Nothing disappears or is renamed.
        expect([...before].filter((urn) => !after.has(urn))).toEqual([]);
        // Everything new belongs to the new server.
        const added = two.filter((r) => !before.has(r.urn));
        expect(added.length).toBeGreaterThan(0);
        expect(added.filter((r) => !r.name.includes("tickets")).map((r) => r.urn)).toEqual([]);

        // One more Container App, with its identity, key and secret.
        for (const type of ["azure-native:app:ContainerApp", "mcp:workload:McpWorkload", "azure-native:keyvault:Key"]) {
            expect(count(two, type), type).toBe(count(one, type) + 1);
        }
        expect(count(two, "azure-native:keyvault:Secret")).toBe(count(one, "azure-native:keyvault:Secret") + 1);
        const newApps = ofType(added, "azure-native:app:ContainerApp");
        expect(newApps).toHaveLength(1);
        expect(newApps[0].inputs.template.containers[0].image).toMatch(/\.azurecr\.io\/mcp\/tickets-server@sha256:d{64}$/);
        expect(ofType(added, "azure-native:managedidentity:UserAssignedIdentity").length).toBeGreaterThanOrEqual(1);
    });

    it("leaves the first server's Container App exactly as it was", async () => {
        const [one, two] = [await oneServer, await twoServers];
        const docs = (resources: PlannedResource[]) => ofType(resources, "azure-native:app:ContainerApp").find((r) => r.name.includes("docs"))!;
        expect(docs(two).inputs).toEqual(docs(one).inputs);
    });
});
