import { el, XmlElement } from "./xml";

/**
 * The policy fragment model shared by the fragment builders: one `<fragment>` document per
 * security concern, deployed as an API Management PolicyFragment and included by every MCP API.
 */

/** A policy fragment: its id (as `<include-fragment fragment-id>` names it), what it does, its root element. */
export interface Fragment {
    /** The base id (`mcp-origin`); the deployed id is `fragmentId(prefix, base)`. */
    readonly id: string;
    readonly description: string;
    readonly root: XmlElement;
}

export const fragment = (id: string, description: string, ...children: XmlElement[]): Fragment => ({
    id,
    description,
    root: el("fragment", {}, children),
});

/** Fragment ids in the order the API policy includes them, by section. */
export const fragmentIds = {
    resourceMetadata: "mcp-resource-metadata",
    origin: "mcp-origin",
    bearerRequired: "mcp-bearer-required",
    identity: "mcp-identity",
    envelope: "mcp-envelope",
    protocolVersion: "mcp-protocol-version",
    session: "mcp-session",
    toolAuthorization: "mcp-tool-authorization",
    promptShields: "mcp-prompt-shields",
    audit: "mcp-audit",
    forward: "mcp-forward",
    manifestIntegrity: "mcp-manifest-integrity",
    sessionBind: "mcp-session-bind",
    securityHeaders: "mcp-security-headers",
    onError: "mcp-on-error",
} as const;

/**
 * The deployed fragment id. The azure-native SDK cannot send a PolicyFragment's `id` input (the
 * Pulumi SDK strips inputs named `id`: pulumi/pulumi-azure-native#2664), so the fragment's Azure
 * name comes from autonaming of its logical name (`<component>-<base id>`, verbatim per Pulumi.yaml);
 * the API policy includes exactly that name.
 */
export function fragmentId(prefix: string, base: string): string {
    return prefix ? `${prefix}-${base}` : base;
}
