import type { RoleAssignmentArgs } from "@pulumi/azure-native/authorization";
import type { Inputs } from "../lib/inputs";
import { resourcePolicy } from "../lib/policy";
import { resourceTypes } from "../contract/resourceTypes";

/**
 * Azure RBAC grants (ID): workloads get the narrowest role at the narrowest scope. The Entra-side
 * policies (apps, service principals, credentials) live in their own module.
 */

/**
 * Built-in roles that let a principal change resources, manage secrets and keys, or grant access
 * (every role holding Microsoft.Authorization/roleAssignments/write) — stable GUIDs across tenants.
 */
export const privilegedRoles: Record<string, string> = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
    "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
    "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
    "00482a5a-887f-4fb3-b363-3b7fe8e74483": "Key Vault Administrator",
    "8b54135c-b56d-4d72-a534-26097cfdc8d8": "Key Vault Data Access Administrator",
    "b86a8fe4-44ce-4948-aee5-eccb2c155cd7": "Key Vault Secrets Officer",
    "14b46e9e-c2b7-41b4-b07b-48a6ebf60603": "Key Vault Crypto Officer",
    "a4417e6f-fecd-4de8-b567-7b0420556985": "Key Vault Certificates Officer",
};

/** Key Vault data-plane roles a workload gets: each on the single key, secret or certificate it uses, never on the whole vault (C10.2). */
export const keyVaultDataRoles: Record<string, string> = {
    "4633458b-17de-408a-b874-0445c86b69e6": "Key Vault Secrets User",
    "12338af0-0e69-4776-bea7-57ae8d297424": "Key Vault Crypto User",
    "e147488a-f6f5-4113-8e2d-b22465e65bf6": "Key Vault Crypto Service Encryption User",
    "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba": "Key Vault Certificate User",
    "21090545-7ca7-4776-b22c-e363652d74d2": "Key Vault Reader",
};
const vaultScope = /\/providers\/microsoft\.keyvault\/vaults\/[^/]+\/?$/i;
const resourceGroupScope = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/?$/i;
const roleGuid = (props: Inputs<RoleAssignmentArgs>) => (typeof props.roleDefinitionId === "string" ? props.roleDefinitionId.split("/").pop()?.toLowerCase() ?? "" : "");
const toPeople = (props: Inputs<RoleAssignmentArgs>) => props.principalType === "Group" || props.principalType === "User";

/** `/subscriptions/<id>` (with or without a trailing slash), a management group, or the tenant root. */
const subscriptionOrWiderScope = /^(\/|\/subscriptions\/[^/]+\/?|\/providers\/microsoft\.management\/managementgroups\/[^/]+\/?)$/i;

export const azureAuthorizationRoleAssignmentDisallowPrivilegedRole = resourcePolicy<Inputs<RoleAssignmentArgs>>({
    name: "azure-authorization-roleassignment-disallow-privileged-role",
    description:
        "No role assignment grants a role that changes resources, manages keys and secrets or grants access (Owner, Contributor, User Access Administrator, " +
        "Role Based Access Control Administrator, the Key Vault Administrator/Data Access Administrator/Officer roles; see privilegedRoles) to a workload " +
        "identity (principalType ServicePrincipal, or unstated — the unset case counts as a workload identity). Grants to " +
        "people go through groups and Privileged Identity Management, outside this stack's workloads. Compared against: the privilegedRoles list (every built-in role that grants access or manages keys and secrets).",
    controls: ["C10.2", "C2.2"],
    component: "workload",
    severity: "critical",
    remediationSteps:
        "Grant the narrowest data-plane role instead (AcrPull, Key Vault Secrets User / Crypto User on the single secret or key); " +
        "see components/shared/roles.ts.",
    appliesTo: [resourceTypes.authorization.RoleAssignment],
    validate: (props, _args, must) => {
        const roleId = typeof props.roleDefinitionId === "string" ? props.roleDefinitionId : "";
        const guid = roleId.split("/").pop()?.toLowerCase() ?? "";
        if (!roleId) {
            must("name the role it grants (roleDefinitionId)");
            return;
        }
        const privileged = privilegedRoles[guid];
        if (privileged && !toPeople(props)) must(`not grant ${privileged} to a workload identity`);
    },
});

export const azureAuthorizationRoleAssignmentDisallowSubscriptionScope = resourcePolicy<Inputs<RoleAssignmentArgs>>({
    name: "azure-authorization-roleassignment-disallow-subscription-scope",
    description:
        "No role assignment is scoped to a subscription, a management group or the tenant root; a workload identity's grant targets the single resource " +
        "(not its resource group), and a Key Vault data role the single key, secret or certificate (not the whole vault). An absent scope is a violation. " +
        "Compared against: the platform's own grants, each on one resource.",
    controls: ["C10.2", "C2.2"],
    component: "workload",
    severity: "critical",
    remediationSteps: "Scope the assignment to the resource the principal needs (the registry, the secret, the key), as assignRoles callers do.",
    appliesTo: [resourceTypes.authorization.RoleAssignment],
    validate: (props, _args, must) => {
        if (typeof props.scope !== "string" || props.scope.length === 0) {
            must("state its scope (a resource or resource group)");
            return;
        }
        if (subscriptionOrWiderScope.test(props.scope)) must(`be scoped below the subscription (got ${props.scope})`);
        else if (!toPeople(props) && resourceGroupScope.test(props.scope)) must(`be scoped to the single resource a workload identity needs, not its resource group (got ${props.scope})`);
        const dataRole = keyVaultDataRoles[roleGuid(props)];
        if (dataRole && vaultScope.test(props.scope)) must(`grant ${dataRole} on the single key, secret or certificate, not the whole vault (got ${props.scope})`);
    },
});
