import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { mfaAuthenticationStrengthId } from "./entra";

/** `enabled`, or report-only (`enabledForReportingButNotEnforced`, allowed by the policy pack in dev only). */
export type ConditionalAccessState = "enabled" | "enabledForReportingButNotEnforced";

export interface ConditionalAccessArgs {
    readonly state: ConditionalAccessState;
    readonly adminGroupObjectId: pulumi.Input<string>;
    /** Client ids of the MCP API apps (the resources users get tokens for). */
    readonly apiAppClientIds: pulumi.Input<string>[];
    readonly adminsDisplayName: string;
    readonly apisDisplayName: string;
}

/**
 * Two policies, because the requirement is an OR that one policy cannot express (a policy's
 * users AND applications must both match): MFA for the admin group on every app (C2.4
 * administrative access), and MFA for every user on the MCP API apps (C2.4 sensitive operations,
 * A3). Both require the built-in MFA authentication strength as the only grant control.
 * Child names: `${name}-ca-admins`, `${name}-ca-mcp-apis`.
 */
export function createConditionalAccessPolicies(
    parent: pulumi.Resource,
    name: string,
    args: ConditionalAccessArgs,
): azuread.ConditionalAccessPolicy[] {
    const grantControls = { operator: "OR", authenticationStrengthPolicyId: mfaAuthenticationStrengthId };
    const admins = new azuread.ConditionalAccessPolicy(
        `${name}-ca-admins`,
        {
            displayName: args.adminsDisplayName,
            state: args.state,
            conditions: {
                clientAppTypes: ["all"],
                applications: { includedApplications: ["All"] },
                users: { includedGroups: [args.adminGroupObjectId] },
            },
            grantControls,
        },
        { parent },
    );
    const apis = new azuread.ConditionalAccessPolicy(
        `${name}-ca-mcp-apis`,
        {
            displayName: args.apisDisplayName,
            state: args.state,
            conditions: {
                clientAppTypes: ["all"],
                applications: { includedApplications: args.apiAppClientIds },
                users: { includedUsers: ["All"] },
            },
            grantControls,
        },
        { parent },
    );
    return [admins, apis];
}
