import * as path from "node:path";
import type { UsedExemption } from "../../policy-pack/lib/exemptions";
import type { McpPolicy } from "../../policy-pack/lib/policy";
import { kindOf } from "../../policy-pack/lib/policy";
import { PlannedResource, Violation } from "./types";

export interface PlanSummary {
    readonly resources: number;
    readonly components: number;
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
        lines.push(`  ${v.enforcementLevel === "mandatory" ? "✗" : "!"} [${v.enforcementLevel}] ${v.policy}: ${v.message}`);
    }
    for (const e of exemptions) lines.push(`  ~ [exempted] ${e.policy}: ${e.urn.split("::").pop()} — ${e.reason}`);
    return lines.join("\n");
}

export function toJson(stack: string, resources: readonly PlannedResource[], violations: readonly Violation[], exemptions: readonly UsedExemption[], summary: PlanSummary) {
    return {
        stack,
        resources: resources.map(({ urn, type, name, parent, inputs }) => ({ urn, type, name, parent, inputs })),
        violations,
        exemptions,
        summary,
    };
}

/** SARIF 2.1.0 for GitHub code scanning: one rule per policy, one result per violation. */
export function toSarif(stackFile: string, cwd: string, policies: readonly McpPolicy[], violations: readonly Violation[]) {
    const uri = path.relative(cwd, stackFile).split(path.sep).join("/");
    return {
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: "mcp-platform-policy-pack",
                        informationUri: "https://github.com/",
                        rules: policies.map((p) => ({
                            id: p.name,
                            shortDescription: { text: p.description },
                            help: { text: p.remediationSteps },
                            properties: { controls: p.controls, severity: p.severity, component: p.component },
                        })),
                    },
                },
                results: violations.map((v) => ({
                    ruleId: v.policy,
                    level: v.enforcementLevel === "mandatory" ? "error" : "warning",
                    message: { text: v.message },
                    locations: [
                        {
                            physicalLocation: { artifactLocation: { uri }, region: { startLine: 1 } },
                            ...(v.urn ? { logicalLocations: [{ fullyQualifiedName: v.urn, kind: "resource" }] } : {}),
                        },
                    ],
                    properties: { controls: v.controls },
                })),
            },
        ],
    };
}
