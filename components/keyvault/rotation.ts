/**
 * Pure helpers for key and secret lifetimes (C2.3, C6.2). Key Vault takes ISO 8601 durations in a
 * rotation policy (`P1Y`, `P30D`, `P12M`, `P4W`); these helpers compare them in days the way Key
 * Vault does (a year is 365 days, a month 30).
 */

const durationPattern = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;

/** Days in an ISO 8601 date duration, or `undefined` when it is not one (time parts are not accepted). */
export function durationDays(duration: string): number | undefined {
    const match = durationPattern.exec(duration);
    if (!match || duration === "P") return undefined;
    const [, years, months, weeks, days] = match.map((part) => Number(part ?? 0));
    return years * 365 + months * 30 + weeks * 7 + days;
}

/** The longest a key version may live before it expires (C2.3: keys rotate at least yearly). */
const maxKeyLifetimeDays = 365;
/** Key Vault rejects a rotation policy whose expiry is shorter than 28 days. */
const minKeyLifetimeDays = 28;

export interface KeyLifetime {
    /** ISO 8601 duration after which a key version expires. */
    readonly expiresAfter: string;
    /** ISO 8601 duration before expiry at which Key Vault creates the next version. */
    readonly rotateBeforeExpiry: string;
}

/** Expire after one year, rotate 30 days before: every version is replaced well before it lapses. */
export const defaultKeyLifetime: KeyLifetime = { expiresAfter: "P1Y", rotateBeforeExpiry: "P30D" };

/** Throws, naming the argument and what is allowed, when a lifetime breaks the vault conventions. */
export function validateKeyLifetime(keyName: string, lifetime: KeyLifetime): { expiryDays: number; rotateBeforeDays: number } {
    const expiryDays = durationDays(lifetime.expiresAfter);
    const rotateBeforeDays = durationDays(lifetime.rotateBeforeExpiry);
    if (expiryDays === undefined || expiryDays < minKeyLifetimeDays || expiryDays > maxKeyLifetimeDays) {
        throw new Error(
            `key ${keyName}: expiresAfter got ${JSON.stringify(lifetime.expiresAfter)}, expected an ISO 8601 duration between ` +
                `P${minKeyLifetimeDays}D and P1Y (C2.3: keys expire at least yearly)`,
        );
    }
    if (rotateBeforeDays === undefined || rotateBeforeDays < 7 || rotateBeforeDays >= expiryDays) {
        throw new Error(
            `key ${keyName}: rotateBeforeExpiry got ${JSON.stringify(lifetime.rotateBeforeExpiry)}, expected an ISO 8601 duration ` +
                `of at least P7D and shorter than expiresAfter (${lifetime.expiresAfter}) so a new version exists before the old one expires`,
        );
    }
    return { expiryDays, rotateBeforeDays };
}

/** Throws unless a secret's lifetime is a whole number of days between 1 and 365. */
export function validateSecretLifetime(secretName: string, expiresInDays: number): void {
    if (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > maxKeyLifetimeDays) {
        throw new Error(`secret ${secretName}: expiresInDays got ${expiresInDays}, expected a whole number of days from 1 to ${maxKeyLifetimeDays} (C2.3)`);
    }
}

const secondsPerDay = 24 * 60 * 60;

/**
 * Seconds since the epoch (the unit of Key Vault's `expires` attributes), `days` after the start of
 * `now`'s UTC day: the same value on every run of a day, so two plans of one stack are identical.
 */
export function expiryTimestamp(now: Date, days: number): number {
    const startOfDay = Math.floor(now.getTime() / 1000 / secondsPerDay) * secondsPerDay;
    return startOfDay + days * secondsPerDay;
}
