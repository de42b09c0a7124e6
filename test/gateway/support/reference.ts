import { Corpus, createLogger, loadConfig, startServer, toolRoles, type RunningServer } from "../../../workloads/reference-server/src";
import { resourceIdentifier } from "../../../components/gateway/policy/apiPolicy";
import { PolicyBench } from "./bench";
import { documents, gatewayIdentityClientId, Variant, variant, VariantName } from "./documents";
import { LocalIdentities, useLocalIdentities } from "./identities";
import { LoopbackGateway, startLoopbackGateway } from "./loopback";

/**
 * The reference server (workloads/reference-server) on loopback behind the loopback gateway, each
 * configured as the stacks configure them: the server accepts only the gateway identity's tokens
 * for the backend app (MCP_* variables of components/workload), the gateway's API policy names the
 * server's tools with their roles (the server's `toolRoles`, the one home of that map) and the
 * approved manifest digest.
 */

/** A small corpus: tools answer from it and update_page never touches the repository's docs/. */
const e2eCorpus = {
    "runbook.md": "# Runbook\n\nRotate the gateway identity's credentials with the platform pipeline.\n",
    "clients.md": "# Clients\n\nVS Code, Claude Code and MCP Inspector connect through the gateway.\n",
};

export interface ReferenceServer {
    readonly url: string;
    readonly logLines: Record<string, unknown>[];
    close(): Promise<void>;
}

export async function startReferenceServer(ids: LocalIdentities, v: Variant): Promise<ReferenceServer> {
    const config = loadConfig({
        PORT: "0",
        HOST: "127.0.0.1",
        MCP_ACCEPTED_AUDIENCES: v.server.backendIdentifierUri,
        MCP_ISSUER: ids.gateway.issuer,
        MCP_ALLOWED_CALLER: gatewayIdentityClientId,
        MCP_JWKS_URL: ids.gateway.jwksUrl,
    });
    const logLines: Record<string, unknown>[] = [];
    const server: RunningServer = await startServer({ config, logger: createLogger((line) => logLines.push(JSON.parse(line))), corpus: new Corpus(e2eCorpus) });
    return { url: server.url, logLines, close: () => server.close(1000) };
}

/**
 * The bench variant for the reference server: the server's tools and roles, the approved digest,
 * and the sign-in shape of issue 17 (the API app's identifier URI is the public resource URL, so
 * the advertised scope is `<resource>/mcp.access`).
 */
export function referenceVariant(name: VariantName, manifestDigest: string, rateLimits: Parameters<typeof variant>[1] = {}): Variant {
    const v = variant(name, rateLimits);
    return { ...v, server: { ...v.server, tools: { ...toolRoles }, appRoleValues: ["Docs.Read", "Docs.Write"], manifestDigest, apiIdentifierUri: resourceIdentifier(v.server) } };
}

export interface GatewayInFront {
    readonly bench: PolicyBench;
    readonly gateway: LoopbackGateway;
    close(): Promise<void>;
}

/** A bench of `v`'s documents with the local identities, served on loopback in front of `upstream`. */
export async function gatewayInFront(v: Variant, ids: LocalIdentities, upstream: string): Promise<GatewayInFront> {
    const bench = new PolicyBench(v, documents(v));
    useLocalIdentities(bench, ids);
    const gateway = await startLoopbackGateway(bench, new URL(upstream));
    return {
        bench,
        gateway,
        close: async () => {
            await gateway.close();
            bench.close();
        },
    };
}
