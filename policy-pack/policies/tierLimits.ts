import { stackPolicy } from "../lib/policy";
import { isApimPolicyDocument, maxRateLimitRenewalSeconds, serviceOf, tierLimitProblems } from "../lib/tierLimits";

/**
 * API Management, every policy document: only limit elements the service's tier runs (C4.1).
 * The rules and their sources (Learn) are in lib/tierLimits.ts.
 */
export const azureApimanagementServiceEnforceTierSupportedLimits = stackPolicy({
    name: "azure-apimanagement-service-enforce-tier-supported-limits",
    description:
        "Every API Management policy document (service, product, API, operation policy or fragment) uses only limit elements its service's tier runs: no " +
        "quota-by-key outside the classic tiers (Developer, Basic, Standard, Premium; the v2 tiers have none, so the daily quota is a per-UTC-day cache counter " +
        `there), and every rate-limit / rate-limit-by-key has a literal renewal-period of at most ${maxRateLimitRenewalSeconds} seconds. A linked or malformed ` +
        "document fails closed. Compared against: API Management's documented tier support and renewal-period maximum (Learn), the service's sku.",
    controls: ["C4.1"],
    component: "gateway",
    remediationSteps:
        "Build limits with components/gateway (it emits quota-by-key on the classic tiers and a cache-based daily quota on PremiumV2, and 60-second rate-limit " +
        "windows); express a longer limit as a quota, not a rate-limit window over 300 seconds.",
    validate: (resources, _args, must) => {
        for (const doc of resources.filter(isApimPolicyDocument)) {
            const sku = serviceOf(doc, resources)?.props.sku?.name;
            for (const state of tierLimitProblems(doc, typeof sku === "string" ? sku : undefined)) must(doc, state);
        }
    },
});
