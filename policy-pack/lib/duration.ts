/**
 * ISO 8601 date durations as Key Vault rotation policies use them (`P1Y`, `P12M`, `P30D`, `P4W`),
 * in days the way Key Vault counts them (a year is 365 days, a month 30). Time parts (`PT…`) and
 * anything else return `undefined`, which the policies treat as a violation.
 */
const durationPattern = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;

export function isoDurationDays(value: unknown): number | undefined {
    if (typeof value !== "string") return undefined;
    const normalized = value.trim().toUpperCase();
    const match = normalized === "P" ? null : durationPattern.exec(normalized);
    if (!match) return undefined;
    const [, years, months, weeks, days] = match.map((part) => Number(part ?? 0));
    return years * 365 + months * 30 + weeks * 7 + days;
}
