/**
 * The MCP protocol revisions the platform accepts: the one home of this fact for the config schema,
 * the gateway's version check and the pack (C3.4). Revisions from `firstStatelessRevision` on carry
 * their version in `_meta`, have no sessions and send `Mcp-Method`/`Mcp-Name` headers.
 */
export const supportedProtocolVersions = ["2025-11-25", "2026-07-28"] as const;
export type ProtocolVersion = (typeof supportedProtocolVersions)[number];

export const firstStatelessRevision: ProtocolVersion = "2026-07-28";

/** Whether a revision is stateless (ISO dates compare as strings). */
export function isStatelessRevision(version: string): boolean {
    return version >= firstStatelessRevision;
}
