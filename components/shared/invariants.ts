/**
 * Component invariants shared by the components that key resources and outputs by name (identity
 * and gateway both key per server): one rule, one message. Stack config is checked earlier, with
 * the config key, in stacks/config.ts; these guard components used directly.
 */
export function assertUniqueNames(key: string, names: readonly string[], what: string): void {
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined) throw new Error(`${key}: got "${duplicate}" twice, expected unique ${what}`);
}

/** A server nobody may call is a mistake, and validate-azure-ad-token needs at least one client application (M3). */
export function assertAllowedClients(server: string, clientApplicationIds: readonly unknown[]): void {
    if (clientApplicationIds.length === 0) {
        throw new Error(
            `servers.${server}.clientApplicationIds: got none, expected at least one allowed client app (allowedClientAppIds or a clientApp listing the server)`,
        );
    }
}
