import { describe, expect, it } from "vitest";
import { analyzeKql, tokenize } from "../../components/monitoring/kql";
import { allowedTables } from "../../components/monitoring/tables";
import { mcpAnalyticsRules } from "../../components/monitoring/rules";
import { keyVaultAccessDenied, wafBlockSpike } from "../../components/monitoring/rules/platform";
import { callVolumeAnomaly, tokenFailuresFromOneSource } from "../../components/monitoring/rules/gateway";
import { securityEvents, traceSource } from "../../policy-pack/contract/events";

const eventNames = new Set<string>(Object.values(securityEvents));

describe("the analytics rules' KQL", () => {
    describe.each(mcpAnalyticsRules.map((r) => [r.id, r] as const))("%s", (_id, rule) => {
        const analysis = analyzeKql(rule.query, allowedTables);

        it("uses only listed tables, columns, dynamic fields and functions", () => {
            expect(analysis.problems).toEqual([]);
        });

        it("declares exactly the tables it reads", () => {
            expect([...rule.tables].sort()).toEqual([...analysis.tables].sort());
        });

        it("maps entities and custom details to columns of its result", () => {
            const used = [...rule.entities.flatMap((e) => Object.values(e.fields)), ...Object.values(rule.customDetails ?? {})];
            for (const column of used) expect(analysis.output).toContain(column);
        });

        it("selects the gateway events it declares, by their shared names", () => {
            for (const event of rule.events) {
                expect(eventNames.has(event)).toBe(true);
                expect(rule.query).toContain(`"${event}"`);
            }
            const quoted = [...rule.query.matchAll(/"(mcp\.[a-z_.]+)"/g)].map((m) => m[1]);
            expect(quoted.sort()).toEqual([...rule.events].sort());
            if (rule.tables.includes("ApiManagementGatewayLogs")) expect(rule.query).toContain(`"${traceSource}"`);
        });
    });

    it("gives every allowed table a Microsoft documentation source", () => {
        for (const [name, table] of Object.entries(allowedTables)) {
            expect(table.source, name).toMatch(/^https:\/\/learn\.microsoft\.com\/azure\/azure-monitor\/reference\/tables\//);
            expect(table.columns, name).toContain("TimeGenerated");
        }
    });
});

describe("the KQL checker", () => {
    it("rejects a typo in a column name", () => {
        const typo = keyVaultAccessDenied.query.replace("CallerIpAddress", "CallerIPAdress");
        expect(analyzeKql(typo, allowedTables).problems).toContainEqual(expect.stringContaining("column CallerIPAdress"));
    });

    it("rejects a column of another table", () => {
        const wrong = wafBlockSpike.query.replace("ClientIp, Hostname", "CallerIpAddress, Hostname");
        expect(analyzeKql(wrong, allowedTables).problems).toContainEqual(expect.stringContaining("column CallerIpAddress"));
    });

    it("rejects a typo in a table name", () => {
        const typo = wafBlockSpike.query.replace("AGWFirewallLogs", "AGWFirewallLog");
        expect(analyzeKql(typo, allowedTables).problems).toContainEqual("table AGWFirewallLog is not in the allowed list");
    });

    it("rejects a typo in a security event field", () => {
        const typo = tokenFailuresFromOneSource.query.replace("Event.oid", "Event.oidd");
        expect(analyzeKql(typo, allowedTables).problems).toContainEqual(expect.stringContaining("member .oidd"));
    });

    it("rejects a column that summarize has already dropped", () => {
        const dropped = `${wafBlockSpike.query}\n| where RuleSetVersion == "3.2"`;
        expect(analyzeKql(dropped, allowedTables).problems).toContainEqual(expect.stringContaining("column RuleSetVersion is not available"));
    });

    it("rejects an unknown function and an unknown operator", () => {
        const problems = analyzeKql('AGWFirewallLogs\n| where tostrin(Action) == "Blocked"\n| evaluate autocluster()', allowedTables).problems;
        expect(problems).toContain("unknown function tostrin()");
        expect(problems).toContain("unsupported operator evaluate");
    });

    it("accepts names the query itself defines", () => {
        const query = 'AGWFirewallLogs\n| extend Ip = ClientIp\n| summarize Hits = count() by Ip, bin(TimeGenerated, 5m)\n| where Hits > 3 and TimeGenerated > ago(1h)';
        const analysis = analyzeKql(query, allowedTables);
        expect(analysis.problems).toEqual([]);
        expect(analysis.output.sort()).toEqual(["Hits", "Ip", "TimeGenerated"]);
    });

    it("follows make-series: the aggregates, the axis and the by-columns remain, nothing else", () => {
        const query =
            "AGWFirewallLogs\n| make-series Hits = count() default = 0 on TimeGenerated from ago(14d) to now() step 1h by ClientIp\n" +
            '| extend (Flag, Score, Baseline) = series_decompose_anomalies(Hits, 3.0, -1, "linefit")';
        const analysis = analyzeKql(query, allowedTables);
        expect(analysis.problems).toEqual([]);
        expect(analysis.output.sort()).toEqual(["Baseline", "ClientIp", "Flag", "Hits", "Score", "TimeGenerated"]);
        expect(analyzeKql(`${query}\n| where Hostname == "x"`, allowedTables).problems).toContainEqual(expect.stringContaining("column Hostname is not available"));
        expect(analyzeKql(query.replace("on TimeGenerated", "on TimeGenrated"), allowedTables).problems).toContainEqual(expect.stringContaining("column TimeGenrated"));
    });

    it("reads the call-volume anomaly rule from the per-call audit events only (C4.2)", () => {
        expect(callVolumeAnomaly.events).toEqual([securityEvents.auditCall]);
        expect(callVolumeAnomaly.query).toContain("make-series");
        expect(callVolumeAnomaly.query).toContain("series_decompose_anomalies(");
        expect(callVolumeAnomaly.query).toMatch(/by CallerObjectId\b/);
    });

    it("does not read identifiers inside strings or comments", () => {
        const tokens = tokenize('T // Nope\n| where A == "Not a column" and B has @"C:\\x"');
        expect(tokens.filter((t) => t.kind === "ident").map((t) => t.text)).toEqual(["T", "where", "A", "and", "B", "has"]);
    });
});
