import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { v5 as uuidv5 } from "uuid";
import { RoleAssignmentArgs } from "./inputs";
import { roleDefinitionId } from "./roles";

/** Namespace for deterministic role-assignment names (any fixed GUID works; this one is ours). */
const roleAssignmentNamespace = "6f1c2a52-6a3e-4a57-9d43-0f3c5b7c9e21";

/**
 * Grants each role on `scope`. The Azure name is a GUID derived from scope, principal and role
 * (as AVM does), so re-running never creates a duplicate and a changed principal replaces cleanly.
 * Child names: `${name}-ra-<role>`.
 */
export function assignRoles(
    parent: pulumi.Resource,
    name: string,
    scope: pulumi.Input<string>,
    subscriptionId: pulumi.Input<string>,
    assignments: readonly RoleAssignmentArgs[],
): authorization.RoleAssignment[] {
    return assignments.map(
        (assignment) =>
            new authorization.RoleAssignment(
                `${name}-ra-${assignment.role}`,
                {
                    roleAssignmentName: pulumi
                        .all([scope, assignment.principalId])
                        .apply(([s, p]) => uuidv5(`${s}|${p}|${assignment.roleDefinitionId}`, roleAssignmentNamespace)),
                    scope,
                    principalId: assignment.principalId,
                    principalType: assignment.principalType,
                    roleDefinitionId: pulumi.output(subscriptionId).apply((sub) => roleDefinitionId(sub, assignment.roleDefinitionId)),
                },
                { parent },
            ),
    );
}
