import * as pulumi from "@pulumi/pulumi";
import * as securityinsights from "@pulumi/azure-native/securityinsights";
import {
    AutomationRulePropertyConditionSupportedOperator,
    AutomationRulePropertyConditionSupportedProperty,
    IncidentSeverity,
    IncidentStatus,
    TriggersOn,
    TriggersWhen,
} from "@pulumi/azure-native/types/enums/securityinsights";
import { v5 as uuidv5 } from "uuid";

const automationNamespace = "8a0f3c55-1d2e-4b6a-9f07-3c5e7a9b1d42";

/** Labels the automation puts on every high-severity incident, for queues and workbooks. */
export const highSeverityLabels = ["mcp-platform", "mcp-high-severity"] as const;

/**
 * Automated first response for high-severity incidents of the platform's own analytics rules
 * (C5.4, A8), scoped by rule resource id so unrelated incidents of a shared workspace are left
 * alone: the incident is set Active,
 * labelled for the MCP queue, and gets the containment task of the runbook, so no high-severity
 * incident waits unseen in New. No playbook runs: containment (disabling a client app, revoking a
 * session, blocking an address at the WAF) stays a human decision until a playbook is built and
 * granted its own narrowly scoped identity.
 * Child name: `${name}-automation-high-severity`.
 */
export function createAutomationRules(
    parent: pulumi.Resource,
    name: string,
    target: {
        resourceGroupName: pulumi.Input<string>;
        workspaceName: pulumi.Input<string>;
        dependsOn: pulumi.Resource[];
        /** ARM ids of the platform's scheduled rules: the automation acts only on their incidents. */
        analyticsRuleIds: readonly pulumi.Input<string>[];
    },
): securityinsights.AutomationRule[] {
    if (target.analyticsRuleIds.length === 0) throw new Error("createAutomationRules: expected the ids of at least one analytics rule to scope the automation to");
    return [
        new securityinsights.AutomationRule(
            `${name}-automation-high-severity`,
            {
                resourceGroupName: target.resourceGroupName,
                workspaceName: target.workspaceName,
                automationRuleId: uuidv5("mcp-high-severity-triage", automationNamespace),
                displayName: "mcp-high-severity-triage: activate, label and task high-severity incidents",
                order: 1,
                triggeringLogic: {
                    isEnabled: true,
                    triggersOn: TriggersOn.Incidents,
                    triggersWhen: TriggersWhen.Created,
                    conditions: [
                        {
                            conditionType: "Property",
                            conditionProperties: {
                                propertyName: AutomationRulePropertyConditionSupportedProperty.IncidentRelatedAnalyticRuleIds,
                                operator: AutomationRulePropertyConditionSupportedOperator.Contains,
                                propertyValues: [...target.analyticsRuleIds],
                            },
                        },
                        {
                            conditionType: "Property",
                            conditionProperties: {
                                propertyName: AutomationRulePropertyConditionSupportedProperty.IncidentSeverity,
                                operator: AutomationRulePropertyConditionSupportedOperator.Equals,
                                propertyValues: [IncidentSeverity.High],
                            },
                        },
                    ],
                },
                actions: [
                    {
                        actionType: "ModifyProperties",
                        order: 1,
                        actionConfiguration: {
                            status: IncidentStatus.Active,
                            labels: highSeverityLabels.map((labelName) => ({ labelName })),
                        },
                    },
                    {
                        actionType: "AddIncidentTask",
                        order: 2,
                        actionConfiguration: {
                            title: "Contain per the MCP incident runbook",
                            description:
                                "Identify the caller (oid, client app, address) from the alert entities; if the activity is not " +
                                "expected, disable the client app's assignment or the user's sessions, block the address at the " +
                                "WAF, and for manifest drift stop the server revision until its tools are reviewed.",
                        },
                    },
                ],
            },
            { parent, dependsOn: target.dependsOn },
        ),
    ];
}
