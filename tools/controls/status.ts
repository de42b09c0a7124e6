/**
 * Controls that no mandatory policy enforces on every stack, each with its status and one sentence
 * on why. Every other control of the catalogue must be named by at least one mandatory policy
 * (status "enforced"); `tools/controls/matrix.ts` fails when a control has neither.
 */
export type DeclaredStatus = "optional" | "application" | "out of scope";

export interface StatusDeclaration {
    readonly status: DeclaredStatus;
    readonly why: string;
    /** Where the control (or the platform's hook for it) lives. */
    readonly carriedBy: string;
}

export const declaredStatus: Record<string, StatusDeclaration> = {
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
};
