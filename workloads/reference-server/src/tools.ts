import { McpServer, type CallToolResult, type ServerContext } from "@modelcontextprotocol/server";
import { z } from "zod";
import { supportedProtocolVersions } from "../../../policy-pack/contract/revisions";
import { CorpusError, pagePathPattern, type DocsStore } from "./corpus";
import type { RequestContext } from "./context";
import { hashOid } from "./log";
import { bound, spotlight, spotlightNotice, stripControl } from "./output";
import { withCachedJsonSchema } from "./schemas";

/**
 * The tools the dev and prod stacks declare for `docs`, with the app role each requires. The
 * gateway checks the same map (C2.2); the server checks it again from the roles the gateway
 * forwards, so a misrouted or replayed request without the role still fails (defence in depth).
 */
export const toolRoles = {
    search_docs: "Docs.Read",
    get_page: "Docs.Read",
    update_page: "Docs.Write",
} as const;
export type ToolName = keyof typeof toolRoles;

export const serverInfo = { name: "mcp-platform-docs", version: "0.1.0" } as const;

export interface ToolLimits {
    readonly maxResultChars: number;
    readonly toolTimeoutMs: number;
}

// Strict objects: an unknown key is an error, not silently dropped (C1.2). Bounds keep one call
// from carrying a context-window's worth of text (C9.4).
const pagePath = z.string().regex(pagePathPattern, { error: "a page name such as runbook.md (lowercase, digits, '-', ending in .md)" });
const searchInput = withCachedJsonSchema(z.strictObject({
    query: z.string().min(1).max(200).describe("Words to look for in the platform's documentation."),
    limit: z.number().int().min(1).max(10).default(5).describe("Most hits to return (1–10). Defaults to 5."),
}));
const getPageInput = withCachedJsonSchema(z.strictObject({
    path: pagePath.describe("Page name from search_docs, e.g. runbook.md."),
    offset: z.number().int().min(0).max(10_000_000).default(0).describe("Character offset to continue a long page from. Defaults to 0."),
}));
const updatePageInput = withCachedJsonSchema(z.strictObject({
    path: pagePath.describe("Page name, e.g. runbook.md."),
    content: z.string().min(1).max(32_000).describe("The page's new Markdown text."),
    expectedRevision: z.number().int().min(1).describe("The revision get_page returned; the update fails if the page changed since."),
}));

class ToolTimeout extends Error {}

/** Registers the three tools on a fresh server instance (one per session or per stateless request). */
export function createDocsServer(corpus: DocsStore, limits: ToolLimits, onInternalError: (ctx: RequestContext | undefined, err: unknown) => void): McpServer {
    const server = new McpServer(serverInfo, {
        capabilities: { tools: {} },
        supportedProtocolVersions: [...supportedProtocolVersions],
        maxToolInputElements: 64,
        instructions: "Answers questions about the MCP platform from its own documentation. " + spotlightNotice,
    });

    const run = async (tool: ToolName, ctx: ServerContext, body: (signal: AbortSignal) => Promise<CallToolResult> | CallToolResult): Promise<CallToolResult> => {
        const request = ctx.http?.authInfo?.extra?.request as RequestContext | undefined;
        if (request) request.record.tool = tool;
        const role = toolRoles[tool];
        if (!request || !request.caller.roles.has(role)) {
            if (request) request.record.outcome = "forbidden";
            return { isError: true, content: [{ type: "text", text: `Forbidden: ${tool} requires the app role ${role}.` }] };
        }
        const abort = new AbortController();
        let timer: NodeJS.Timeout | undefined;
        try {
            const result = await Promise.race([
                Promise.resolve().then(() => body(abort.signal)),
                new Promise<never>((_, reject) => {
                    timer = setTimeout(() => reject(new ToolTimeout()), limits.toolTimeoutMs);
                }),
            ]);
            request.record.outcome = result.isError ? "tool_error" : "ok";
            return sanitizeResult(result, limits.maxResultChars);
        } catch (err) {
            if (err instanceof ToolTimeout) {
                abort.abort();
                request.record.outcome = "timeout";
                return errorResult(`The tool did not finish within ${limits.toolTimeoutMs} ms (correlation id ${request.correlationId}).`);
            }
            if (err instanceof CorpusError) {
                request.record.outcome = "tool_error";
                return errorResult(err.message);
            }
            // The handler's own text may name files, stack frames or data: it goes to the log only.
            request.record.outcome = "internal_error";
            onInternalError(request, err);
            return errorResult(`Internal error (correlation id ${request.correlationId}).`);
        } finally {
            clearTimeout(timer);
        }
    };

    server.registerTool(
        "search_docs",
        {
            title: "Search the platform documentation",
            description: `Finds pages of the MCP platform's documentation that mention the query words, best first. ${spotlightNotice}`,
            inputSchema: searchInput,
            annotations: { readOnlyHint: true, openWorldHint: false },
        },
        (args, ctx) =>
            run("search_docs", ctx, async () => {
                const hits = await corpus.search(args.query, args.limit);
                if (hits.length === 0) return textResult("No page matches the query.");
                const lines = hits.map((h) => `${h.path} (score ${h.score})\n${spotlight(h.path, `${h.title}: ${h.snippet}`).text}`);
                return textResult(lines.join("\n\n"));
            }),
    );

    server.registerTool(
        "get_page",
        {
            title: "Read a documentation page",
            description: `Returns one page of the platform's documentation with its revision, in chunks for long pages. ${spotlightNotice}`,
            inputSchema: getPageInput,
            annotations: { readOnlyHint: true, openWorldHint: false },
        },
        (args, ctx) =>
            run("get_page", ctx, async () => {
                const page = await corpus.latest(args.path);
                if (!page) throw new CorpusError(`No page ${args.path}; search_docs lists the pages.`);
                // Leave room for the header and the markers inside the result bound.
                const chunk = bound(page.text.slice(args.offset), Math.max(500, limits.maxResultChars - 400));
                const next = chunk.truncated ? ` More text follows: call get_page with offset ${args.offset + chunk.text.length}.` : "";
                return textResult(`${args.path} revision ${page.revision}.${next}\n${spotlight(args.path, chunk.text).text}`);
            }),
    );

    server.registerTool(
        "update_page",
        {
            title: "Update a documentation page",
            description:
                "Stores a new revision of a documentation page. Revisions are kept in this server replica's memory only: other replicas " +
                "do not see them and a restart discards them (a fork backs this tool with a real store). Fails when the page changed since expectedRevision.",
            inputSchema: updatePageInput,
            annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
        },
        (args, ctx) =>
            run("update_page", ctx, async () => {
                const author = hashOid((ctx.http?.authInfo?.extra?.request as RequestContext).caller.userOid);
                const saved = await corpus.update(args.path, stripControl(args.content), args.expectedRevision, author);
                return textResult(`${args.path} is now at revision ${saved.revision} (this replica only).`);
            }),
    );

    return server;
}

function textResult(text: string): CallToolResult {
    return { content: [{ type: "text", text }] };
}

function errorResult(text: string): CallToolResult {
    return { isError: true, content: [{ type: "text", text }] };
}

/** Every text block stripped of control characters and the whole result bounded (C1.4, C9.4). */
function sanitizeResult(result: CallToolResult, maxChars: number): CallToolResult {
    let budget = maxChars;
    const content = result.content.map((block) => {
        if (block.type !== "text") return block;
        const cut = bound(stripControl(block.text), Math.max(0, budget));
        budget -= cut.text.length;
        return { ...block, text: cut.truncated ? `${cut.text}\n[result truncated at ${maxChars} characters]` : cut.text };
    });
    return { ...result, content };
}
