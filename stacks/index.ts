import { McpPlatform } from "../components/platform";
import { loadPlatformConfig } from "./load";

// The program entry: validate the stack config, then build the platform from it.
const config = loadPlatformConfig();
const platform = new McpPlatform(config.workload, { config });

export const resourceGroupName = platform.resourceGroupName;
