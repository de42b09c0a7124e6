import { el, XmlElement } from "./xml";

/**
 * The gateway-wide settings every policy fragment is built from (plain values: the fragments are
 * pure functions of these). Per-server values travel as context variables set by each API policy.
 */
export interface FragmentSettings {
    /** MCP protocol revisions the gateway accepts, e.g. ["2025-11-25", "2026-07-28"]. */
    readonly protocolVersions: readonly string[];
    /** Origins (scheme://host[:port]) allowed in an `Origin` header; a request without one passes. */
    readonly allowedOrigins: readonly string[];
    /** Largest accepted request body in bytes (C1.1, C9.4). */
    readonly maxRequestBytes: number;
    /** A session binding lapses after this many idle seconds (C8.3). */
    readonly sessionIdleSeconds: number;
    /** …and after this many seconds whatever the activity (C8.3). */
    readonly sessionAbsoluteSeconds: number;
    /** `closed` rejects a tools/call when Prompt Shields cannot answer; `open` lets it through with an event. */
    readonly promptShieldsFailureMode: "closed" | "open";
    /** `block` replaces a drifted tools/list result with an error; `detect` passes it on with an event. */
    readonly manifestMode: "block" | "detect";
    /** `https://<subdomain>.cognitiveservices.azure.com/` of the private Content Safety account. */
    readonly contentSafetyEndpoint: string;
    /** Client id of the gateway's user-assigned identity (managed-identity tokens). */
    readonly gatewayIdentityClientId: string;
    /** Seconds the gateway waits for a backend's response headers (C4.3). Defaults to 60. */
    readonly backendTimeoutSeconds?: number;
}

export { firstStatelessRevision } from "../../../policy-pack/contract/revisions";

/**
 * One policy fragment of the gateway: its base id (as `<include-fragment fragment-id>` names it,
 * prefixed per deployment by `fragmentId`), a fixed description, and its document built from the
 * gateway-wide settings. Fixed id and description let the component declare the PolicyFragment
 * resources before the late settings (Content Safety endpoint, identity client id) resolve.
 */
export interface GatewayFragment {
    readonly id: string;
    readonly description: string;
    build(settings: FragmentSettings): XmlElement;
}

/** A fragment record whose `<fragment>` document holds the children `build` returns. */
export function fragment(id: string, description: string, children: (settings: FragmentSettings) => XmlElement[]): GatewayFragment {
    return { id, description, build: (settings) => el("fragment", {}, children(settings)) };
}

/** Prompt Shields input limit: 10K characters of user prompt (Learn, Content Safety overview, "Input requirements"). */
export const promptShieldsMaxChars = 10_000;
export const promptShieldsApiVersion = "2024-09-01";

/** `https://host[:port]` of a configured origin; throws on anything that is not an http(s) origin. */
export function normalizeOrigin(origin: string): string {
    const url = new URL(origin);
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`allowedOrigins: got ${JSON.stringify(origin)}, expected an http(s) origin`);
    return url.origin;
}

/** Session ids MCP allows: visible ASCII (0x21–0x7E); the gateway also bounds the length (M4). */
export const sessionIdPattern = "^[\\x21-\\x7E]{16,128}$";
