/**
 * The one public identity of an MCP server: `https://<edge host>/mcp/<server>`. It is what clients
 * connect to, what the RFC 9728 metadata names as `resource` (clients compare the two, §3.3), what
 * they send as the RFC 8707 `resource` parameter, and therefore the identifier URI of the server's
 * Entra API app: Entra rejects a `resource` that is not an identifier URI of the app owning the
 * requested scopes (AADSTS9010010), so the scopes are `<this URL>/<scope>` too.
 */
export function mcpResourceUrl(publicBaseUrl: string, server: string): string {
    return `${publicBaseUrl.replace(/\/+$/, "")}/mcp/${server}`;
}

/** The gateway API path of a server (`mcp/<server>`): the path segment of its resource URL. */
export function mcpApiPath(server: string): string {
    return `mcp/${server}`;
}

/** The server an API path belongs to, or undefined for a path the platform did not generate. */
export function serverOfMcpApiPath(path: unknown): string | undefined {
    return typeof path === "string" ? /^mcp\/([a-z0-9-]+)$/.exec(path)?.[1] : undefined;
}
