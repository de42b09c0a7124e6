/**
 * The gateway's security events: one stable name per security decision. The gateway's policy XML
 * emits them (as `<trace source="mcp-gateway">` records whose message is a JSON object with these
 * fields) and the Sentinel analytics rules query them, so both sides import the names from here.
 */
export const traceSource = "mcp-gateway";

export const securityEvents = {
    /** No token, bad signature, expired, wrong tenant (M1, M2). */
    tokenRejected: "mcp.auth.token_rejected",
    /** A valid Entra token issued for another audience or by another issuer (M1, C7.2). */
    audienceMismatch: "mcp.auth.audience_mismatch",
    /** Token lacks the scope/role the operation needs (C7.3). */
    claimMissing: "mcp.auth.claim_missing",
    /** Client application not in the server's allow-list (M3). */
    clientNotAllowed: "mcp.auth.client_not_allowed",
    /** Protocol version outside the configured list (C3.4). */
    protocolVersionRejected: "mcp.protocol.version_rejected",
    /** Mcp-Method / Mcp-Name header contradicts the JSON-RPC body (C3.4). */
    headerBodyMismatch: "mcp.protocol.header_mismatch",
    /** Not a JSON-RPC 2.0 request, wrong content type, or too large (C1.1, C1.2). */
    envelopeRejected: "mcp.request.envelope_rejected",
    /** Origin header not in the allow-list (C1.1). */
    originRejected: "mcp.request.origin_rejected",
    /** Session id presented by a user other than the one it is bound to (M4, C8.2). */
    sessionUserMismatch: "mcp.session.user_mismatch",
    /** Session id unknown or expired (C8.3). */
    sessionUnknown: "mcp.session.unknown",
    /** Session id not visible ASCII or of the wrong length (M4). */
    sessionMalformed: "mcp.session.malformed",
    /** A rate limit or quota was exceeded (C4.1). */
    rateLimited: "mcp.ratelimit.exceeded",
    /** tools/call for a tool whose app role the caller lacks (C2.2). */
    toolForbidden: "mcp.tool.forbidden",
    /** Prompt Shields flagged tools/call arguments (C1.3, C9.1). */
    promptAttackDetected: "mcp.content.prompt_attack",
    /** Prompt Shields could not be reached; request failed closed or open per config (C1.3). */
    contentSafetyUnavailable: "mcp.content.safety_unavailable",
    /** tools/list result differs from the approved manifest digest (C9.2). */
    manifestDrift: "mcp.manifest.drift",
    /** One per MCP request that passed authorisation and screening: who called which server, method and tool (C5.1, C10.4, C4.2). */
    auditCall: "mcp.audit.call",
} as const;

export type SecurityEventName = (typeof securityEvents)[keyof typeof securityEvents];

/**
 * Fields of every event's JSON message. `oid` is the caller's object id (never the token), `ip` the
 * client address as the gateway saw it, `server` the MCP server name.
 */
export const securityEventFields = ["event", "server", "oid", "appid", "ip", "method", "tool", "sessionHash", "detail"] as const;

/**
 * Fields of the per-call audit event (`auditCall`): a subset of `securityEventFields` that never
 * carries arguments, tokens, client addresses or full session ids (`sessionHash` is a truncated
 * SHA-256 of oid and session id) (C5.1, C5.3, A5).
 */
export const auditEventFields = ["event", "server", "oid", "appid", "method", "tool", "sessionHash"] as const satisfies readonly (typeof securityEventFields)[number][];
