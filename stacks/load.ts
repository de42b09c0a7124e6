import * as pulumi from "@pulumi/pulumi";
import { ConfigError, PlatformConfig, resolvePlatformConfig } from "./config";

/**
 * Reads this stack's config from the engine and validates it. A bad config stops the program
 * before any resource is registered, with one line per problem and no stack trace.
 */
export function loadPlatformConfig(): PlatformConfig {
    try {
        return resolvePlatformConfig(pulumi.getProject(), pulumi.getStack(), pulumi.runtime.allConfig());
    } catch (err) {
        if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
        throw err;
    }
}
