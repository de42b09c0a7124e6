import type { PolicyResource } from "@pulumi/policy";
import type { FeatureName } from "./features";
import { supportedProtocolVersions } from "./revisions";

/**
 * What a stack's `McpPlatform` component declares about itself (its registered inputs): profile,
 * protocol versions, optional controls. A program without the platform component declares nothing:
 * optional controls count as off, the profile as unknown (callers apply the prod rule), and every
 * supported protocol version as allowed, so each default is the strict one.
 */
export const platformType = "mcp:platform:McpPlatform";

/** A server's call limits at the gateway (C4.1): per user, per session and per user and tool per minute, per user per day. */
export interface RateLimits {
    readonly perUserPerMinute: number;
    readonly perSessionPerMinute: number;
    readonly perUserToolPerMinute: number;
    readonly perUserDailyQuota: number;
}

/**
 * The inputs `McpPlatform` registers: written by components/platform, read by the pack's value
 * checks and the plan's report. Readers treat every field as possibly absent (another program may
 * declare less, or nothing).
 */
export interface PlatformDeclaration {
    readonly profile: string;
    readonly protocolVersions: readonly string[];
    readonly tenantId: string;
    readonly maxRequestBytes: number;
    readonly sessionIdleSeconds: number;
    readonly sessionLifetimeSeconds: number;
    /** CIDR of the gateway subnet: the only source a server's ingress may admit. */
    readonly gatewaySubnetPrefix?: string;
    readonly servers: readonly { readonly name: string; readonly rateLimits: RateLimits }[];
    readonly optionalControls: Readonly<Record<FeatureName, { readonly enabled: boolean; readonly controls: readonly string[]; readonly reason?: string }>>;
}

/** Keys of the declaration whose value is a number or a string, for the typed readers. */
type KeysOf<T, V> = { [K in keyof T]-?: NonNullable<T[K]> extends V ? K : never }[keyof T];
export type DeclaredNumberKey = KeysOf<PlatformDeclaration, number>;
export type DeclaredStringKey = KeysOf<PlatformDeclaration, string>;

export function platformOf(resources: readonly PolicyResource[]): PolicyResource | undefined {
    return resources.find((r) => r.type === platformType);
}

/** Whether the platform declares the optional control on (off when there is no platform component). */
export function optionalControlEnabled(resources: readonly PolicyResource[], feature: FeatureName): boolean {
    return platformOf(resources)?.props?.optionalControls?.[feature]?.enabled === true;
}

/** The declared profile (`dev`, `prod`); `undefined` without a platform component. */
export function declaredProfile(resources: readonly PolicyResource[]): string | undefined {
    const profile = platformOf(resources)?.props?.profile;
    return typeof profile === "string" ? profile : undefined;
}

/** The declared MCP protocol versions; every supported version when none are declared. */
export function declaredProtocolVersions(resources: readonly PolicyResource[]): string[] {
    const versions = platformOf(resources)?.props?.protocolVersions;
    return Array.isArray(versions) && versions.length > 0 ? versions.map(String) : [...supportedProtocolVersions];
}
