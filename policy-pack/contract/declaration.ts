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
