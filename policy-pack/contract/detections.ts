/**
 * The analytics rules each MCP platform workspace must run, by stable id: a rule counts when its
 * display name starts with `<id>:`. The pack requires them (policies/monitoring.ts); the platform's
 * rules (components/monitoring/rules) use the same ids, which test/components/monitoring.test.ts ties.
 */
export const requiredMcpDetections = [
    "mcp-token-failures-one-source",
    "mcp-token-audience-mismatch",
    "mcp-session-binding-violation",
    "mcp-rate-limit-abuse",
    "mcp-prompt-attack",
    "mcp-tool-manifest-drift",
    "mcp-call-volume-anomaly",
    "mcp-keyvault-access-denied",
    "mcp-keyvault-purge-attempt",
    "mcp-waf-block-spike",
] as const;

/**
 * The denied-egress detection (C10.3, A2), required on every workspace of a stack that deploys an
 * Azure Firewall: the firewall's deny logs are its input.
 */
export const requiredEgressDetection = "mcp-egress-denied";

export type McpDetectionId = (typeof requiredMcpDetections)[number] | typeof requiredEgressDetection;
