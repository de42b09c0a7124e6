import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { supportedProtocolVersions } from "../../policy-pack/contract/revisions";
import { dataMarker } from "../../workloads/reference-server/src";
import { allRoles, startHarness, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
    h = await startHarness();
});
afterAll(async () => {
    await h?.close();
});

const text = (r: { content?: unknown }) => ((r.content as { type: string; text: string }[]) ?? []).map((c) => c.text).join("\n");

describe.each(supportedProtocolVersions)("the reference server over %s", (revision) => {
    it("lists the three tools with strict input schemas", async () => {
        const client = await h.connect(revision);
        const { tools } = await client.listTools();
        expect(tools.map((t) => t.name).sort()).toEqual(["get_page", "search_docs", "update_page"]);
        for (const tool of tools) expect(tool.inputSchema.additionalProperties).toBe(false);
    });

    it("searches the platform's own docs and returns spotlighted, datamarked text", async () => {
        const client = await h.connect(revision);
        const result = await client.callTool({ name: "search_docs", arguments: { query: "runbook incident" } });
        expect(result.isError).toBeFalsy();
        const body = text(result);
        expect(body).toMatch(/runbook\.md/);
        expect(body).toMatch(/«data runbook\.md [0-9a-f]{12}»/);
        expect(body).toContain(dataMarker);
    });
});
