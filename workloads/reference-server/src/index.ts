export { loadConfig, type ServerConfig } from "./config";
export { startServer, healthPaths, mcpPath, type RunningServer, type StartOptions } from "./http";
export { createTokenVerifier, userHeaders, type Caller, type TokenVerifier } from "./auth";
export { Corpus } from "./corpus";
export { createLogger, hashOid, type Logger } from "./log";
export { toolRoles, serverInfo, createDocsServer } from "./tools";
export { dataMarker, spotlight, stripControl } from "./output";
