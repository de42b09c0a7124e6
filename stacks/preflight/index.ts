import type { McpPlatformConfig } from "../../components/platform/config";
import { checkNames } from "./names";
import { checkRegion } from "./regions";
import { checkSignInDomain } from "./signIn";
import { checkSizes } from "./sizes";

/**
 * The pre-flight: what Azure would reject at deploy time (names, sizes, combinations, region
 * availability of what the stack turns on), found from
 * the resolved config alone, in milliseconds, before any resource is registered. `pulumi up` and
 * the offline plan both run it (stacks/config.ts calls it last), so a bad name fails in seconds,
 * not 40 minutes in, after API Management was created.
 */
export function preflight(config: McpPlatformConfig): string[] {
    return [...checkNames(config), ...checkSizes(config), ...checkSignInDomain(config), ...checkRegion(config)];
}
