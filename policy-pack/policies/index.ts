import { McpPolicy } from "../lib/policy";
import * as edge from "./edge";
import * as firewall from "./firewall";
import * as mcpApiAccess from "./gateway/mcpApiAccess";
import * as mcpApiContent from "./gateway/mcpApiContent";
import * as mcpApiSignIn from "./gateway/mcpApiSignIn";
import * as gatewayOperation from "./gateway/operation";
import * as gatewayService from "./gateway/service";
import * as identity from "./identity";
import * as keyvault from "./keyvault";
import * as monitoring from "./monitoring";
import * as network from "./network";
import * as protection from "./protection";
import * as registry from "./registry";
import * as roleAssignments from "./roleAssignments";
import * as runtime from "./runtime";
import * as safety from "./safety";
import * as tags from "./tags";
import * as workload from "./workload";

/**
 * Every policy of the pack, sorted by name. Add an area by importing its module here. Sorted
 * because a module's export order differs between CommonJS (the engine, tsx) and ES module
 * namespaces (vitest), and reports and docs/controls.md must not depend on which one loaded it.
 */
export const policies: McpPolicy[] = collect(edge, firewall, gatewayOperation, gatewayService, identity, keyvault, mcpApiAccess, mcpApiContent, mcpApiSignIn, monitoring, network, protection, registry, roleAssignments, runtime, safety, tags, workload);

function collect(...modules: Record<string, unknown>[]): McpPolicy[] {
    return modules.flatMap((m) => Object.values(m).filter(isPolicy)).sort((a, b) => a.name.localeCompare(b.name));
}

function isPolicy(value: unknown): value is McpPolicy {
    return typeof value === "object" && value !== null && "name" in value && ("validateResource" in value || "validateStack" in value);
}
