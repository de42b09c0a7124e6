import type { WorkspaceArgs } from "@pulumi/azure-native/operationalinsights";
import type { PolicyResource } from "@pulumi/policy";
import type { Inputs } from "../lib/inputs";
import { declaredProfile } from "../contract/declaration";
import { resourcePolicy, stackPolicy } from "../lib/policy";
import { dependsVia } from "../lib/references";
import { deploysMcpServices } from "../lib/mcpStack";
import { resourceTypes, diagnosticSettingTypes } from "../contract/resourceTypes";

/**
 * Monitoring policies (C5.1–C5.4, A8, A9): the workspace, its diagnostics coverage and Sentinel.
 * Type tokens only; the pack never imports components/ (it also gates other programs).
 */
/**
 * Types whose resources must send diagnostics to the platform workspace: every type this platform
 * (or a program gated by the pack) creates that Azure Monitor diagnostic settings support. Kept
 * explicit so adding a service is a reviewed change; sub-resources and extension resources (rules,
 * records, role assignments) have no diagnostic settings of their own.
 */
export const diagnosticsCapableTypes: readonly string[] = [
    resourceTypes.keyvault.Vault,
    resourceTypes.keyvault.ManagedHsm,
    resourceTypes.containerregistry.Registry,
    resourceTypes.operationalinsights.Workspace,
    resourceTypes.network.VirtualNetwork,
    resourceTypes.network.NetworkSecurityGroup,
    resourceTypes.network.PublicIPAddress,
    resourceTypes.network.ApplicationGateway,
    resourceTypes.apimanagement.ApiManagementService,
    resourceTypes.app.ManagedEnvironment,
    resourceTypes.cognitiveservices.Account,
    resourceTypes.storage.StorageAccount,
];

import { requiredEgressDetection, requiredMcpDetections } from "../contract/detections";
// The required detection ids live in the contract; re-exported for the pack's own users.
export { requiredEgressDetection, requiredMcpDetections } from "../contract/detections";

/** Minutes of an ISO 8601 duration of days/hours/minutes; undefined when it is not one (fails closed). */
export function durationMinutes(duration: unknown): number | undefined {
    if (typeof duration !== "string") return undefined;
    const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(duration);
    if (!m || duration === "P" || duration.endsWith("T")) return undefined;
    return Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/**
 * Why a live MCP rule's schedule would leave a blind spot, or undefined when it does not:
 * suppression on (a suppressed rule does not run, so a second attack in the window is never
 * evaluated: learn.microsoft.com/azure/sentinel/scheduled-rules-overview), or a look-back not
 * longer than the run interval (late rows fall between runs: learn.microsoft.com/azure/sentinel/ingestion-delay).
 */
function scheduleBlindSpot(props: Record<string, any>): string | undefined {
    if (props.suppressionEnabled !== false) {
        return `turn suppression off (suppressionEnabled false, got ${props.suppressionEnabled ?? "nothing"}): a suppressed rule does not run, so another attack in the window goes unevaluated; group incidents by entity instead`;
    }
    const frequency = durationMinutes(props.queryFrequency);
    const period = durationMinutes(props.queryPeriod);
    if (frequency === undefined || period === undefined) {
        return `have ISO 8601 queryFrequency and queryPeriod (got ${props.queryFrequency ?? "nothing"} and ${props.queryPeriod ?? "nothing"}; cannot evaluate the ingestion-delay margin)`;
    }
    if (period <= frequency) {
        return `look back further than it runs (queryPeriod ${props.queryPeriod} must exceed queryFrequency ${props.queryFrequency}): rows that arrive late would be missed (ingestion delay)`;
    }
    return undefined;
}

/** Minimum interactive retention in the prod profile (A9 forensic readiness). */
export const prodMinimumRetentionDays = 90;

type WorkspaceProps = Inputs<WorkspaceArgs>;

export const azureLoganalyticsWorkspaceDisableLocalAuth = resourcePolicy<WorkspaceProps>({
    name: "azure-loganalytics-workspace-disable-local-auth",
    description: "Log Analytics workspaces accept only Entra ID authentication (features.disableLocalAuth true); no shared keys.",
    controls: ["C5.3", "C6.3"],
    component: "monitoring",
    remediationSteps:
        "Set features.disableLocalAuth to true. A shared workspace key can write forged security events and read all audit " +
        "data without an identity; diagnostic settings and Sentinel do not need it.",
    appliesTo: [resourceTypes.operationalinsights.Workspace],
    validate: (props, _args, must) => {
        if (props.features?.disableLocalAuth !== true) {
            must(`disable local (shared key) authentication (features.disableLocalAuth true, got ${props.features?.disableLocalAuth ?? "nothing"})`);
        }
    },
});

export const azureLoganalyticsWorkspaceDisablePublicIngestion = resourcePolicy<WorkspaceProps>({
    name: "azure-loganalytics-workspace-disable-public-ingestion",
    description: "Log Analytics workspaces refuse ingestion from public networks (publicNetworkAccessForIngestion Disabled).",
    controls: ["C5.3", "C10.3"],
    component: "monitoring",
    remediationSteps:
        "Set publicNetworkAccessForIngestion to Disabled. Diagnostic settings reach the workspace over Azure's backbone and " +
        "are not affected; only agents on public networks are, and the platform runs none.",
    appliesTo: [resourceTypes.operationalinsights.Workspace],
    validate: (props, _args, must) => {
        if (props.publicNetworkAccessForIngestion !== "Disabled") {
            must(`refuse ingestion from public networks (publicNetworkAccessForIngestion Disabled, got ${props.publicNetworkAccessForIngestion ?? "nothing, i.e. Enabled"})`);
        }
    },
});

export const azureLoganalyticsWorkspaceConfigureRetention = stackPolicy({
    name: "azure-loganalytics-workspace-configure-retention",
    description:
        `Log Analytics workspaces keep data for at least ${prodMinimumRetentionDays} days in the prod profile (at least 30 ` +
        "elsewhere, Azure's minimum); a stack without a platform component is held to the prod minimum.",
    controls: ["A9", "C5.3"],
    component: "monitoring",
    remediationSteps:
        `Set retentionInDays (config monitoring.retentionDays) to at least ${prodMinimumRetentionDays} in prod. Incidents are ` +
        "often found weeks after the fact; the evidence must still be there.",
    validate: (resources, _args, must) => {
        const profile = declaredProfile(resources);
        // Unknown profile fails closed: the prod minimum applies.
        const minimum = profile === "dev" ? 30 : prodMinimumRetentionDays;
        for (const workspace of resources.filter((r) => r.type === resourceTypes.operationalinsights.Workspace)) {
            const days = (workspace.props as WorkspaceProps).retentionInDays;
            if (typeof days !== "number" || days < minimum) {
                must(workspace, `keep data for at least ${minimum} days in the ${profile ?? "unknown (treated as prod)"} profile (retentionInDays, got ${days ?? "nothing"})`);
            }
        }
    },
});

export const azureResourceMissingDiagnosticSetting = stackPolicy({
    name: "azure-resource-missing-diagnostic-setting",
    description:
        "In a stack that deploys MCP services (the platform declaration, an API Management service or a Container App), every resource of a diagnostics-capable type has a diagnostic setting that sends to a Log Analytics workspace the " +
        "stack creates, in resource-specific tables (logAnalyticsDestinationType Dedicated).",
    controls: ["C5.1", "C10.4", "C12.4"],
    component: "monitoring",
    remediationSteps:
        "Call createDiagnosticSetting(parent, name, resource.id, monitoring.diagnostics) for the resource " +
        "(components/shared/diagnostics.ts); without it the resource's audit trail never reaches Sentinel.",
    validate: (resources, _args, must) => {
        // Only stacks that deploy MCP services (lib/mcpStack.ts): a program without them is not this platform's to audit.
        if (!deploysMcpServices(resources)) return;
        const workspaces = resources.filter((r) => r.type === resourceTypes.operationalinsights.Workspace);
        const settings = resources.filter((r) => (diagnosticSettingTypes as readonly string[]).includes(r.type));
        for (const resource of resources.filter((r) => diagnosticsCapableTypes.includes(r.type))) {
            const covering = settings.filter((s) => dependsVia(s, "resourceUri", resource));
            const good = covering.filter(
                (s) => workspaces.some((w) => dependsVia(s, "workspaceId", w)) && s.props.logAnalyticsDestinationType === "Dedicated",
            );
            if (covering.length === 0) must(resource, "send its logs and metrics to the platform workspace through a diagnostic setting");
            else if (good.length === 0) {
                must(resource, "have a diagnostic setting whose workspaceId is a workspace of this stack, in resource-specific tables (logAnalyticsDestinationType Dedicated)");
            }
        }
    },
});

/** An enabled automation rule that fires on created incidents of High severity (or on every incident). */
function handlesHighSeverity(props: Record<string, any>): boolean {
    const logic = props.triggeringLogic ?? {};
    if (logic.isEnabled !== true || logic.triggersOn !== "Incidents") return false;
    const severity = (logic.conditions ?? []).filter((c: any) => c.conditionProperties?.propertyName === "IncidentSeverity");
    return severity.length === 0 || severity.some((c: any) => (c.conditionProperties.propertyValues ?? []).includes("High"));
}

/**
 * The analytics rules among `rules` whose incidents an automation rule leaves alone: with an
 * IncidentRelatedAnalyticRuleIds condition it acts only on the rules it names, by a computed id
 * (a dependency of triggeringLogic: ids are unknown until the rules exist) or a literal one.
 * Without that condition it acts on every rule's incidents.
 */
function rulesOutsideScope(automation: PolicyResource, rules: readonly PolicyResource[]): PolicyResource[] {
    const scopes = (automation.props.triggeringLogic?.conditions ?? []).filter((c: any) => c.conditionProperties?.propertyName === "IncidentRelatedAnalyticRuleIds");
    if (scopes.length === 0) return [];
    const named = scopes.flatMap((c: any) => c.conditionProperties.propertyValues ?? []).map((v: unknown) => String(v).toLowerCase());
    return rules.filter((rule) => {
        const ruleId = String(rule.props.ruleId ?? "").toLowerCase();
        const byLiteral = ruleId !== "" && named.some((id: string) => id.endsWith(`/alertrules/${ruleId}`));
        return !byLiteral && !dependsVia(automation, "triggeringLogic", rule);
    });
}

export const azureSentinelWorkspaceEnableMcpAnalytics = stackPolicy({
    name: "azure-sentinel-workspace-enable-mcp-analytics",
    description:
        "A stack that deploys MCP services (the platform declaration, an API Management service or a Container App) creates a Log Analytics workspace with Microsoft Sentinel onboarded and, on it, an enabled scheduled " +
        `analytics rule that creates incidents for each MCP detection (${requiredMcpDetections.join(", ")}; ` +
        `${requiredEgressDetection} when the stack has an Azure Firewall), with suppression off and a look-back longer ` +
        "than its run interval; every Sentinel rule depends on the onboarding state.",
    controls: ["C5.2", "C5.4", "A4", "A8", "C4.2"],
    component: "monitoring",
    remediationSteps:
        "Create the platform's McpMonitoring component (components/monitoring): it onboards Sentinel and deploys every MCP " +
        "analytics rule with incident creation; do not disable or rename the rules (their display names start with the rule id). " +
        "Keep suppressionEnabled false (incident grouping deduplicates) and queryPeriod above queryFrequency; pass the " +
        "egress context to McpMonitoring when the egress firewall is deployed.",
    validate: (resources, _args, must) => {
        // Only stacks that deploy MCP services (lib/mcpStack.ts): a program without them has no MCP traffic to detect.
        if (!deploysMcpServices(resources)) return;
        // An egress firewall makes the denied-egress detection mandatory.
        const required: string[] = [...requiredMcpDetections, ...(resources.some((r) => r.type === resourceTypes.network.AzureFirewall) ? [requiredEgressDetection] : [])];
        const workspaces = resources.filter((r) => r.type === resourceTypes.operationalinsights.Workspace);
        if (workspaces.length === 0) {
            must(undefined, "create a Log Analytics workspace with Microsoft Sentinel and the MCP analytics rules");
            return;
        }
        const onboardings = resources.filter((r) => r.type === resourceTypes.securityinsights.SentinelOnboardingState);
        const rules = resources.filter((r) => r.type === resourceTypes.securityinsights.ScheduledAlertRule || r.type === resourceTypes.securityinsights.AutomationRule);
        for (const workspace of workspaces) {
            const onboarding = onboardings.filter((o) => dependsVia(o, "workspaceName", workspace));
            if (onboarding.length === 0) {
                must(workspace, "have Microsoft Sentinel onboarded (a SentinelOnboardingState on the workspace)");
                continue;
            }
            const onWorkspace = rules.filter((r) => dependsVia(r, "workspaceName", workspace));
            for (const rule of onWorkspace) {
                if (!rule.dependencies.some((d) => onboarding.some((o) => o.urn === d.urn))) {
                    must(rule, "depend on the workspace's Sentinel onboarding state (dependsOn), or Sentinel refuses it");
                }
            }
            const liveRules: PolicyResource[] = [];
            for (const id of required) {
                const matches = onWorkspace.filter(
                    (r) => r.type === resourceTypes.securityinsights.ScheduledAlertRule && String(r.props.displayName ?? "").startsWith(`${id}:`),
                );
                const live = matches.filter((r) => r.props.enabled === true && r.props.incidentConfiguration?.createIncident === true);
                liveRules.push(...live);
                if (matches.length === 0) must(workspace, `run the MCP analytics rule ${id} (a scheduled rule whose display name starts with "${id}:")`);
                else if (live.length === 0) must(matches[0], `be enabled and create incidents (enabled true, incidentConfiguration.createIncident true) for ${id}`);
                else {
                    const blind = live.map((r) => [r, scheduleBlindSpot(r.props)] as const).filter(([, why]) => why !== undefined);
                    if (blind.length === live.length) must(blind[0][0], `${blind[0][1]} for ${id}`);
                }
            }
            // A8: every high-severity incident gets an automated first response.
            // A rule-scoped automation (components/monitoring scopes it to the platform's rules) must still cover every MCP rule.
            const automation = onWorkspace.filter((r) => r.type === resourceTypes.securityinsights.AutomationRule && handlesHighSeverity(r.props));
            if (automation.length === 0) {
                must(workspace, "run an enabled Sentinel automation rule for high-severity incidents (triggersOn Incidents, severity High)");
            } else if (automation.every((a) => rulesOutsideScope(a, liveRules).length > 0)) {
                const left = rulesOutsideScope(automation[0], liveRules).map((r) => String(r.props.displayName ?? r.name).split(":")[0]);
                must(automation[0], `cover the incidents of every MCP analytics rule (its IncidentRelatedAnalyticRuleIds condition leaves out ${left.join(", ")}): name them, or drop the rule condition`);
            }
        }
    },
});
