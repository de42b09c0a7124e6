/**
 * Controls that live outside any stack (in the MCP server process, or outside a deployment), each
 * with its status and one sentence on why. Optional controls are not declared here: their one home
 * is the feature table of the pack's contract (policy-pack/contract/features.ts). Every other control
 * must be named by at least one mandatory policy (status "enforced"); `tools/controls/matrix.ts`
 * fails when a control has none of these.
 */
export type DeclaredStatus = "optional" | "application" | "out of scope";

export interface StatusDeclaration {
    readonly status: DeclaredStatus;
    readonly why: string;
    /** Where the control (or the platform's hook for it) lives. */
    readonly carriedBy: string;
}

const repositoryCi =
    "A property of the repository's CI, not of a stack, so no stack policy can see it; the template ships it and test/ci/template.test.ts checks it is there.";

export const declaredStatus: Record<string, StatusDeclaration> = {
    // Application: inside the MCP server process; the platform provides the hook.
    "C1.4": {
        status: "application",
        why: "Only the server knows what its tools return; the gateway masks backend errors in `on-error` and strips internal headers.",
        carriedBy: "MCP server (`workloads/reference-server/src/output.ts`: control characters stripped, results bounded, handler errors masked); hook: gateway outbound policy",
    },
    "C9.3": {
        status: "application",
        why: "Scanning model output for leakage is the server's (and client's) job; the gateway passes JSON-RPC results through unchanged apart from header hygiene.",
        carriedBy: "MCP server (`workloads/reference-server/src/output.ts`: spotlighted page text, bounded results; tests in `test/workloads/reference-server-output.test.ts`)",
    },
    "C9.4": {
        status: "application",
        why: "Context-window protection belongs to the client and server; the gateway caps every request at `gateway.maxRequestBytes`.",
        carriedBy: "MCP server (`workloads/reference-server/src/tools.ts`: strict, bounded tool inputs and results); hook: gateway request size limit",
    },
    // Out of scope: not a property of a deployment.
    "C11.1": { status: "out of scope", why: repositoryCi, carriedBy: "`.github/workflows/mcp-platform.yml` (tests, offline plan with SARIF, `pulumi preview --policy-pack`)" },
    "C11.4": { status: "out of scope", why: repositoryCi, carriedBy: "`.github/CODEOWNERS` with branch protection" },
    "C12.2": { status: "out of scope", why: repositoryCi, carriedBy: "`package-lock.json`, `npm sbom` in CI, `.github/dependabot.yml`" },
    "C11.3": {
        status: "out of scope",
        why: "Penetration testing is an organisational practice run against a deployed environment, not a property of a stack.",
        carriedBy: "your security team",
    },
    A6: {
        status: "out of scope",
        why: "Differential privacy, homomorphic encryption and federated learning are model-training techniques, not deployment controls.",
        carriedBy: "—",
    },
    A7: {
        status: "out of scope",
        why: "Incident procedures are organisational; docs/runbook.md gives them per MCP threat, tied to the analytics rules that raise each incident.",
        carriedBy: "`docs/runbook.md`",
    },
};
