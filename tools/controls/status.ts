/**
 * Controls that no mandatory policy enforces on every stack, each with its status and one sentence
 * on why. Every other control of the catalogue must be named by at least one mandatory policy
 * (status "enforced"); `tools/controls/matrix.ts` fails when a control has neither, and when an
 * "optional" control has no policy to enforce it once its flag is on.
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
    // Optional: behind a config flag (stacks/profiles.ts), default on in prod; enforced when on.
    "C2.4": {
        status: "optional",
        why: "Conditional Access needs Entra ID P1: `features.conditionalAccess` (prod on; dev off, or report-only when on).",
        carriedBy: "`identity`",
    },
    A3: {
        status: "optional",
        why: "Risk-based Conditional Access needs Entra ID P1: `features.conditionalAccess` (prod on).",
        carriedBy: "`identity`",
    },
    "C4.4": {
        status: "optional",
        why: "The DDoS Network Protection plan and VNet flow logs bill per month: `features.ddosProtection` and `features.vnetFlowLogs` (prod on); the WAF and its per-IP rate rule are enforced on every stack.",
        carriedBy: "`network`, `edge`",
    },
    "C11.2": {
        status: "optional",
        why: "Defender for Containers bills per vCore: `features.defenderForContainers` (prod on); the dependency audit runs in the template's CI on every change.",
        carriedBy: "`registry`, `.github/workflows/mcp-platform.yml`",
    },
    // Application: inside the MCP server process; the platform provides the hook.
    "C1.4": {
        status: "application",
        why: "Only the server knows what its tools return; the gateway masks backend errors in `on-error` and strips internal headers.",
        carriedBy: "MCP server; hook: gateway outbound policy",
    },
    "C9.3": {
        status: "application",
        why: "Scanning model output for leakage is the server's (and client's) job; the gateway passes JSON-RPC results through unchanged apart from header hygiene.",
        carriedBy: "MCP server",
    },
    "C9.4": {
        status: "application",
        why: "Context-window protection belongs to the client and server; the gateway caps every request at `gateway.maxRequestBytes`.",
        carriedBy: "MCP server; hook: gateway request size limit",
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
