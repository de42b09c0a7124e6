import type { McpPlatformConfig } from "../../components/platform/config";
import { plannedNames, platformIdentityQualifiers } from "../../components/platform/names";
import { composeName, createNaming } from "../../components/shared/naming";
import { nameProblem, nameRules, vaultSecretNameRule } from "../../components/shared/nameRules";
import { vaultSecretName } from "../../components/workload/settings";

/**
 * Every Azure and Entra name the stack will create, checked against Azure's rules and for
 * uniqueness in its scope, before anything is registered. Each problem names the config key that
 * produced the name and says how to fix it.
 */
export function checkNames(config: McpPlatformConfig): string[] {
    const naming = createNaming(config);
    const problems: string[] = [];
    const seen = new Map<string, { key: string; name: string }>();
    for (const planned of plannedNames(config)) {
        const name = composeName(naming, planned.kind, planned.qualifier);
        const problem = nameProblem(nameRules[planned.kind], name);
        if (problem) {
            problems.push(`${planned.key}: gives the ${planned.kind} name "${name}", expected a name Azure accepts (${problem}) — shorten or rename the value`);
        }
        // Names that must be unique in one scope (per kind here: one resource group, one tenant).
        const scopeKey = `${planned.kind}/${name}`;
        const first = seen.get(scopeKey);
        if (first && first.key !== planned.key) {
            const reserved = planned.kind === "managedIdentity" && (platformIdentityQualifiers as readonly string[]).includes(planned.qualifier ?? "");
            problems.push(
                `${planned.key}: gives the ${planned.kind} name "${name}", which ${first.key} already gives` +
                    (reserved ? ` (the platform's own identity "${planned.qualifier}")` : "") +
                    ` — expected distinct names; rename one of them`,
            );
        } else if (!first) {
            seen.set(scopeKey, { key: planned.key, name });
        }
    }
    config.servers.forEach((server, i) =>
        server.secrets.forEach((secret, j) => {
            const name = vaultSecretName(server.name, secret);
            const problem = nameProblem(vaultSecretNameRule, name);
            if (problem) problems.push(`${config.project}:servers[${i}].secrets[${j}]: gives the Key Vault secret name "${name}", expected ${problem} — shorten the secret name`);
        }),
    );
    return problems;
}
