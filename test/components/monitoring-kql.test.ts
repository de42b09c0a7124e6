import { describe, expect, it } from "vitest";
import { buildApiPolicy, ServerPolicyInput } from "../../components/gateway/policy/apiPolicy";
import { buildFragments, fragmentIds } from "../../components/gateway/policy/fragments";
import { findAll, textOf, XmlElement } from "../../components/gateway/policy/xml";
import { AnalyticsRule, analyticsRulesFor, mcpAnalyticsRules } from "../../components/monitoring/rules";
import { kqlTimespan } from "../../components/monitoring/rules/durations";
import { entityIdentifiers } from "../../components/monitoring/rules/entityReference";
import { audienceOrIssuerMismatch, discoveryChallengeDetail, eventsWithoutRule, tokenFailuresFromOneSource } from "../../components/monitoring/rules/gateway";
import { keyVaultAccessDenied, wafBlockSpike } from "../../components/monitoring/rules/platform";
import { SecurityEventName, securityEvents, traceSource } from "../../policy-pack/contract/events";
import { kustoSession } from "./monitoring-kusto";
import { tableSchemas } from "./monitoring-tables";
import { fragmentSettings, serverPolicyInput } from "../helpers/gatewayInputs";

const analyze = kustoSession(tableSchemas);

// --- what the generated gateway XML really emits --------------------------------------------------
const settings = fragmentSettings;
const server: ServerPolicyInput = serverPolicyInput({ appRoleValues: ["Docs.Read"], tools: { search_docs: "Docs.Read" } });
/** Every mode of the fragments, so an event emitted only in `open` or `detect` mode counts too. */
const documents: XmlElement[] = [
    ...buildFragments(settings()).map((f) => f.root),
    ...buildFragments(settings({ promptShieldsFailureMode: "open", manifestMode: "detect" })).map((f) => f.root),
    buildApiPolicy(server),
];
/** `<trace source="mcp-gateway">` elements → their event (the `<metadata name="event">` value). */
const traceEvents = (root: XmlElement) =>
    findAll(root, "trace")
        .filter((t) => t.attributes.source === traceSource)
        .map((t) => findAll(t, "metadata").find((m) => m.attributes.name === "event")?.attributes.value)
        .filter((e): e is string => typeof e === "string");
const emitted = new Set(documents.flatMap(traceEvents));
/** Text of every expression in a fragment (attribute values and element text, unescaped). */
const expressionsOf = (root: XmlElement): string => {
    const out: string[] = [];
    const visit = (e: XmlElement) => {
        out.push(...Object.values(e.attributes).map(String), textOf(e));
        e.children.forEach((c) => "name" in c && visit(c));
    };
    visit(root);
    return out.join("\n");
};
const fragmentText = (id: string) => expressionsOf(buildFragments(settings()).find((f) => f.id === id)!.root);

/** The gateway events a rule's query selects, by the quoted names it filters on. */
const quotedEvents = (query: string) => [...query.matchAll(/"(mcp\.[a-z_.]+)"/g)].map((m) => m[1]);

/** Problems of one rule against the language service, the entity reference and the emitted events. */
function checkRule(rule: AnalyticsRule, events: ReadonlySet<string> = emitted): string[] {
    const analysis = analyze(rule.query);
    const problems = analysis.diagnostics.map((d) => `${d.severity} ${d.code} at ${d.start}: ${d.message}`);
    if ([...rule.tables].sort().join() !== analysis.tables.join()) problems.push(`tables: declares ${rule.tables.join(", ")}, reads ${analysis.tables.join(", ")}`);
    for (const entity of rule.entities) {
        for (const [identifier, column] of Object.entries(entity.fields)) {
            const expected = entityIdentifiers[entity.type]?.[identifier];
            const actual = analysis.output[column];
            if (actual === undefined) problems.push(`entity ${entity.type}.${identifier}: column ${column} is not in the result`);
            else if (expected === "int" ? !["int", "long"].includes(actual) : expected !== actual) {
                problems.push(`entity ${entity.type}.${identifier}: column ${column} is ${actual}, the entity reference expects ${expected ?? "a known identifier"}`);
            }
        }
    }
    for (const [key, column] of Object.entries(rule.customDetails ?? {})) {
        if (!(column in analysis.output)) problems.push(`custom detail ${key}: column ${column} is not in the result`);
    }
    for (const event of quotedEvents(rule.query)) if (!events.has(event)) problems.push(`event ${event}: the gateway XML never emits it`);
    return problems;
}

describe("the analytics rules, read by the Kusto language service against Learn's table schemas", () => {
    describe.each(mcpAnalyticsRules.map((r) => [r.id, r] as const))("%s", (_id, rule) => {
        it("parses and binds with zero errors and zero warnings; entities, custom details and events check out", () => {
            expect(checkRule(rule)).toEqual([]);
        });

        it("states each gateway event once: the events it declares are the ones its query selects", () => {
            expect(quotedEvents(rule.query).sort()).toEqual([...rule.events].sort());
            if (rule.tables.includes("ApiManagementGatewayLogs")) expect(rule.query).toContain(`"${traceSource}"`);
        });

        it("looks back further than it runs and counts each row once (ingestion delay)", () => {
            expect(rule.lookback).not.toBe(rule.frequency);
            const window = `where TimeGenerated > ago(${kqlTimespan(rule.lookback)})`;
            expect(rule.query).toContain(window);
            if (rule.query.includes("evaluatedBin")) {
                // A baseline rule evaluates exactly one complete bin per run.
                expect(rule.query).toMatch(new RegExp(`let evaluatedBin = bin\\(now\\(\\) - \\d+m, ${kqlTimespan(rule.frequency)}\\) - ${kqlTimespan(rule.frequency)};`));
                expect(rule.query).toContain("TimeGenerated == evaluatedBin");
            } else {
                expect(rule.query).toContain(`ingestion_time() > ago(${kqlTimespan(rule.frequency)})`);
            }
        });

        it("maps CloudApplication by Name (AppId is a Defender for Cloud Apps integer)", () => {
            for (const e of rule.entities.filter((e) => e.type === "CloudApplication")) expect(Object.keys(e.fields)).toEqual(["Name"]);
        });

        it("names at least one entity, so incidents group by who or what", () => {
            expect(rule.entities.length).toBeGreaterThan(0);
        });
    });

    it("binds as cleanly for a stack that declares no servers and no egress", () => {
        for (const rule of analyticsRulesFor({ servers: [], egressFirewall: { runtimeCidrs: ["10.0.4.0/23"] } })) expect(checkRule(rule), rule.id).toEqual([]);
    });

    it("gives every table a Learn table-reference source", () => {
        for (const [name, table] of Object.entries(tableSchemas)) {
            expect(table.source, name).toMatch(/^https:\/\/learn\.microsoft\.com\/azure\/azure-monitor\/reference\/tables\//);
            expect(table.columns.TimeGenerated, name).toBe("datetime");
        }
    });

    it("reads every security event the gateway emits, or says why not", () => {
        const read = new Set(mcpAnalyticsRules.flatMap((r) => r.events));
        const unaccounted = [...emitted].filter((e) => !read.has(e as SecurityEventName) && !eventsWithoutRule[e as SecurityEventName]);
        expect(unaccounted).toEqual([]);
        // A reason for an event a rule does read would be stale.
        expect(Object.keys(eventsWithoutRule).filter((e) => read.has(e as SecurityEventName))).toEqual([]);
        expect(emitted.size).toBeGreaterThan(10);
    });
});

describe("the checker itself", () => {
    it("flags an unknown column", () => {
        const typo = { ...keyVaultAccessDenied, query: keyVaultAccessDenied.query.replace("CallerIpAddress", "CallerIPAdress") };
        expect(checkRule(typo)).toContainEqual(expect.stringMatching(/KS142.*CallerIPAdress/));
    });

    it("flags a column of another table", () => {
        const wrong = { ...wafBlockSpike, query: wafBlockSpike.query.replace("by ClientIp, Hostname", "by CallerIpAddress, Hostname") };
        expect(checkRule(wrong).join("\n")).toContain("CallerIpAddress");
    });

    it("flags an unknown function", () => {
        const fn = { ...wafBlockSpike, query: wafBlockSpike.query.replace("make_set(RuleId, 20)", "make_sett(RuleId, 20)") };
        expect(checkRule(fn)).toContainEqual(expect.stringMatching(/KS211.*make_sett/));
    });

    it("flags a type mismatch", () => {
        const typed = { ...keyVaultAccessDenied, query: keyVaultAccessDenied.query.replace("HttpStatusCode == 403", 'HttpStatusCode has "403"') };
        expect(checkRule(typed)).toContainEqual(expect.stringMatching(/KS106.*int and string/));
    });

    it("flags an event nobody emits", () => {
        const withoutManifest = new Set([...emitted].filter((e) => e !== securityEvents.manifestDrift));
        const rule = mcpAnalyticsRules.find((r) => r.id === "mcp-tool-manifest-drift")!;
        expect(checkRule(rule, withoutManifest)).toEqual([`event ${securityEvents.manifestDrift}: the gateway XML never emits it`]);
    });

    it("flags an entity identifier of the wrong type (CloudApplication AppId is an integer)", () => {
        const appId = {
            ...tokenFailuresFromOneSource,
            entities: [{ type: "CloudApplication" as const, fields: { AppId: "ClientIp" } }],
        };
        expect(checkRule(appId)).toContainEqual("entity CloudApplication.AppId: column ClientIp is string, the entity reference expects int");
    });

    it("flags an entity or custom detail column the result does not have", () => {
        const missing = { ...wafBlockSpike, customDetails: { Nope: "RuleSetVersion" } };
        expect(checkRule(missing)).toEqual(["custom detail Nope: column RuleSetVersion is not in the result"]);
    });
});

describe("what each rule sees", () => {
    it("the token-failure rule skips the RFC 9728 discovery 401 that the gateway emits for a request without a token", () => {
        expect(fragmentText(fragmentIds.bearerRequired)).toContain(`(string)(${JSON.stringify(discoveryChallengeDetail)})`);
        expect(tokenFailuresFromOneSource.query).toContain(`| where Detail != ${JSON.stringify(discoveryChallengeDetail)}`);
    });

    it("the audience rule fires on audience and issuer failures and reads the claims on-error records", () => {
        const onError = findAll(buildFragments(settings()).find((f) => f.id === fragmentIds.onError)!.root, "when");
        const audience = onError.find((w) => traceEvents(w).includes(securityEvents.audienceMismatch))!;
        expect(audience.attributes.condition).toContain('Contains("Audience")');
        expect(audience.attributes.condition).toContain('Contains("Issuer")');
        const xml = expressionsOf(audience);
        // The claims the rule reads are the keys the on-error expression writes, marked unverified.
        for (const key of ["aud", "iss", "appid", "oid", "tid", "reason", "unverified"]) {
            expect(xml).toContain(`e["${key}"]`);
            expect(audienceOrIssuerMismatch.query).toContain(`Token.${key}`);
        }
        // Its entities come from those claims, not from the identity variables that are empty on-error.
        const columns = audienceOrIssuerMismatch.entities.flatMap((e) => Object.values(e.fields));
        expect(columns).not.toContain("CallerObjectId");
        expect(columns).not.toContain("ClientAppId");
        expect(audienceOrIssuerMismatch.customDetails?.ClaimsVerified).toBe("ClaimsVerified");
    });

    it("the Key Vault rules read the caller's object id in both claim forms", () => {
        for (const rule of mcpAnalyticsRules.filter((r) => r.tables.includes("AZKVAuditLogs"))) {
            expect(rule.query).toContain("Identity.claim.oid");
            expect(rule.query).toContain('Identity.claim["http://schemas.microsoft.com/identity/claims/objectidentifier"]');
        }
    });

    it("the manifest-drift rule names the server and its declared image", () => {
        const rule = mcpAnalyticsRules.find((r) => r.id === "mcp-tool-manifest-drift")!;
        expect(rule.entities.map((e) => e.type).sort()).toEqual(["CloudApplication", "FileHash"]);
        expect(rule.query).toContain('"docs", "mcr.example/docs@sha256:');
    });

    it("the egress rule reads denials from the runtime subnet and keeps declared destinations out", () => {
        const rule = mcpAnalyticsRules.find((r) => r.id === "mcp-egress-denied")!;
        expect(rule.tables).toEqual(["AZFWApplicationRule", "AZFWNetworkRule"]);
        expect(rule.query).toContain('let runtimeSubnets = dynamic(["10.0.4.0/23"]);');
        expect(rule.query).toContain('datatable(Server: string, Host: string, Port: int) ["docs", "api.example.com", 443]');
        expect(rule.query).toContain('Action == "Deny" and ipv4_is_in_any_range(SourceIp, runtimeSubnets)');
        expect(rule.query).toContain("join kind=leftanti declaredEgress");
    });
});
