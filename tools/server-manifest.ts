import { manifestDigest, toolsOf } from "../components/gateway/policy/manifest";
import { startHarness } from "./reference-server-local";

/**
 * The approved tools/list digest (C9.2) of the reference server, computed from the real server
 * started on loopback: the raw 2026-07-28 tools/list result (the bytes the gateway hashes) and the
 * 2025-11-25 list through the SDK's client must agree, or the gateway would see drift on one of them.
 * `npm run manifest-digest:server` prints it; test/workloads/manifest.test.ts keeps the stacks current.
 */
export async function referenceServerManifest(): Promise<{ digest: string; tools: unknown[] }> {
    const h = await startHarness({}, { logSink: () => {} });
    try {
        const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientInfo": { name: "manifest", version: "1" }, "io.modelcontextprotocol/clientCapabilities": {} };
        const r = await h.post({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: meta } }, { "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/list" });
        if (r.status !== 200) throw new Error(`tools/list over 2026-07-28 answered ${r.status}`);
        const tools = toolsOf(await r.json());
        const legacy = await (await h.connect("2025-11-25")).listTools();
        const digest = manifestDigest(tools);
        const legacyDigest = manifestDigest(legacy.tools);
        if (legacyDigest !== digest) throw new Error(`tools/list differs between revisions: 2026-07-28 ${digest}, 2025-11-25 ${legacyDigest}`);
        return { digest, tools };
    } finally {
        await h.close();
    }
}

if (require.main === module) {
    referenceServerManifest().then(
        ({ digest }) => process.stdout.write(`${digest}\n`),
        (err) => {
            process.stderr.write(`manifest-digest: ${(err as Error).message}\n`);
            process.exitCode = 2;
        },
    );
}
