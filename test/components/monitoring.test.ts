import { testPlacement } from "../helpers/placement";
import { describe, expect, it } from "vitest";
import { McpMonitoring, validateRetention } from "../../components/monitoring";
import { analyticsRulesFor, egressDetectionId, mcpAnalyticsRules, RuleContext } from "../../components/monitoring/rules";
import { isoMinutes, ruleGuid, validateRule } from "../../components/monitoring/scheduledRule";
import { isoDuration, kqlTimespan } from "../../components/monitoring/rules/durations";
import { gatewayRule, tableRule } from "../../components/monitoring/rules/builder";
import { armTypeOf, diagnosticCategories } from "../../components/shared/diagnostics";
import { createNaming } from "../../components/shared/naming";
import { requiredEgressDetection, requiredMcpDetections } from "../../policy-pack/policies/monitoring";
import { runUnderMocks } from "../helpers/mocks";
import { ofType, single } from "../helpers/resources";

const naming = createNaming({ project: "mcp-platform", stack: "test", tenantId: "t", location: "swedencentral", workload: "mcp" });
const placement = { ...testPlacement({ tenantId: "t", subscriptionId: "00000000-0000-0000-0000-000000000001" }), naming };
const build = (protect = false, context?: RuleContext) => runUnderMocks(() => new McpMonitoring("mon", { placement, retentionDays: 365, protect, context }));
const egressContext: RuleContext = { servers: [{ name: "docs", egress: [{ host: "api.example.com", port: 443 }] }], egressFirewall: { runtimeCidrs: ["10.0.4.0/23"] } };

describe("McpMonitoring", () => {
    it("creates an Entra-only workspace with the configured retention and no public ingestion", async () => {
        const workspace = single(await build(), "azure-native:operationalinsights:Workspace");
        expect(workspace.inputs.features.disableLocalAuth).toBe(true);
        expect(workspace.inputs.retentionInDays).toBe(365);
        expect(workspace.inputs.publicNetworkAccessForIngestion).toBe("Disabled");
        expect(workspace.inputs.publicNetworkAccessForQuery).toBe("Enabled");
        expect(workspace.inputs.tags).toEqual(placement.tags);
        expect(workspace.opts.protect).toBe(false);
    });

    it("protects the workspace when asked (prod)", async () => {
        expect(single(await build(true), "azure-native:operationalinsights:Workspace").opts.protect).toBe(true);
    });

    it("onboards Sentinel on the workspace and sends the workspace's own logs to it", async () => {
        const resources = await build();
        const workspace = single(resources, "azure-native:operationalinsights:Workspace");
        const onboarding = single(resources, "azure-native:securityinsights:SentinelOnboardingState");
        expect(onboarding.propertyDependencies.workspaceName).toContain(workspace.urn);
        const diag = single(resources, "azure-native:monitor:DiagnosticSetting");
        expect(diag.propertyDependencies.resourceUri).toContain(workspace.urn);
        expect(diag.inputs.logAnalyticsDestinationType).toBe("Dedicated");
        expect(diag.inputs.logs).toEqual([{ categoryGroup: "allLogs", enabled: true }]);
    });

    it("creates every MCP rule enabled, with incidents grouped by entity and suppression off, after onboarding", async () => {
        const resources = await build();
        const onboarding = single(resources, "azure-native:securityinsights:SentinelOnboardingState");
        const rules = ofType(resources, "azure-native:securityinsights:ScheduledAlertRule");
        expect(rules).toHaveLength(analyticsRulesFor({ servers: [] }).length);
        for (const rule of rules) {
            expect(rule.dependencies).toContain(onboarding.urn);
            expect(rule.inputs.enabled).toBe(true);
            expect(rule.inputs.incidentConfiguration.createIncident).toBe(true);
            // A suppressed rule does not run: an unrelated second attack would go unevaluated (issue 14, defect 1).
            expect(rule.inputs.suppressionEnabled).toBe(false);
            expect(rule.inputs.incidentConfiguration.groupingConfiguration.enabled).toBe(true);
            expect(rule.inputs.tactics.length).toBeGreaterThan(0);
            expect(rule.inputs.kind).toBe("Scheduled");
        }
        const tokenRule = rules.find((r) => r.inputs.displayName.startsWith("mcp-token-failures-one-source:"))!;
        expect(tokenRule.inputs.ruleId).toBe(ruleGuid("mcp-token-failures-one-source"));
        expect(tokenRule.inputs.entityMappings).toEqual([{ entityType: "IP", fieldMappings: [{ identifier: "Address", columnName: "ClientIp" }] }]);
        expect(tokenRule.inputs.incidentConfiguration.groupingConfiguration).toMatchObject({ lookbackDuration: "PT1H", matchingMethod: "AllEntities" });
        expect(tokenRule.inputs.query).toContain("ApiManagementGatewayLogs");
        expect(rules.some((r) => r.inputs.displayName.startsWith(`${egressDetectionId}:`))).toBe(false);
    });

    it("looks back past every run interval (ingestion delay)", async () => {
        for (const rule of ofType(await build(), "azure-native:securityinsights:ScheduledAlertRule")) {
            expect(isoMinutes(rule.inputs.queryPeriod)!).toBeGreaterThan(isoMinutes(rule.inputs.queryFrequency)!);
        }
    });

    it("adds the denied-egress rule, grouped by destination, when the stack has the egress firewall", async () => {
        const rules = ofType(await build(false, egressContext), "azure-native:securityinsights:ScheduledAlertRule");
        const egress = rules.find((r) => r.inputs.displayName.startsWith(`${egressDetectionId}:`))!;
        expect(egress.inputs.query).toContain('["docs", "api.example.com", 443]');
        expect(egress.inputs.incidentConfiguration.groupingConfiguration).toMatchObject({ matchingMethod: "Selected", groupByEntities: ["DNS", "IP"] });
    });

    it("deploys a rule for each detection the policy pack requires", () => {
        expect(mcpAnalyticsRules.map((r) => r.id).sort()).toEqual([...requiredMcpDetections, requiredEgressDetection].sort());
        expect(requiredEgressDetection).toBe(egressDetectionId);
    });

    it("activates, labels and tasks high-severity incidents after onboarding", async () => {
        const resources = await build();
        const onboarding = single(resources, "azure-native:securityinsights:SentinelOnboardingState");
        const automation = single(resources, "azure-native:securityinsights:AutomationRule");
        expect(automation.dependencies).toContain(onboarding.urn);
        expect(automation.inputs.triggeringLogic).toMatchObject({ isEnabled: true, triggersOn: "Incidents", triggersWhen: "Created" });
        // Scoped to the platform's own rules: a shared workspace's other High incidents are left alone.
        const rules = ofType(resources, "azure-native:securityinsights:ScheduledAlertRule");
        const [scope, severity] = automation.inputs.triggeringLogic.conditions.map((c: { conditionProperties: unknown }) => c.conditionProperties);
        expect(scope).toMatchObject({ propertyName: "IncidentRelatedAnalyticRuleIds", operator: "Contains" });
        expect(scope.propertyValues).toHaveLength(rules.length);
        expect(severity).toEqual({ propertyName: "IncidentSeverity", operator: "Equals", propertyValues: ["High"] });
        expect(automation.inputs.actions.map((a: { actionType: string }) => a.actionType)).toEqual(["ModifyProperties", "AddIncidentTask"]);
        expect(automation.inputs.actions[0].actionConfiguration.status).toBe("Active");
    });
});

describe("monitoring helpers", () => {
    it("rejects retention outside what Log Analytics accepts", () => {
        expect(() => validateRetention(29)).toThrow("retentionDays: got 29, expected a whole number of days between 30 and 730");
        expect(() => validateRetention(731)).toThrow();
        expect(() => validateRetention(90)).not.toThrow();
    });

    it.each([
        ["PT5M", 5],
        ["PT1H", 60],
        ["P1D", 1440],
        ["P1DT2H", 1560],
        ["PT", undefined],
        ["5m", undefined],
    ])("reads the ISO duration %s as %s minutes", (duration, minutes) => {
        expect(isoMinutes(duration)).toBe(minutes);
    });

    it("converts durations between ISO 8601 and KQL", () => {
        expect([isoDuration(20), isoDuration(90), isoDuration(1440), isoDuration(1500)]).toEqual(["PT20M", "PT1H30M", "P1D", "P1DT1H"]);
        expect([kqlTimespan("PT10M"), kqlTimespan("PT1H"), kqlTimespan("P14D")]).toEqual(["10m", "1h", "14d"]);
        expect(() => kqlTimespan("10m")).toThrow(/expected an ISO 8601 duration/);
        expect(() => isoDuration(0)).toThrow(/positive whole number/);
    });

    it("builds the head once: time window, ingestion-time de-duplication, tables and events", () => {
        const base = { id: "mcp-x", title: "x", description: "x", controls: ["C5.2"], severity: "Low" as const, tactics: ["Impact" as const], frequency: "PT5M", grouping: { window: "PT1H", why: "x" }, entities: [] };
        const rule = gatewayRule({ ...base, events: ["mcp.auth.token_rejected"], stages: ["| take 1"] });
        expect(rule).toMatchObject({ tables: ["ApiManagementGatewayLogs"], events: ["mcp.auth.token_rejected"], lookback: "PT15M", threshold: 0 });
        expect(rule.query.split("\n").slice(0, 2)).toEqual(["ApiManagementGatewayLogs", "| where TimeGenerated > ago(15m) and ingestion_time() > ago(5m)"]);
        const union = tableRule({ ...base, tables: ["A", "B"], stages: [] });
        expect(union.query).toBe("union (A | where TimeGenerated > ago(15m) and ingestion_time() > ago(5m)), (B | where TimeGenerated > ago(15m) and ingestion_time() > ago(5m))");
        expect(() => tableRule({ ...base, tables: [], stages: [] })).toThrow(/expected at least one table/);
        expect(() => gatewayRule({ ...base, events: [], stages: [] })).toThrow(/at least one security event/);
    });

    it("rejects a rule that looks back less than it runs, or runs too often", () => {
        const rule = mcpAnalyticsRules[0];
        expect(() => validateRule({ ...rule, frequency: "PT1H", lookback: "PT10M" })).toThrow(/expected more than the frequency PT1H/);
        expect(() => validateRule({ ...rule, frequency: "PT10M", lookback: "PT10M" })).toThrow(/ingestion delay/);
        expect(() => validateRule({ ...rule, frequency: "PT1M", lookback: "PT1M" })).toThrow(/expected PT5M to P14D/);
        expect(() => validateRule({ ...rule, techniques: ["1110"] })).toThrow(/expected T<4 digits>/);
    });

    it("rejects an entity identifier the entity reference does not define, and a grouping outside Sentinel's range", () => {
        const rule = mcpAnalyticsRules[0];
        expect(() => validateRule({ ...rule, entities: [{ type: "CloudApplication", fields: { ClientId: "ClientIp" } }] })).toThrow(/not an identifier of CloudApplication/);
        expect(() => validateRule({ ...rule, grouping: { window: "P8D", why: "x" } })).toThrow(/grouping.window: got P8D/);
        expect(() => validateRule({ ...rule, grouping: { window: "PT1H", why: "x", by: ["DNS"] } })).toThrow(/DNS is not a mapped entity type/);
    });

    it.each([
        ["/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/networkSecurityGroups/nsg", "microsoft.network/networksecuritygroups", 1, 0],
        ["/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/st", "microsoft.storage/storageaccounts", 0, 1],
        ["/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv", "microsoft.keyvault/vaults", 1, 1],
    ])("sends what the service supports for %s", (uri, type, logs, metrics) => {
        expect(armTypeOf(uri)).toBe(type);
        const categories = diagnosticCategories(uri);
        expect(categories.logs).toHaveLength(logs);
        expect(categories.metrics).toHaveLength(metrics);
    });

    it("lets the caller override the service defaults", () => {
        const nsg = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/networkSecurityGroups/nsg";
        expect(diagnosticCategories(nsg, { logCategories: ["NetworkSecurityGroupEvent"] }).logs).toEqual([{ category: "NetworkSecurityGroupEvent", enabled: true }]);
    });
});
