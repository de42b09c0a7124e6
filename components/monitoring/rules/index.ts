import { egressDenied } from "./egress";
import { gatewayRules } from "./gateway";
import { platformRules } from "./platform";
import { AnalyticsRule, RuleContext } from "./types";

export * from "./types";
export { egressDetectionId } from "./egress";

/**
 * The MCP detections for one stack: the gateway and platform rules always, the denied-egress rule
 * when the stack deploys the egress firewall (its tables exist only then). The policy pack requires
 * each id (the egress one when the stack has a firewall).
 */
export function analyticsRulesFor(context: RuleContext): AnalyticsRule[] {
    return [...gatewayRules(context), ...platformRules, ...(context.egressFirewall ? [egressDenied(context)] : [])];
}

/** Every rule the platform can deploy (an example stack with one server and the egress firewall), for docs and tests. */
export const mcpAnalyticsRules: readonly AnalyticsRule[] = analyticsRulesFor({
    servers: [
        { name: "docs", image: `mcr.example/docs@sha256:${"0".repeat(64)}`, egress: [{ host: "api.example.com", port: 443 }] },
        { name: "tickets", image: `mcr.example/tickets@sha256:${"1".repeat(64)}` },
    ],
    egressFirewall: { runtimeCidrs: ["10.0.4.0/23"] },
});
