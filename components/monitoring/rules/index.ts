import { gatewayRules } from "./gateway";
import { platformRules } from "./platform";
import { AnalyticsRule } from "./types";

export * from "./types";
export { gatewayEvents, eventColumns } from "./gatewayEvents";

/** Every MCP detection the platform deploys; the policy pack requires each id. */
export const mcpAnalyticsRules: readonly AnalyticsRule[] = [...gatewayRules, ...platformRules];
