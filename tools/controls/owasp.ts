/**
 * The OWASP MCP Top 10 (as listed in microsoft/mcp-azure-security-guide) and the controls that
 * mitigate each risk: the cross-reference at the end of CONTROLS.md. Auditors ask in these terms;
 * the control matrix shows each risk's controls with their status, and SARIF rules carry the ids.
 * This project adds C10.3 and A2 to MCP05, MCP06 and MCP10: with deny-by-default egress and declared
 * hosts per server (issue 16), a tool that is tricked into sending data out reaches nothing else.
 */
export const owaspMcpTop10 = [
    { id: "MCP01", risk: "Token mismanagement and secret exposure", controls: ["M1", "C2.3", "C6.3", "C7.1", "C7.2", "C5.3"] },
    { id: "MCP02", risk: "Privilege escalation via scope creep", controls: ["C2.2", "C7.3", "C10.2"] },
    { id: "MCP03", risk: "Tool poisoning", controls: ["C9.2", "C12.1"] },
    { id: "MCP04", risk: "Software supply chain attacks and dependency tampering", controls: ["C11.2", "C12.1", "C12.2", "C12.3", "C12.4"] },
    { id: "MCP05", risk: "Command injection and execution", controls: ["C1.1", "C1.2", "C10.1", "C10.3", "A2"] },
    { id: "MCP06", risk: "Intent flow subversion", controls: ["C1.3", "C9.1", "C9.4", "C10.3", "A2"] },
    { id: "MCP07", risk: "Insufficient authentication and authorization", controls: ["M1", "M2", "M3", "C2.1", "C2.4", "C8.2", "A1"] },
    { id: "MCP08", risk: "Lack of audit and telemetry", controls: ["C5.1", "C5.2", "C5.4", "C10.4"] },
    { id: "MCP09", risk: "Shadow MCP servers", controls: ["C10.3", "C12.3", "A2"] },
    { id: "MCP10", risk: "Context injection and over-sharing", controls: ["A5", "C1.4", "C9.3", "C9.4", "C10.3", "A2"] },
] as const;

/** The OWASP MCP risks a control mitigates (for SARIF tags and the matrix). */
export function owaspRisksOf(controlIds: readonly string[]): string[] {
    return owaspMcpTop10.filter((r) => r.controls.some((c) => controlIds.includes(c))).map((r) => r.id);
}
