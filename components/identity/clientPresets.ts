import { splitRedirectUris } from "./entra";

/**
 * MCP clients people use, as Entra app registrations. Entra has neither Dynamic Client Registration
 * nor Client ID Metadata Documents, so every client is pre-registered (M3) and its redirect URIs
 * must be exactly what the client sends. Sources and the client-side config: docs/clients.md.
 */
export const clientKinds = ["custom", "vscode", "claude-code", "mcp-inspector", "mcp-remote"] as const;
export type ClientKind = (typeof clientKinds)[number];

export interface ClientPreset {
    /** Redirect URIs the client sends, as it sends them (Entra compares exactly, port included). */
    readonly redirectUris: readonly string[];
    /**
     * Entra platform of the redirect URIs: `publicClient` (mobile & desktop: a native app redeems the
     * code itself), `spa` (a browser page redeems it cross-origin; Entra requires the SPA platform then),
     * `byScheme` (loopback URIs native, https ones browser-hosted).
     */
    readonly platform: "publicClient" | "spa" | "byScheme";
}

export const clientPresets: Record<ClientKind, ClientPreset> = {
    // No preset: the stack lists the redirect URIs; loopback ones are native, https ones browser-hosted.
    custom: { redirectUris: [], platform: "byScheme" },
    // VS Code's loopback listener on desktop, vscode.dev's redirect page in the browser.
    vscode: { redirectUris: ["http://127.0.0.1:33418/", "https://vscode.dev/redirect"], platform: "byScheme" },
    // Claude Code: http://localhost:<callbackPort>/callback; the port is pinned with --callback-port 8088.
    "claude-code": { redirectUris: ["http://localhost:8088/callback"], platform: "publicClient" },
    // MCP Inspector runs the OAuth flow in the browser page on port 6274 (normal and debug flows).
    "mcp-inspector": { redirectUris: ["http://localhost:6274/oauth/callback", "http://localhost:6274/oauth/callback/debug"], platform: "spa" },
    // mcp-remote's loopback listener, port given as its second argument (3334 in docs/clients.md).
    "mcp-remote": { redirectUris: ["http://localhost:3334/oauth/callback"], platform: "publicClient" },
};

/** The redirect URIs of a client app by Entra platform: the preset's plus the stack's own. */
export function redirectUrisOf(kind: ClientKind, extra: readonly string[]): { publicClient: string[]; singlePageApplication: string[] } {
    const preset = clientPresets[kind];
    const uris = [...new Set([...preset.redirectUris, ...extra])];
    if (preset.platform === "spa") return { publicClient: [], singlePageApplication: uris };
    return splitRedirectUris(uris);
}
