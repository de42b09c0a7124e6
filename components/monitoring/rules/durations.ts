/** ISO 8601 durations of days/hours/minutes, as Sentinel's rule schedule takes them. */

/** Minutes in an ISO 8601 duration of days/hours/minutes (`P1D`, `PT1H30M`); undefined when not one. */
export function isoMinutes(duration: string): number | undefined {
    const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(duration);
    if (!m || duration === "P" || duration.endsWith("T")) return undefined;
    return Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** Minutes as an ISO 8601 duration (`90` → `PT1H30M`, `1440` → `P1D`). */
export function isoDuration(minutes: number): string {
    if (!Number.isInteger(minutes) || minutes <= 0) throw new Error(`isoDuration: got ${minutes}, expected a positive whole number of minutes`);
    const days = Math.floor(minutes / 1440);
    const hours = Math.floor((minutes % 1440) / 60);
    const rest = minutes % 60;
    const time = (hours ? `${hours}H` : "") + (rest ? `${rest}M` : "");
    return `P${days ? `${days}D` : ""}${time ? `T${time}` : ""}`;
}

/** An ISO 8601 duration as a KQL timespan literal (`PT10M` → `10m`, `P14D` → `14d`). */
export function kqlTimespan(duration: string): string {
    const minutes = isoMinutes(duration);
    if (minutes === undefined) throw new Error(`kqlTimespan: got "${duration}", expected an ISO 8601 duration such as PT10M`);
    if (minutes % 1440 === 0) return `${minutes / 1440}d`;
    if (minutes % 60 === 0) return `${minutes / 60}h`;
    return `${minutes}m`;
}
