import { McpPolicy } from "../lib/policy";
import * as tags from "./tags";
import * as identity from "./identity";
import * as runtime from "./runtime";
import * as workload from "./workload";
import * as roleAssignments from "./roleAssignments";
import * as monitoring from "./monitoring";
import * as registry from "./registry";
import * as network from "./network";
import * as keyvault from "./keyvault";
import * as safety from "./safety";
import * as edge from "./edge";
import * as gateway from "./gateway";

/** Every policy of the pack, in report order. Add an area by importing its module here. */
export const policies: McpPolicy[] = collect(tags, identity, runtime, workload, roleAssignments, monitoring, registry, network, keyvault, safety, edge, gateway);

function collect(...modules: Record<string, unknown>[]): McpPolicy[] {
    return modules.flatMap((m) => Object.values(m).filter(isPolicy));
}

function isPolicy(value: unknown): value is McpPolicy {
    return typeof value === "object" && value !== null && "name" in value && ("validateResource" in value || "validateStack" in value);
}
