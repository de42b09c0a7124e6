import type { McpPlatformConfig } from "../../components/platform/config";
import { consumptionPairs, isConsumptionPair } from "../../components/workload/sizes";

/**
 * Sizes and combinations Azure accepts only in documented steps, checked before deploy:
 * Container Apps CPU/memory pairs (Consumption profile), session pool sizes, API Management
 * tier × units × zones, Application Gateway v2 autoscale bounds.
 */
export function checkSizes(config: McpPlatformConfig): string[] {
    const key = (k: string) => `${config.project}:${k}`;
    const problems: string[] = [];
    config.servers.forEach((server, i) => {
        if (!isConsumptionPair(server.cpu, server.memory)) {
            problems.push(
                `${key(`servers[${i}]`)}: got cpu ${server.cpu} with memory ${server.memory}, expected a pair the Consumption profile accepts ` +
                    `(memory = 2 × vCPU in 0.25 steps: ${consumptionPairs().slice(0, 4).join(", ")} … 4/8Gi) — set memory to ${server.cpu * 2}Gi or change cpu`,
            );
        }
    });
    const sandbox = config.runtime.sandbox;
    if (config.features.dynamicSessions && sandbox && !isConsumptionPair(sandbox.cpu, sandbox.memory, 2)) {
        problems.push(
            `${key("runtime.sandbox")}: got cpu ${sandbox.cpu} with memory ${sandbox.memory}, expected a pair a session pool accepts ` +
                `(${consumptionPairs(2).join(", ")}) — set memory to ${sandbox.cpu * 2}Gi or change cpu`,
        );
    }
    const { sku, capacity } = config.gateway;
    // Developer has one unit and no SLA; it cannot scale (learn.microsoft.com/azure/api-management/api-management-features).
    if (sku === "Developer" && capacity !== 1) problems.push(`${key("gateway.capacity")}: got ${capacity}, expected 1 because the Developer tier has exactly one unit — use Premium to scale`);
    // Premium: up to 12 units per region without a support request (learn.microsoft.com/azure/api-management/upgrade-and-scale).
    if (sku === "Premium" && capacity > 12) problems.push(`${key("gateway.capacity")}: got ${capacity}, expected at most 12 Premium units per region — ask Azure support for more, or lower it`);
    if (sku === "PremiumV2" && capacity > 30) problems.push(`${key("gateway.capacity")}: got ${capacity}, expected at most 30 PremiumV2 units — lower it`);
    const zones = config.gateway.zones;
    // Zones: Premium only, and the units must spread evenly across them
    // (learn.microsoft.com/azure/reliability/reliability-api-management#availability-zone-support).
    if (zones.length > 0 && sku !== "Premium") problems.push(`${key("gateway.zones")}: got ${JSON.stringify(zones)}, expected none because the ${sku} tier takes no zone list — remove it or use Premium`);
    if (zones.length > 0 && sku === "Premium" && capacity % zones.length !== 0) {
        problems.push(`${key("gateway.zones")}: got ${zones.length} zones with ${capacity} unit(s), expected a capacity that is a multiple of the zone count — set gateway.capacity to ${zones.length * Math.max(1, Math.ceil(capacity / zones.length))} or list fewer zones`);
    }
    const { minCapacity, maxCapacity } = config.edge;
    // Application Gateway v2 autoscale: min 0–125, max 2–125, min ≤ max (learn.microsoft.com/azure/application-gateway/application-gateway-autoscaling-zone-redundant).
    if (minCapacity > maxCapacity) problems.push(`${key("edge.minCapacity")}: got ${minCapacity}, expected at most edge.maxCapacity (${maxCapacity})`);
    return problems;
}
