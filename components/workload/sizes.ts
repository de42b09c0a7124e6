/**
 * The CPU/memory pairs a container may ask for on the Consumption workload profile of a
 * workload-profiles environment: vCPU in steps of 0.25 from 0.25 to 4, memory exactly twice the vCPU
 * in GiB (https://learn.microsoft.com/azure/container-apps/containers#allocations, read 2026-12-03).
 * Azure rejects any other pair when the revision is created, late in a deployment.
 */
const consumptionLimits = { minCpu: 0.25, maxCpu: 4, cpuStep: 0.25, memoryPerCpuGi: 2 } as const;

/** The allowed pairs as `cpu/memory` strings, for error messages. */
export function consumptionPairs(maxCpu: number = consumptionLimits.maxCpu): string[] {
    const pairs: string[] = [];
    for (let quarters = 1; quarters * consumptionLimits.cpuStep <= maxCpu; quarters++) {
        const cpu = quarters * consumptionLimits.cpuStep;
        pairs.push(`${cpu}/${cpu * consumptionLimits.memoryPerCpuGi}Gi`);
    }
    return pairs;
}

/** Whether Azure accepts `cpu` vCPU with `memory` (`1.5Gi`) on the Consumption profile, up to `maxCpu`. */
export function isConsumptionPair(cpu: number, memory: string, maxCpu: number = consumptionLimits.maxCpu): boolean {
    const gi = /^(\d+(?:\.\d+)?)Gi$/.exec(memory);
    if (!gi) return false;
    const quarters = cpu / consumptionLimits.cpuStep;
    return (
        Number.isInteger(quarters) &&
        cpu >= consumptionLimits.minCpu &&
        cpu <= maxCpu &&
        Math.abs(Number(gi[1]) - cpu * consumptionLimits.memoryPerCpuGi) < 1e-9
    );
}
