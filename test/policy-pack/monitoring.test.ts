import { describe, expect, it } from "vitest";
import {
    azureLoganalyticsWorkspaceConfigureRetention,
    azureLoganalyticsWorkspaceDisableLocalAuth,
    azureLoganalyticsWorkspaceDisablePublicIngestion,
    azureResourceMissingDiagnosticSetting,
    azureSentinelWorkspaceEnableMcpAnalytics,
    requiredEgressDetection,
    requiredMcpDetections,
} from "../../policy-pack/policies/monitoring";
import type { PlannedResource } from "../../tools/offline/types";
import { violationsOf as violationsOfPolicy } from "../helpers/policy";
import { planned } from "../helpers/resources";

const workspaceType = "azure-native:operationalinsights:Workspace";
const workspace = (inputs: Record<string, any> = {}, name = "log") =>
    planned(workspaceType, name, {
        features: { disableLocalAuth: true },
        retentionInDays: 365,
        publicNetworkAccessForIngestion: "Disabled",
        ...inputs,
    });
const platform = (profile: string) => planned("mcp:platform:McpPlatform", "mcp", { profile }, { custom: false });
/**
 * The stack-wide monitoring policies apply to stacks that deploy MCP services (policy-pack/lib/mcpStack.ts):
 * their cases run on an MCP stack, marked by the platform declaration unless the case brings its own.
 */
const scoped = new Set([azureResourceMissingDiagnosticSetting.name, azureSentinelWorkspaceEnableMcpAnalytics.name]);
const mcpMarker = planned("mcp:platform:McpPlatform", "mcp", {}, { custom: false });
const violationsOf = (policy: Parameters<typeof violationsOfPolicy>[0], resources: PlannedResource[]) =>
    violationsOfPolicy(policy, scoped.has(policy.name) && !resources.some((r) => r.type === mcpMarker.type) ? [mcpMarker, ...resources] : resources);
const messages = async (policy: Parameters<typeof violationsOf>[0], resources: PlannedResource[]) =>
    (await violationsOf(policy, resources)).map((v) => v.message);

describe("azure-loganalytics-workspace-disable-local-auth (C5.3)", () => {
    it("accepts a workspace with local auth disabled", async () => {
        expect(await violationsOf(azureLoganalyticsWorkspaceDisableLocalAuth, [workspace()])).toEqual([]);
    });
    it("rejects a workspace that keeps shared keys", async () => {
        expect(await messages(azureLoganalyticsWorkspaceDisableLocalAuth, [workspace({ features: { disableLocalAuth: false } })])).toEqual([
            "Workspace log must disable local (shared key) authentication (features.disableLocalAuth true, got false) (C5.3, C6.3).",
        ]);
    });
    it("rejects a workspace without features (the unset case fails closed)", async () => {
        expect(await violationsOf(azureLoganalyticsWorkspaceDisableLocalAuth, [workspace({ features: undefined })])).toHaveLength(1);
    });
});

describe("azure-loganalytics-workspace-disable-public-ingestion (C5.3, C10.3)", () => {
    it("accepts a workspace closed to public ingestion", async () => {
        expect(await violationsOf(azureLoganalyticsWorkspaceDisablePublicIngestion, [workspace()])).toEqual([]);
    });
    it("rejects a workspace open to public ingestion", async () => {
        expect(await violationsOf(azureLoganalyticsWorkspaceDisablePublicIngestion, [workspace({ publicNetworkAccessForIngestion: "Enabled" })])).toHaveLength(1);
    });
    it("rejects a workspace that leaves ingestion access unset", async () => {
        expect(await messages(azureLoganalyticsWorkspaceDisablePublicIngestion, [workspace({ publicNetworkAccessForIngestion: undefined })])).toEqual([
            "Workspace log must refuse ingestion from public networks (publicNetworkAccessForIngestion Disabled, got nothing, i.e. Enabled) (C5.3, C10.3).",
        ]);
    });
});

describe("azure-loganalytics-workspace-configure-retention (A9)", () => {
    const policy = azureLoganalyticsWorkspaceConfigureRetention;
    it("accepts a year of retention in prod", async () => {
        expect(await violationsOf(policy, [platform("prod"), workspace()])).toEqual([]);
    });
    it("rejects 30 days in prod", async () => {
        expect(await messages(policy, [platform("prod"), workspace({ retentionInDays: 30 })])).toEqual([
            "Workspace log must keep data for at least 90 days in the prod profile (retentionInDays, got 30) (A9, C5.3).",
        ]);
    });
    it("accepts 30 days in dev", async () => {
        expect(await violationsOf(policy, [platform("dev"), workspace({ retentionInDays: 30 })])).toEqual([]);
    });
    it("rejects a workspace without retention set", async () => {
        expect(await violationsOf(policy, [platform("dev"), workspace({ retentionInDays: undefined })])).toHaveLength(1);
    });
    it("holds a stack without a platform component to the prod minimum", async () => {
        expect(await messages(policy, [workspace({ retentionInDays: 60 })])).toEqual([
            "Workspace log must keep data for at least 90 days in the unknown (treated as prod) profile (retentionInDays, got 60) (A9, C5.3).",
        ]);
    });
});

describe("azure-resource-missing-diagnostic-setting (C5.1)", () => {
    const policy = azureResourceMissingDiagnosticSetting;
    const vault = planned("azure-native:keyvault:Vault", "kv", {});
    const setting = (target: PlannedResource, to: PlannedResource, inputs: Record<string, any> = {}) =>
        planned("azure-native:monitor:DiagnosticSetting", `${target.name}-diag`, { logAnalyticsDestinationType: "Dedicated", ...inputs }, {
            propertyDependencies: { resourceUri: [target.urn], workspaceId: [to.urn] },
        });
    const log = workspace();

    it("accepts a vault whose diagnostic setting sends to the stack's workspace", async () => {
        expect(await violationsOf(policy, [log, setting(log, log), vault, setting(vault, log)])).toEqual([]);
    });
    it("rejects a vault without a diagnostic setting", async () => {
        expect(await messages(policy, [log, setting(log, log), vault])).toEqual([
            "Vault kv must send its logs and metrics to the platform workspace through a diagnostic setting (C5.1, C10.4, C12.4).",
        ]);
    });
    it("rejects a setting that sends to a workspace outside the stack", async () => {
        const foreign = planned("azure-native:network:NetworkSecurityGroup", "not-a-workspace", {});
        expect(await violationsOf(policy, [log, setting(log, log), vault, setting(vault, foreign)])).toHaveLength(1);
    });
    it("rejects a setting into the legacy AzureDiagnostics table", async () => {
        const legacy = setting(vault, log, { logAnalyticsDestinationType: undefined });
        expect((await messages(policy, [log, setting(log, log), vault, legacy]))[0]).toContain("resource-specific tables");
    });
    it("requires the workspace itself to be covered", async () => {
        expect(await violationsOf(policy, [log])).toHaveLength(1);
    });
    it("ignores types that have no diagnostic settings", async () => {
        expect(await violationsOf(policy, [planned("azure-native:network:Subnet", "snet", {})])).toEqual([]);
    });
});

describe("azure-sentinel-workspace-enable-mcp-analytics (C5.2, C5.4, A4, A8, C4.2)", () => {
    const policy = azureSentinelWorkspaceEnableMcpAnalytics;
    const log = workspace();
    const onboarding = planned("azure-native:securityinsights:SentinelOnboardingState", "sentinel", { sentinelOnboardingStateName: "default" }, {
        propertyDependencies: { workspaceName: [log.urn] },
    });
    const rule = (id: string, inputs: Record<string, any> = {}, dependsOnOnboarding = true) =>
        planned("azure-native:securityinsights:ScheduledAlertRule", `rule-${id}`, {
            displayName: `${id}: a detection`,
            enabled: true,
            incidentConfiguration: { createIncident: true },
            suppressionEnabled: false,
            queryFrequency: "PT5M",
            queryPeriod: "PT15M",
            ...inputs,
        }, {
            propertyDependencies: { workspaceName: [log.urn] },
            dependencies: dependsOnOnboarding ? [onboarding.urn, log.urn] : [log.urn],
        });
    const automation = (triggeringLogic: Record<string, any> = highSeverityTrigger) =>
        planned("azure-native:securityinsights:AutomationRule", "automation", { displayName: "triage", order: 1, triggeringLogic }, {
            propertyDependencies: { workspaceName: [log.urn] },
            dependencies: [onboarding.urn, log.urn],
        });
    const highSeverityTrigger = {
        isEnabled: true,
        triggersOn: "Incidents",
        triggersWhen: "Created",
        conditions: [{ conditionType: "Property", conditionProperties: { propertyName: "IncidentSeverity", operator: "Equals", propertyValues: ["High"] } }],
    };
    const allRules = () => [...requiredMcpDetections.map((id) => rule(id)), automation()];

    it("accepts an onboarded workspace with every MCP rule enabled", async () => {
        expect(await violationsOf(policy, [log, onboarding, ...allRules()])).toEqual([]);
    });
    it("rejects a stack without a workspace", async () => {
        expect(await messages(policy, [])).toEqual([
            "The stack must create a Log Analytics workspace with Microsoft Sentinel and the MCP analytics rules (C5.2, C5.4, A4, A8, C4.2).",
        ]);
    });
    it("rejects a workspace without Sentinel onboarding", async () => {
        expect(await messages(policy, [log, ...allRules()])).toEqual([
            "Workspace log must have Microsoft Sentinel onboarded (a SentinelOnboardingState on the workspace) (C5.2, C5.4, A4, A8, C4.2).",
        ]);
    });
    it("rejects a workspace missing one MCP rule and names it", async () => {
        const rules = allRules().filter((r) => !r.inputs.displayName.startsWith("mcp-session-binding-violation:"));
        expect(await messages(policy, [log, onboarding, ...rules])).toEqual([
            'Workspace log must run the MCP analytics rule mcp-session-binding-violation (a scheduled rule whose display name starts with "mcp-session-binding-violation:") (C5.2, C5.4, A4, A8, C4.2).',
        ]);
    });
    it("rejects a workspace without the per-user call-volume anomaly rule (C4.2)", async () => {
        const rules = allRules().filter((r) => !r.inputs.displayName.startsWith("mcp-call-volume-anomaly:"));
        expect(await messages(policy, [log, onboarding, ...rules])).toEqual([expect.stringContaining("must run the MCP analytics rule mcp-call-volume-anomaly")]);
    });
    it("rejects a disabled MCP rule", async () => {
        const rules = allRules().map((r) => (r.name === "rule-mcp-prompt-attack" ? rule("mcp-prompt-attack", { enabled: false }) : r));
        expect(await messages(policy, [log, onboarding, ...rules])).toEqual([
            "ScheduledAlertRule rule-mcp-prompt-attack must be enabled and create incidents (enabled true, incidentConfiguration.createIncident true) for mcp-prompt-attack (C5.2, C5.4, A4, A8, C4.2).",
        ]);
    });
    it("rejects an MCP rule that creates no incidents (unset)", async () => {
        const rules = allRules().map((r) => (r.name === "rule-mcp-waf-block-spike" ? rule("mcp-waf-block-spike", { incidentConfiguration: undefined }) : r));
        expect(await violationsOf(policy, [log, onboarding, ...rules])).toHaveLength(1);
    });
    it("rejects a workspace without an automation rule for high-severity incidents (A8)", async () => {
        const rules = allRules().filter((r) => r.name !== "automation");
        expect(await messages(policy, [log, onboarding, ...rules])).toEqual([
            "Workspace log must run an enabled Sentinel automation rule for high-severity incidents (triggersOn Incidents, severity High) (C5.2, C5.4, A4, A8, C4.2).",
        ]);
    });
    it("rejects a disabled automation rule, or one for medium incidents only", async () => {
        const base = allRules().filter((r) => r.name !== "automation");
        expect(await violationsOf(policy, [log, onboarding, ...base, automation({ ...highSeverityTrigger, isEnabled: false })])).toHaveLength(1);
        const medium = { ...highSeverityTrigger, conditions: [{ conditionProperties: { propertyName: "IncidentSeverity", propertyValues: ["Medium"] } }] };
        expect(await violationsOf(policy, [log, onboarding, ...base, automation(medium)])).toHaveLength(1);
    });
    it("accepts an automation rule that handles every incident (no severity condition)", async () => {
        const base = allRules().filter((r) => r.name !== "automation");
        expect(await violationsOf(policy, [log, onboarding, ...base, automation({ ...highSeverityTrigger, conditions: [] })])).toEqual([]);
    });
    describe("an automation rule scoped to analytics rules (IncidentRelatedAnalyticRuleIds) still covers every MCP rule (A8)", () => {
        const base = () => allRules().filter((r) => r.name !== "automation");
        const scopedTo = (values: string[]) => ({
            ...highSeverityTrigger,
            conditions: [
                ...highSeverityTrigger.conditions,
                { conditionType: "Property", conditionProperties: { propertyName: "IncidentRelatedAnalyticRuleIds", operator: "Contains", propertyValues: values } },
            ],
        });
        const scoped = (values: string[], dependsOn: PlannedResource[]) => {
            const a = automation(scopedTo(values));
            return { ...a, propertyDependencies: { ...a.propertyDependencies, triggeringLogic: dependsOn.map((r) => r.urn) } };
        };

        it("accepts the scope to the platform's rules, by their computed ids (what components/monitoring deploys)", async () => {
            const rules = base();
            expect(await violationsOf(policy, [log, onboarding, ...rules, scoped(["<computed>"], rules)])).toEqual([]);
        });
        it("accepts the scope by literal rule ids", async () => {
            const rules = requiredMcpDetections.map((id) => rule(id, { ruleId: `uuid-${id}` }));
            const ids = requiredMcpDetections.map((id) => `/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log/providers/Microsoft.SecurityInsights/alertRules/uuid-${id}`);
            expect(await violationsOf(policy, [log, onboarding, ...rules, scoped(ids, [])])).toEqual([]);
        });
        it("rejects a scope that leaves out one MCP rule, and names it", async () => {
            const rules = base();
            const withoutPrompt = rules.filter((r) => r.name !== "rule-mcp-prompt-attack");
            expect(await messages(policy, [log, onboarding, ...rules, scoped(["<computed>"], withoutPrompt)])).toEqual([
                expect.stringContaining("AutomationRule automation must cover the incidents of every MCP analytics rule (its IncidentRelatedAnalyticRuleIds condition leaves out mcp-prompt-attack)"),
            ]);
        });
        it("rejects a scope to unrelated rules only", async () => {
            expect(await violationsOf(policy, [log, onboarding, ...base(), scoped(["/subscriptions/s/providers/Microsoft.SecurityInsights/alertRules/other"], [])])).toHaveLength(1);
        });
    });
    it("rejects a Sentinel rule that does not depend on the onboarding state", async () => {
        const rules = allRules().map((r) => (r.name === "rule-mcp-rate-limit-abuse" ? rule("mcp-rate-limit-abuse", {}, false) : r));
        expect((await messages(policy, [log, onboarding, ...rules]))[0]).toContain("must depend on the workspace's Sentinel onboarding state");
    });

    describe("schedules without blind spots (issue 14)", () => {
        const replace = (id: string, inputs: Record<string, any>) =>
            allRules().map((r) => (r.name === `rule-${id}` ? rule(id, inputs) : r));
        it("rejects an MCP rule with suppression on", async () => {
            expect(await messages(policy, [log, onboarding, ...replace("mcp-token-audience-mismatch", { suppressionEnabled: true })])).toEqual([
                "ScheduledAlertRule rule-mcp-token-audience-mismatch must turn suppression off (suppressionEnabled false, got true): a suppressed rule does not run, so another attack in the window goes unevaluated; group incidents by entity instead for mcp-token-audience-mismatch (C5.2, C5.4, A4, A8, C4.2).",
            ]);
        });
        it("rejects an MCP rule that leaves suppression unset (the unset case fails closed)", async () => {
            expect(await violationsOf(policy, [log, onboarding, ...replace("mcp-prompt-attack", { suppressionEnabled: undefined })])).toHaveLength(1);
        });
        it("rejects a look-back equal to the run interval", async () => {
            expect((await messages(policy, [log, onboarding, ...replace("mcp-waf-block-spike", { queryFrequency: "PT15M", queryPeriod: "PT15M" })]))[0]).toContain(
                "must look back further than it runs (queryPeriod PT15M must exceed queryFrequency PT15M)",
            );
        });
        it("rejects a look-back shorter than the run interval", async () => {
            expect(await violationsOf(policy, [log, onboarding, ...replace("mcp-waf-block-spike", { queryFrequency: "PT1H", queryPeriod: "PT10M" })])).toHaveLength(1);
        });
        it("rejects a schedule it cannot read, saying so", async () => {
            expect((await messages(policy, [log, onboarding, ...replace("mcp-waf-block-spike", { queryPeriod: "15m" })]))[0]).toContain("cannot evaluate the ingestion-delay margin");
        });
        it("accepts a baseline rule that reads days and runs hourly", async () => {
            expect(await violationsOf(policy, [log, onboarding, ...replace("mcp-call-volume-anomaly", { queryFrequency: "PT1H", queryPeriod: "P14D" })])).toEqual([]);
        });
    });

    describe("the denied-egress detection when the stack has the egress firewall (C10.3, A2)", () => {
        const firewall = planned("azure-native:network:AzureFirewall", "fw", {});
        it("accepts a firewall stack that runs the egress rule", async () => {
            expect(await violationsOf(policy, [log, onboarding, firewall, ...allRules(), rule(requiredEgressDetection)])).toEqual([]);
        });
        it("rejects a firewall stack without it", async () => {
            expect(await messages(policy, [log, onboarding, firewall, ...allRules()])).toEqual([
                `Workspace log must run the MCP analytics rule ${requiredEgressDetection} (a scheduled rule whose display name starts with "${requiredEgressDetection}:") (C5.2, C5.4, A4, A8, C4.2).`,
            ]);
        });
        it("rejects a disabled or suppressed egress rule", async () => {
            expect(await violationsOf(policy, [log, onboarding, firewall, ...allRules(), rule(requiredEgressDetection, { enabled: false })])).toHaveLength(1);
            expect(await violationsOf(policy, [log, onboarding, firewall, ...allRules(), rule(requiredEgressDetection, { suppressionEnabled: true })])).toHaveLength(1);
        });
        it("does not require it without a firewall", async () => {
            expect(await violationsOf(policy, [log, onboarding, ...allRules()])).toEqual([]);
        });
    });
});

describe("the stack-wide monitoring policies apply to stacks that deploy MCP services only", () => {
    const storage = planned("azure-native:storage:StorageAccount", "st", {});
    it.each([azureResourceMissingDiagnosticSetting, azureSentinelWorkspaceEnableMcpAnalytics])("%s: no finding on a program without MCP services", async (policy) => {
        expect(await violationsOfPolicy(policy, [storage])).toEqual([]);
    });
    it.each([
        ["an API Management service", planned("azure-native:apimanagement:ApiManagementService", "apim", {})],
        ["a Container App", planned("azure-native:app:ContainerApp", "app", {})],
        ["the platform declaration", mcpMarker],
    ])("still demands Sentinel and diagnostics of a stack with %s and no platform component", async (_what, service) => {
        expect(await violationsOfPolicy(azureSentinelWorkspaceEnableMcpAnalytics, [service, storage])).toHaveLength(1);
        expect((await violationsOfPolicy(azureResourceMissingDiagnosticSetting, [service, storage])).map((v) => v.message)).toContainEqual(expect.stringContaining("StorageAccount st must send its logs"));
    });
});
