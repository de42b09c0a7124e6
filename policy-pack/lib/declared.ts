import type { PolicyResource } from "@pulumi/policy";
import { platformOf, type DeclaredNumberKey, type DeclaredStringKey, type RateLimits } from "../contract/declaration";

/**
 * Optional facts of the platform declaration that value checks compare against, when the stack's
 * `McpPlatform` declares them: the tenant, per-server allowed client apps and rate limits, session
 * lifetimes. Each reader returns `undefined` when the declaration does not carry the fact, and the
 * caller then compares with its secure default or config cap, never with nothing.
 */
export interface DeclaredServer {
    readonly name: string;
    readonly allowedClientAppIds?: readonly string[];
    readonly rateLimits?: Partial<RateLimits>;
}

/** The declared server named `name` when the declaration lists servers as objects (a bare name carries no facts). */
export function declaredServer(resources: readonly PolicyResource[], name: string | undefined): DeclaredServer | undefined {
    const servers = platformOf(resources)?.props?.servers;
    if (!Array.isArray(servers) || name === undefined) return undefined;
    const entry = servers.find((s) => typeof s === "object" && s !== null && (s as { name?: unknown }).name === name);
    return entry as DeclaredServer | undefined;
}

/** A numeric fact of the declaration (e.g. `sessionIdleSeconds`), or undefined. */
export function declaredNumber(resources: readonly PolicyResource[], key: DeclaredNumberKey): number | undefined {
    const value = platformOf(resources)?.props?.[key];
    return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** A string fact of the declaration (e.g. `tenantId`), or undefined. */
export function declaredString(resources: readonly PolicyResource[], key: DeclaredStringKey): string | undefined {
    const value = platformOf(resources)?.props?.[key];
    return typeof value === "string" && value !== "" ? value : undefined;
}

/** The stricter of a declared value and a config cap (the cap bounds what a declaration may claim). */
export const stricter = (declared: number | undefined, cap: number): number => (declared === undefined ? cap : Math.min(declared, cap));
