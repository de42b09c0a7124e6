import { AsyncLocalStorage } from "node:async_hooks";
import type { PolicyConfigSchema } from "@pulumi/policy";

/**
 * Exemptions: a policy can be waived for one resource (by logical name) only with a written reason.
 * The engine validates the config against this schema; the offline plan lists every exemption used.
 */
export interface Exemption {
    readonly resource: string;
    readonly reason: string;
}

/** Shortest reason accepted: long enough to say what and until when (one fact, used by schema and check). */
const minimumReasonLength = 20;

export const exemptionsConfigSchema: PolicyConfigSchema = {
    properties: {
        exemptions: {
            type: "array",
            description: "Resources (by logical name) this policy does not apply to, each with the reason.",
            items: {
                type: "object",
                properties: {
                    resource: { type: "string", minLength: 1 },
                    reason: { type: "string", minLength: minimumReasonLength },
                },
                required: ["resource", "reason"],
                additionalProperties: false,
            },
            default: [],
        },
    },
};

/** An exemption the pack cannot honour (a reason too short once trimmed): the evaluation must stop, not skip it. */
class InvalidExemptionError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "InvalidExemptionError";
    }
}

/**
 * The exemption for `resourceName`, if any. A matching exemption whose reason is blank or shorter
 * than `minimumReasonLength` once trimmed throws: silently ignoring it would report a violation the
 * author believes waived, or (worse) hide that the waiver has no reason.
 */
export function exemptionFor(config: unknown, resourceName: string): Exemption | undefined {
    const list = (config as { exemptions?: Exemption[] } | undefined)?.exemptions ?? [];
    const match = list.find((e) => e.resource === resourceName);
    if (!match) return undefined;
    const reason = typeof match.reason === "string" ? match.reason.trim() : "";
    if (reason.length < minimumReasonLength) {
        throw new InvalidExemptionError(
            `exemption for resource "${resourceName}" has a reason of ${reason.length} characters; at least ${minimumReasonLength} are required`,
        );
    }
    return match;
}

export interface UsedExemption {
    readonly policy: string;
    readonly urn: string;
    readonly reason: string;
}

// The engine has no channel for "exempted", so an evaluator that wants the list opens a log for the
// duration of one evaluation. The log travels with the async context, so two evaluations running
// in parallel each see only their own; outside a log (under the engine) recording is a no-op.
const log = new AsyncLocalStorage<UsedExemption[]>();

export function recordExemption(policy: string, urn: string, reason: string): void {
    log.getStore()?.push({ policy, urn, reason });
}

/** Runs `evaluate` with its own exemption log and returns its result with the exemptions it used. */
export async function collectExemptions<T>(evaluate: () => Promise<T>): Promise<{ result: T; exemptions: UsedExemption[] }> {
    const used: UsedExemption[] = [];
    const result = await log.run(used, evaluate);
    return { result, exemptions: used };
}
