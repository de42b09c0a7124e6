import { McpPlatform } from "../components/platform";
import { loadPlatformConfig } from "./load";

// The program entry: validate the stack config (nothing is registered if it is invalid), then build
// the platform from it.
const config = loadPlatformConfig();
const platform = new McpPlatform(config.workload, { config });

export const resourceGroupName = platform.resourceGroupName;
/** Point the DNS record of `edge.hostname` here. */
export const edgePublicIp = platform.edgePublicIp;
/** What MCP clients configure, one per server. */
export const mcpEndpoints = platform.mcpEndpoints;
export const gatewayHostname = platform.gatewayHostname;
export const vaultName = platform.vaultName;
/** Push images here (from inside the VNet): `<login server>/<repository>@sha256:…`. */
export const registryLoginServer = platform.registryLoginServer;
export const workspaceId = platform.workspaceId;
