import * as path from "node:path";
import type { UsedExemption } from "../../policy-pack/lib/exemptions";
import type { McpPolicy } from "../../policy-pack/lib/policy";
import { kindOf } from "../../policy-pack/lib/policy";
import { owaspRisksOf } from "../controls/owasp";
import type { OptionalControlOff } from "./declaration";
import { Redactor } from "./redact";
import { configKeyLine } from "./stack-files";
import { PlannedResource, Violation } from "./types";

export interface PlanSummary {
    /** Custom (cloud) resources the program registered, every one of which completed. */
    readonly resources: number;
    /** Component resources (groupings, no cloud object); registrations = resources + components. */
    readonly components: number;
    readonly registrations: number;
    readonly policies: number;
    readonly mandatory: number;
    readonly advisory: number;
    readonly exemptions: number;
    readonly verdict: "compliant" | "non-compliant";
    readonly seconds: number;
}

export function summarize(
    resources: readonly PlannedResource[],
    violations: readonly Violation[],
    exemptions: readonly UsedExemption[],
    policies: number,
    seconds: number,
): PlanSummary {
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    return {
        resources: resources.filter((r) => r.custom).length,
        components: resources.filter((r) => !r.custom).length,
        registrations: resources.length,
        policies,
        mandatory,
        advisory: violations.filter((v) => v.enforcementLevel === "advisory").length,
        exemptions: exemptions.length,
        verdict: mandatory === 0 ? "compliant" : "non-compliant",
        seconds,
    };
}

/** The resource tree grouped by component, as a person reads it. */
export function renderTree(resources: readonly PlannedResource[], violations: readonly Violation[]): string {
    const children = new Map<string | undefined, PlannedResource[]>();
    const known = new Set(resources.map((r) => r.urn));
    for (const r of resources) {
        const parent = r.parent && known.has(r.parent) ? r.parent : undefined;
        children.set(parent, [...(children.get(parent) ?? []), r]);
    }
    const flagged = new Set(violations.filter((v) => v.urn).map((v) => v.urn));
    const lines: string[] = [];
    const walk = (parent: string | undefined, indent: string) => {
        const list = [...(children.get(parent) ?? [])].sort((a, b) => Number(a.custom) - Number(b.custom) || a.name.localeCompare(b.name));
        for (const r of list) {
            const mark = flagged.has(r.urn) ? " ✗" : "";
            const label = r.custom ? `${r.name}  (${shortType(r.type)})` : `${r.name}  [${kindOf(r.type)}]`;
            lines.push(`${indent}${r.custom ? "·" : "▸"} ${label}${mark}`);
            walk(r.urn, indent + "  ");
        }
    };
    walk(undefined, "  ");
    return lines.join("\n");
}

function shortType(type: string): string {
    return type.replace(/^azure-native:/, "").replace(/^azuread:index\/\w+:/, "azuread:");
}

export function renderViolations(violations: readonly Violation[], exemptions: readonly UsedExemption[]): string {
    const lines: string[] = [];
    for (const v of violations) {
        const setAt = v.setAt ? ` [set at ${v.setAt.file}:${v.setAt.line}: ${v.setAt.key}]` : "";
        lines.push(`  ${v.enforcementLevel === "mandatory" ? "✗" : "!"} [${v.enforcementLevel}] ${v.policy}: ${v.message}${setAt}`);
    }
    for (const e of exemptions) lines.push(`  ~ [exempted] ${e.policy}: ${e.urn.split("::").pop()} — ${e.reason}`);
    return lines.join("\n");
}

export function renderOptionalControlsOff(off: readonly OptionalControlOff[]): string {
    return off.map((o) => `  ○ ${o.feature} (${o.controls.join(", ") || "no control ids"}): ${o.reason}`).join("\n");
}

/** The verdict line: counts labelled, so "resources" never silently means "registrations". */
export function renderVerdict(summary: PlanSummary): string {
    return (
        `${summary.verdict === "compliant" ? "✓ compliant" : "✗ non-compliant"}: ${summary.resources} resources in ${summary.components} components, ` +
        `${summary.policies} policies, ${summary.mandatory} mandatory and ${summary.advisory} advisory violations, ` +
        `${summary.exemptions} ${summary.exemptions === 1 ? "exemption" : "exemptions"} ` +
        `(${summary.registrations} registrations = resources + components, all completed; ${summary.seconds.toFixed(2)} s)`
    );
}

export interface ReportContext {
    readonly stack: string;
    readonly resources: readonly PlannedResource[];
    readonly violations: readonly Violation[];
    readonly exemptions: readonly UsedExemption[];
    readonly optionalControlsOff: readonly OptionalControlOff[];
    readonly unknownInvokes: readonly string[];
    readonly summary: PlanSummary;
    /** Masks every secret input (see redact.ts); built from `resources` when omitted. */
    readonly redactor?: Redactor;
}

export function toJson(report: ReportContext) {
    const redactor = report.redactor ?? new Redactor(report.resources);
    return redactor.deep({
        stack: report.stack,
        resources: report.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, parent: r.parent, custom: r.custom, inputs: redactor.inputs(r) })),
        violations: report.violations,
        exemptions: report.exemptions,
        optionalControlsOff: report.optionalControlsOff,
        unknownInvokes: report.unknownInvokes,
        summary: report.summary,
    });
}

export interface SarifOptions extends ReportContext {
    readonly policies: readonly McpPolicy[];
    /** Pulumi.<stack>.yaml: the location of findings about the stack as a whole. */
    readonly stackFile: string;
    /** Locations are written relative to this directory (the repository root code scanning resolves against). */
    readonly sarifRoot: string;
    /** The project's documentation; omitted (never a placeholder) when unknown. */
    readonly informationUri?: string;
    /** The Pulumi project name, the namespace of the stack file's config keys (default "mcp-platform"). */
    readonly project?: string;
}

/** SARIF 2.1.0 for GitHub code scanning: one rule per policy, one result per violation. */
export function toSarif(options: SarifOptions) {
    const redactor = options.redactor ?? new Redactor(options.resources);
    const uriOf = (file: string) => path.relative(options.sarifRoot, file).split(path.sep).join("/");
    const byUrn = new Map(options.resources.map((r) => [r.urn, r]));
    const project = options.project ?? "mcp-platform";
    const keyLine = (key: string) => configKeyLine(options.stackFile, key, project);
    const stackFileAt = (line: number | undefined) => ({
        physicalLocation: { artifactLocation: { uri: uriOf(options.stackFile) }, region: { startLine: line ?? 1 } },
    });
    type At = { uri: string; line: number };
    const locationOf = (v: Violation): At & { related?: At } => {
        const source = v.urn ? byUrn.get(v.urn)?.source : undefined;
        const resourceAt = source ? { uri: uriOf(source.file), line: source.line } : undefined;
        // A value the stack file set: at that key (the line a person changes), the resource's line as related.
        if (v.setAt) return { uri: uriOf(options.stackFile), line: v.setAt.line, related: resourceAt };
        // A finding about the stack as a whole is borne by config: at the key its message names, if set here.
        return resourceAt ?? { uri: uriOf(options.stackFile), line: firstKeyLine(v.message, project, keyLine) ?? 1 };
    };
    // Optional controls follow features: the stack's own override if it sets one, else the profile's table.
    const featuresLine = keyLine(`${project}:features`) ?? keyLine(`${project}:profile`);
    return redactor.deep({
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: "mcp-platform-policy-pack",
                        ...(options.informationUri ? { informationUri: options.informationUri } : {}),
                        rules: options.policies.map((p) => ({
                            id: p.name,
                            shortDescription: { text: p.description },
                            help: { text: p.remediationSteps },
                            properties: { controls: p.controls, severity: p.severity, component: p.component, tags: ruleTags(p.controls) },
                        })),
                    },
                },
                invocations: [
                    {
                        executionSuccessful: true,
                        toolExecutionNotifications: options.optionalControlsOff.map((o) => ({
                            level: "note",
                            descriptor: { id: `optional-control-off/${o.feature}` },
                            message: { text: `Optional control ${o.feature} (${o.controls.join(", ")}) is off: ${o.reason}` },
                            locations: [stackFileAt(featuresLine)],
                        })),
                    },
                ],
                results: options.violations.map((v) => {
                    const at = locationOf(v);
                    return {
                        ruleId: v.policy,
                        level: v.enforcementLevel === "mandatory" ? "error" : "warning",
                        message: { text: v.message },
                        locations: [
                            {
                                physicalLocation: { artifactLocation: { uri: at.uri }, region: { startLine: at.line } },
                                ...(v.urn ? { logicalLocations: [{ fullyQualifiedName: v.urn, kind: "resource" }] } : {}),
                            },
                        ],
                        ...(at.related
                            ? { relatedLocations: [{ id: 1, physicalLocation: { artifactLocation: { uri: at.related.uri }, region: { startLine: at.related.line } }, message: { text: "the resource the value reached" } }] }
                            : {}),
                        properties: { controls: v.controls, ...(v.setAt ? { configKey: v.setAt.key } : {}) },
                    };
                }),
                properties: {
                    stack: options.stack,
                    summary: options.summary,
                    optionalControlsOff: options.optionalControlsOff,
                    unknownInvokes: options.unknownInvokes,
                },
            },
        ],
    });
}

/**
 * The line of the first config key `text` names that the stack file sets: `<project>:<key>` (the
 * namespaced form a message uses) or `features.<name>` (a feature flag, set under `<project>:features`).
 */
export function firstKeyLine(text: string, project: string, keyLine: (key: string) => number | undefined): number | undefined {
    const escaped = project.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const named = [...text.matchAll(new RegExp(`(?<![\\w-])(${escaped}:[A-Za-z]\\w*)|(?<![\\w.-])features\\.\\w+`, "g"))];
    for (const match of named) {
        const line = keyLine(match[1] ?? `${project}:features`);
        if (line) return line;
    }
    return undefined;
}

/**
 * Code scanning filters alerts by rule tags: the policy's control ids and the OWASP MCP Top 10 risks
 * those controls mitigate (tools/controls/owasp.ts), so an auditor can ask "what covers MCP07?".
 */
export function ruleTags(controls: readonly string[]): string[] {
    return [...controls, ...owaspRisksOf(controls)];
}
