import * as pulumi from "@pulumi/pulumi";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as securityinsights from "@pulumi/azure-native/securityinsights";
import { DiagnosticsArgs, PlacementArgs } from "../shared/inputs";
import { createDiagnosticSetting } from "../shared/diagnostics";
import { resourceName } from "../shared/naming";
import { AnalyticsRule, analyticsRulesFor, RuleContext } from "./rules";
import { createAutomationRules } from "./automation";
import { scheduledRuleArgs } from "./scheduledRule";

export interface McpMonitoringArgs {
    /** Resource group, region, tags and naming of the workspace and its Sentinel content. */
    readonly placement: PlacementArgs;
    /** Days the workspace keeps data interactively (A9); the stack config enforces ≥ 90 in prod. */
    readonly retentionDays: number;
    /** `protect: true` on the workspace (audit data; prod). Defaults to false. */
    readonly protect?: boolean;
    /**
     * What the stack declares that the detections read: the servers (name, image, declared egress)
     * and, when the egress firewall is deployed, the runtime subnet's ranges (adds mcp-egress-denied).
     * Defaults to no servers and no firewall.
     */
    readonly context?: RuleContext;
    /**
     * Scheduled analytics rules to create. Defaults to every MCP detection for `context`
     * (`analyticsRulesFor`); the policy pack requires each of them, so pass extra rules, not fewer.
     */
    readonly analyticsRules?: readonly AnalyticsRule[];
    /**
     * Whether the workspace's query API stays reachable from public networks. Defaults to true:
     * analysts query through the Sentinel portal from outside the VNet, and no Azure Monitor Private
     * Link Scope is deployed; every query still needs an Entra ID token and RBAC (local auth is off).
     * Ingestion from public networks is always disabled (diagnostic settings use Azure's backbone).
     */
    readonly publicQueryAccess?: boolean;
}

/**
 * The platform's one Log Analytics workspace with Microsoft Sentinel on it: MCP analytics rules
 * (C5.2, A4, C9.2, C10.4) and an automation rule that escalates high-severity incidents (C5.4, A8).
 * Every component sends its diagnostics here via `diagnostics` (C5.1).
 */
export class McpMonitoring extends pulumi.ComponentResource {
    public readonly workspaceId: pulumi.Output<string>;
    public readonly workspaceName: pulumi.Output<string>;
    public readonly workspaceCustomerId: pulumi.Output<string>;
    /** Pass to every component: all logs and metrics go to this workspace. */
    public readonly diagnostics: DiagnosticsArgs;
    /** The Sentinel onboarding state; every Sentinel resource depends on it. */
    public readonly sentinel: securityinsights.SentinelOnboardingState;

    constructor(name: string, args: McpMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mcp:monitoring:McpMonitoring", name, {}, opts);
        const { placement } = args;
        const rules = args.analyticsRules ?? analyticsRulesFor(args.context ?? { servers: [] });
        validateRetention(args.retentionDays);

        const workspace = new operationalinsights.Workspace(
            `${name}-workspace`,
            {
                workspaceName: resourceName(placement.naming, "logAnalytics"),
                resourceGroupName: placement.resourceGroupName,
                location: placement.location,
                tags: placement.tags,
                sku: { name: operationalinsights.WorkspaceSkuNameEnum.PerGB2018 },
                retentionInDays: args.retentionDays,
                // Entra ID only: no shared keys that could write forged events or read audit data (C5.3).
                features: { disableLocalAuth: true, enableLogAccessUsingOnlyResourcePermissions: true },
                publicNetworkAccessForIngestion: operationalinsights.PublicNetworkAccessType.Disabled,
                publicNetworkAccessForQuery:
                    args.publicQueryAccess === false
                        ? operationalinsights.PublicNetworkAccessType.Disabled
                        : operationalinsights.PublicNetworkAccessType.Enabled,
            },
            { parent: this, protect: args.protect ?? false },
        );
        this.workspaceId = workspace.id;
        this.workspaceName = workspace.name;
        this.workspaceCustomerId = workspace.customerId;
        this.diagnostics = { workspaceId: workspace.id };

        // Queries against the workspace (LAQueryLogs) are audit data too: who read the security logs.
        createDiagnosticSetting(this, `${name}-workspace`, workspace.id, this.diagnostics);

        this.sentinel = new securityinsights.SentinelOnboardingState(
            `${name}-sentinel`,
            {
                resourceGroupName: placement.resourceGroupName,
                workspaceName: workspace.name,
                sentinelOnboardingStateName: "default",
            },
            { parent: this },
        );

        const deployed = rules.map(
            (rule) =>
                new securityinsights.ScheduledAlertRule(
                `${name}-rule-${rule.id}`,
                scheduledRuleArgs(rule, { resourceGroupName: placement.resourceGroupName, workspaceName: workspace.name }),
                // The workspace must be onboarded before Sentinel accepts any rule.
                { parent: this, dependsOn: [this.sentinel] },
                ),
        );
        createAutomationRules(this, name, {
            resourceGroupName: placement.resourceGroupName,
            workspaceName: workspace.name,
            dependsOn: [this.sentinel],
            analyticsRuleIds: deployed.map((r) => r.id),
        });

        this.registerOutputs({
            workspaceId: this.workspaceId,
            workspaceName: this.workspaceName,
            workspaceCustomerId: this.workspaceCustomerId,
        });
    }
}

/** Log Analytics accepts 30–730 days of interactive retention (4383 is "forever" and not ours). */
export function validateRetention(days: number): void {
    if (!Number.isInteger(days) || days < 30 || days > 730) {
        throw new Error(`retentionDays: got ${days}, expected a whole number of days between 30 and 730`);
    }
}
