import { McpPolicy } from "../lib/policy";
import * as tags from "./tags";

/** Every policy of the pack, in report order. Add an area by importing its module here. */
export const policies: McpPolicy[] = collect(tags);

function collect(...modules: Record<string, unknown>[]): McpPolicy[] {
    return modules.flatMap((m) => Object.values(m).filter(isPolicy));
}

function isPolicy(value: unknown): value is McpPolicy {
    return typeof value === "object" && value !== null && "name" in value && ("validateResource" in value || "validateStack" in value);
}
