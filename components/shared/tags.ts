/** The tags every resource carries (C6.4: data classification travels with the resource). */
export interface PlatformTags {
    readonly workload: string;
    readonly environment: string;
    readonly "data-classification": string;
    readonly owner: string;
    readonly [key: string]: string;
}

export function platformTags(input: { workload: string; environment: string; dataClassification: string; owner: string }): PlatformTags {
    return {
        workload: input.workload,
        environment: input.environment,
        "data-classification": input.dataClassification,
        owner: input.owner,
    };
}
