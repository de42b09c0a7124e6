import { serverOfMcpApiPath } from "../components/shared/mcpResource";

/** A step into the stack file's config: a key, or the list item with this `name` (a server). */
export type ConfigStep = string | { readonly name: string };

/** What the offline plan knows of a resource a policy rejected. */
export interface RejectedResource {
    readonly type: string;
    readonly inputs: Record<string, unknown>;
}

/**
 * Config values the schema accepts but the policy pack can reject: the pack caps them (its config
 * can lower the caps per organisation), so a stack file may set a value the schema allows and the
 * pack refuses. For each such policy, the config keys that set the value it compares, in the order
 * to try: the plan points a finding at the first one the stack file sets, not at the component line
 * that passed the value on. test/tools/configSources.test.ts sets each key to a rejected value and
 * checks the finding lands on it, so every entry here is reachable.
 */
export const configSources: Readonly<Record<string, (resource: RejectedResource) => readonly (readonly ConfigStep[])[]>> = {
    "azure-apimanagement-api-enable-user-rate-limit": (api) => perServer(api, ["rateLimits"]),
    "azure-apimanagement-api-enforce-request-validation": () => [["gateway", "maxRequestBytes"]],
    "azure-apimanagement-api-enable-session-binding": () => [
        ["gateway", "sessionIdleMinutes"],
        ["gateway", "sessionAbsoluteMinutes"],
    ],
};

/** `servers[<the API's server>].<rest>`, for a finding on a server's gateway API. */
function perServer(api: RejectedResource, rest: readonly string[]): ConfigStep[][] {
    const server = serverOfMcpApiPath(api.inputs.path);
    return server === undefined ? [] : [["servers", { name: server }, ...rest]];
}
