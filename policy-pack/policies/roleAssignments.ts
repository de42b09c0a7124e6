import { resourcePolicy } from "../lib/policy";

/**
 * Azure RBAC grants (ID): workloads get the narrowest role at the narrowest scope. The Entra-side
 * policies (apps, service principals, credentials) live in their own module.
 */
const roleAssignmentType = "azure-native:authorization:RoleAssignment";

/** Built-in roles that let a principal change resources or grant access (stable GUIDs across tenants). */
export const privilegedRoles: Record<string, string> = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
    "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
    "00482a5a-887f-4fb3-b363-3b7fe8e74483": "Key Vault Administrator",
};

/** `/subscriptions/<id>` (with or without a trailing slash), a management group, or the tenant root. */
const subscriptionOrWiderScope = /^(\/|\/subscriptions\/[^/]+\/?|\/providers\/microsoft\.management\/managementgroups\/[^/]+\/?)$/i;

export const azureAuthorizationRoleAssignmentDisallowPrivilegedRole = resourcePolicy({
    name: "azure-authorization-roleassignment-disallow-privileged-role",
    description:
        "No role assignment grants Owner, Contributor, User Access Administrator or Key Vault Administrator to a workload " +
        "identity (principalType ServicePrincipal, or unstated — the unset case counts as a workload identity). Grants to " +
        "people go through groups and Privileged Identity Management, outside this stack's workloads.",
    controls: ["C10.2", "C2.2"],
    component: "workload",
    severity: "critical",
    remediationSteps:
        "Grant the narrowest data-plane role instead (AcrPull, Key Vault Secrets User / Crypto User on the single secret or key); " +
        "see components/shared/roles.ts.",
    appliesTo: [roleAssignmentType],
    validate: (props, _args, must) => {
        const roleId = typeof props.roleDefinitionId === "string" ? props.roleDefinitionId : "";
        const guid = roleId.split("/").pop()?.toLowerCase() ?? "";
        if (!roleId) {
            must("name the role it grants (roleDefinitionId)");
            return;
        }
        const privileged = privilegedRoles[guid];
        const toPeople = props.principalType === "Group" || props.principalType === "User";
        if (privileged && !toPeople) must(`not grant ${privileged} to a workload identity`);
    },
});

export const azureAuthorizationRoleAssignmentDisallowSubscriptionScope = resourcePolicy({
    name: "azure-authorization-roleassignment-disallow-subscription-scope",
    description:
        "No role assignment is scoped to a subscription, a management group or the tenant root; grants target a resource " +
        "group or, better, the single resource. An absent scope is a violation.",
    controls: ["C10.2", "C2.2"],
    component: "workload",
    severity: "critical",
    remediationSteps: "Scope the assignment to the resource the principal needs (the registry, the secret, the key), as assignRoles callers do.",
    appliesTo: [roleAssignmentType],
    validate: (props, _args, must) => {
        if (typeof props.scope !== "string" || props.scope.length === 0) must("state its scope (a resource or resource group)");
        else if (subscriptionOrWiderScope.test(props.scope)) must(`be scoped below the subscription (got ${props.scope})`);
    },
});
