import type { PolicyResource } from "@pulumi/policy";
import { findAll, isExpression, parsePolicyXml } from "./apimXml";
import { dependsVia } from "./references";
import { resourceTypes } from "../contract/resourceTypes";

/**
 * Limit policies API Management itself would refuse or ignore, by tier (C4.1). A limit the gateway
 * does not apply is no limit, so a stack that carries one has no limit at all:
 * - `quota-by-key` exists on the classic tiers only (Learn, quota-by-key: "APPLIES TO: Developer |
 *   Basic | Standard | Premium"); the v2 tiers and Consumption have none, where the platform keeps its
 *   daily quota as a per-UTC-day cache counter instead. `quota` (by subscription) applies to every
 *   tier (Learn, quota), so it is not a tier violation.
 * - `rate-limit` and `rate-limit-by-key` allow a renewal-period of at most 300 seconds (Learn: "Maximum
 *   allowed value: 300 seconds"); a longer window is not the limit it claims to be.
 */
const quotaByKeyTiers = ["Developer", "Basic", "Standard", "Premium", "Isolated"] as const;
export const maxRateLimitRenewalSeconds = 300;

const linkFormats = ["xml-link", "rawxml-link"];

/** Policy documents of API Management (service, product, API, operation, workspace policies and fragments). */
export function isApimPolicyDocument(r: PolicyResource): boolean {
    return r.type.startsWith("azure-native:apimanagement:") && (r.type.endsWith("Policy") || r.type.endsWith("PolicyFragment"));
}

/** The service a policy document belongs to: by dependency, else by service name. */
export function serviceOf(doc: PolicyResource, resources: readonly PolicyResource[]): PolicyResource | undefined {
    const services = resources.filter((r) => r.type === resourceTypes.apimanagement.ApiManagementService);
    return (
        services.find((s) => dependsVia(doc, "serviceName", s)) ??
        services.find((s) => typeof doc.props.serviceName === "string" && (s.props.serviceName ?? s.name) === doc.props.serviceName)
    );
}

/** What `doc` must change to run on its service's tier, one state per problem. */
export function tierLimitProblems(doc: PolicyResource, sku: string | undefined): string[] {
    if (linkFormats.includes(String(doc.props.format ?? ""))) {
        return ["carry its policy inline (a linked document cannot be evaluated, so its limits fail closed)"];
    }
    const root = parsePolicyXml(doc.props.value);
    if (!root) return ["be a well-formed policy document (its limits cannot be evaluated, so it fails closed)"];
    const problems: string[] = [];
    if (sku !== undefined && !(quotaByKeyTiers as readonly string[]).includes(sku) && findAll(root, "quota-by-key").length > 0) {
        problems.push(`not use quota-by-key on the ${sku} tier, which has none (Learn: classic tiers only); keep the daily quota as a per-UTC-day cache counter`);
    }
    for (const name of ["rate-limit", "rate-limit-by-key"]) {
        for (const limit of findAll(root, name)) {
            const period = limit.attributes["renewal-period"];
            const seconds = Number(period);
            if (period === undefined || isExpression(period) || !(seconds > 0)) {
                problems.push(`give every ${name} a literal renewal-period (got ${period ?? "none"}; a computed one cannot be evaluated and fails closed)`);
            } else if (seconds > maxRateLimitRenewalSeconds) {
                problems.push(`keep every ${name} renewal-period at most ${maxRateLimitRenewalSeconds} seconds, the most API Management allows (got ${seconds})`);
            }
        }
    }
    return problems;
}
