import { McpStackPolicy, stackPolicy } from "../../lib/policy";
import { exemptionsConfigSchema } from "../../lib/exemptions";
import type { PolicyResource } from "@pulumi/policy";
import { allExpressions, findAll, isExpression, PolicyElement, section } from "../../lib/apimXml";
import { answeredStatuses, direct, forEachMcpApi, guards, headerActions, mentions, readsVariable, topLevelBranches, variables } from "../../lib/mcpApis";
import { effectiveProfile, profileConfigSchema, undeclaredProfile } from "../../lib/profile";
import { declaredNumber, stricter } from "../../lib/declared";
import { resourceTypes } from "../../contract/resourceTypes";

/**
 * API Management, per MCP API: what may pass. Request validation, Prompt Shields screening,
 * tools/list manifest integrity, response security headers and the per-call audit trace, each read
 * from the API policy XML with fragments resolved. Who may call is mcpApiAccess.ts.
 */

/** Largest request body (bytes) the size check may admit unless the pack config says otherwise (C9.4). */
export const defaultMaxRequestBytes = 4_194_304;

export const azureApimanagementApiEnforceRequestValidation: McpStackPolicy = {
    ...stackPolicy({
        name: "azure-apimanagement-api-enforce-request-validation",
        description:
            "Every MCP API checks, in inbound, the JSON media type (415), the request body size against a literal limit no larger than maxRequestBytes " +
            `(${defaultMaxRequestBytes} by default; 413) measured on the body itself (not only Content-Length), with no size check above it, the JSON-RPC 2.0 ` +
            "envelope (400), and a present Origin header against an allow-list without wildcard (403). Compared against: the declaration's maxRequestBytes, " +
            "bounded by the config cap maxRequestBytes.",
        controls: ["C1.1", "C1.2", "C9.4"],
        component: "gateway",
        remediationSteps:
            "Include the gateway's mcp-origin and mcp-envelope fragments (components/gateway) in the API policy's inbound section; " +
            "config gateway.maxRequestBytes sets the size limit, gateway.allowedOrigins the Origin allow-list (no wildcard).",
        validate: (resources, args, must) => {
            const cap = stricter(declaredNumber(resources, "maxRequestBytes"), args.getConfig<{ maxRequestBytes: number }>().maxRequestBytes);
            forEachMcpApi(resources, must, (root) => {
                const inbound = section(root, "inbound") ?? root;
                const isMediaType = (c: string) => mentions(c, "Content-Type") && mentions(c, "application/json");
                if (guards(inbound, isMediaType, (code) => code === 415).length === 0) {
                    return "reject a request whose Content-Type is not application/json with 415 in inbound";
                }
                const sizeGuards = guards(inbound, () => true, (code) => code === 413);
                const limitOf = (w: PolicyElement) => [...(w.attributes.condition ?? "").matchAll(/>=?\s*(\d+)/g)].map((m) => Number(m[1]));
                const limits = sizeGuards.flatMap(limitOf);
                if (!limits.some((n) => n > 0 && n <= cap)) return `limit the request body to at most ${cap} bytes with a literal size check answered with 413 in inbound`;
                if (limits.some((n) => n > cap)) return `admit no request body above ${cap} bytes (a size check allows ${Math.max(...limits)})`;
                // Content-Length can be absent (chunked) or lie: the body itself must be measured.
                const bodyVariables = [...variables(inbound).entries()].filter(([, v]) => mentions(v, "Request.Body")).map(([name]) => name);
                const onBody = sizeGuards.filter((w) => {
                    const c = w.attributes.condition ?? "";
                    return mentions(c, "Request.Body") || bodyVariables.some((name) => readsVariable(c, name));
                });
                if (!onBody.some((w) => limitOf(w).some((n) => n > 0 && n <= cap))) {
                    return `measure the request body itself (not only the Content-Length header) against at most ${cap} bytes, answered with 413`;
                }
                // The variable holding the envelope check's result must gate a 400 answer.
                const envelopeVariables = findAll(inbound, "set-variable")
                    .filter((v) => mentions(v.attributes.value ?? "", '"jsonrpc"') && mentions(v.attributes.value ?? "", '"2.0"'))
                    .map((v) => `"${v.attributes.name ?? ""}"`);
                if (guards(inbound, (c) => envelopeVariables.some((name) => c.includes(name)), (code) => code === 400).length === 0) {
                    return 'validate the JSON-RPC 2.0 envelope ("jsonrpc": "2.0", method, id) and answer an invalid one with 400 in inbound';
                }
                const isOrigin = (c: string) => mentions(c, '"Origin"') && !c.includes('"*"');
                if (guards(inbound, isOrigin, (code) => code === 403).length === 0) {
                    return "reject a present Origin header outside a literal allow-list (no wildcard) with 403 in inbound";
                }
                return undefined;
            });
        },
    }),
    configSchema: {
        properties: {
            ...exemptionsConfigSchema.properties,
            maxRequestBytes: { type: "integer", minimum: 1, default: defaultMaxRequestBytes, description: "Largest request body, in bytes, an MCP API may admit." },
        },
    },
};

/** The audience of Azure AI services tokens (Entra resource of every Cognitive Services account). */
const cognitiveServicesAudience = "https://cognitiveservices.azure.com";

/** Hosts of the stack's own Azure AI services accounts (custom subdomain endpoints): where Prompt Shields may be called. */
function contentSafetyHosts(resources: readonly PolicyResource[]): string[] {
    return resources
        .filter((r) => r.type === resourceTypes.cognitiveservices.Account)
        .map((r) => r.props.properties?.customSubDomainName)
        .filter((n): n is string => typeof n === "string" && n.trim() !== "")
        .map((n) => `${n.toLowerCase()}.cognitiveservices.azure.com`);
}

interface PromptShieldsConfig {
    readonly allowFailOpen: boolean;
}

/**
 * The screen's answer to an attack, told apart from any other 4xx inside the screen branch: a
 * `<when>` answering 4xx whose condition names the attack and reads either a verdict variable
 * computed from the Prompt Shields response (its response-variable-name and attackDetected) or the
 * response's attackDetected itself.
 */
function attackGuards(screens: readonly PolicyElement[], calls: readonly PolicyElement[]): PolicyElement[] {
    const responses = calls.map((r) => r.attributes["response-variable-name"] ?? "").filter((name) => name !== "");
    const readsResponse = (text: string) => responses.some((name) => readsVariable(text, name)) && mentions(text, "attackDetected");
    return screens.flatMap((screen) => {
        const verdicts = [...variables(screen).entries()].filter(([, value]) => readsResponse(value)).map(([name]) => name);
        return findAll(screen, "when").filter((guard) => {
            const condition = guard.attributes.condition ?? "";
            const readsVerdict = verdicts.some((name) => readsVariable(condition, name)) || readsResponse(condition);
            return readsVerdict && mentions(condition, "attack") && answeredStatuses(guard).some((c) => c >= 400 && c < 500);
        });
    });
}

export const azureApimanagementApiEnablePromptShields: McpStackPolicy = {
    ...stackPolicy({
        name: "azure-apimanagement-api-enable-prompt-shields",
        description:
            "Every MCP API sends tools/call arguments to Azure AI Content Safety Prompt Shields (text:shieldPrompt) with a managed identity, rejects a detected attack " +
            "with a 4xx answer and fails closed (5xx) when the screen cannot answer; fail-open is a violation unless the pack config sets allowFailOpen. The call " +
            "goes to the stack's own Content Safety account (https://<customSubDomainName>.cognitiveservices.azure.com/, a literal URL) with a token for " +
            "https://cognitiveservices.azure.com. Compared against: the stack's Azure AI services accounts.",
        controls: ["C1.3", "C9.1"],
        component: "gateway",
        severity: "critical",
        remediationSteps:
            "Include the gateway's mcp-prompt-shields fragment in the API policy's inbound section and keep gateway.promptShieldsFailureMode \"closed\"; " +
            "a deliberate fail-open needs the pack config { allowFailOpen: true } for this policy (a reviewed exception).",
        validate: (resources, args, must) => {
            const { allowFailOpen } = args.getConfig<PromptShieldsConfig>();
            const ownAccounts = contentSafetyHosts(resources);
            forEachMcpApi(resources, must, (root) => {
                const screens = topLevelBranches(section(root, "inbound")).filter(
                    (w) =>
                        mentions(w.attributes.condition ?? "", "tools/call") &&
                        findAll(w, "send-request").some((r) => findAll(r, "set-url").some((u) => mentions(u.text, "text:shieldPrompt"))),
                );
                if (screens.length === 0) return "screen every tools/call's arguments with Prompt Shields (send-request to …/contentsafety/text:shieldPrompt) in inbound outside any other condition";
                const calls = screens.flatMap((w) => findAll(w, "send-request"));
                const keyed = calls.some((r) => findAll(r, "set-header").some((h) => mentions(h.attributes.name ?? "", "Ocp-Apim-Subscription-Key")));
                if (keyed || !calls.every((r) => direct(r, "authentication-managed-identity").length > 0)) {
                    return "call Prompt Shields with the gateway's managed identity (authentication-managed-identity), never a key";
                }
                const audiences = calls.flatMap((r) => direct(r, "authentication-managed-identity").map((m) => (m.attributes.resource ?? "").replace(/\/+$/, "")));
                if (audiences.some((a) => a !== cognitiveServicesAudience)) {
                    return `request the Prompt Shields token for ${cognitiveServicesAudience} (got ${audiences.filter((a) => a !== cognitiveServicesAudience).join(", ")})`;
                }
                const hosts = calls.flatMap((r) => findAll(r, "set-url").map((u) => u.text.trim()));
                const foreign = hosts.filter((url) => isExpression(url) || !ownAccounts.some((host) => url.toLowerCase().startsWith(`https://${host}/`)));
                if (foreign.length > 0) {
                    return `call the stack's own Content Safety account (${ownAccounts.map((h) => `https://${h}/`).join(", ") || "none in this stack"}; got ${foreign.join(", ")}; an expression cannot be evaluated and fails closed)`;
                }
                const statuses = screens.flatMap(answeredStatuses);
                if (attackGuards(screens, calls).length === 0) {
                    return "reject tools/call arguments Prompt Shields flags as an attack with a 4xx answer (a guard on the screen's verdict, read from the response's attackDetected; any other 4xx in the screen does not count)";
                }
                if (!allowFailOpen && !statuses.some((c) => c >= 500)) {
                    return "fail closed (answer 5xx) when Prompt Shields cannot screen a tools/call (promptShieldsFailureMode closed; allowFailOpen is off)";
                }
                return undefined;
            });
        },
    }),
    configSchema: {
        properties: {
            ...exemptionsConfigSchema.properties,
            allowFailOpen: { type: "boolean", default: false, description: "Accept an MCP API that forwards tools/call when Prompt Shields cannot answer." },
        },
    },
};

export const azureApimanagementApiEnforceManifestIntegrity: McpStackPolicy = {
    ...stackPolicy({
        name: "azure-apimanagement-api-enforce-manifest-integrity",
        description:
            "Every MCP API computes the SHA-256 digest of each tools/list result in outbound and compares it with a pinned literal sha256:<hex> digest; on drift it " +
            "blocks (5xx answer) when the platform's profile is prod or unknown, and at least records the drift (trace) in dev. The drift check compares the " +
            "computed digest with the pinned variable. Compared against: the pinned literal digest and the declared profile.",
        controls: ["C9.2"],
        component: "gateway",
        severity: "critical",
        remediationSteps:
            "Include the gateway's mcp-manifest-integrity fragment in the API policy's outbound section with the server's approved manifestDigest " +
            "(npm run manifest-digest); set gateway.manifestMode \"block\" in prod.",
        validate: (resources, args, must) => {
            const profile = effectiveProfile(resources, args.getConfig<{ profile?: string }>());
            forEachMcpApi(resources, must, (root) => {
                const pinned = findAll(root, "set-variable").filter((v) => /^sha256:[0-9a-f]{64}$/.test(v.attributes.value ?? "")).map((v) => v.attributes.name ?? "");
                if (pinned.length === 0) return "pin the approved tools/list digest as a literal sha256:<64 hex> value";
                const checks = findAll(section(root, "outbound") ?? root, "when").filter(
                    (w) => mentions(w.attributes.condition ?? "", "tools/list") && mentions(allExpressions(w), "SHA256"),
                );
                if (checks.length === 0) return "compare the SHA-256 digest of every tools/list result with the approved digest in outbound";
                // The drift decision compares the computed digest with the pinned one (not with itself or anything else).
                const computed = checks.flatMap((w) => findAll(w, "set-variable").filter((v) => mentions(v.attributes.value ?? "", "SHA256")).map((v) => v.attributes.name ?? ""));
                const compares = checks.some((w) =>
                    findAll(w, "when").some((d) => pinned.some((p) => readsVariable(d.attributes.condition ?? "", p)) && computed.some((c) => readsVariable(d.attributes.condition ?? "", c))),
                );
                if (!compares) return `compare the computed tools/list digest with the pinned digest (${pinned.join(", ")}) in the drift check`;
                if (profile !== "dev" && !checks.some((w) => answeredStatuses(w).some((c) => c >= 500))) {
                    return `block a tools/list result whose digest drifted (5xx answer; manifestMode block) under ${profile ? `the ${profile} profile` : undeclaredProfile}`;
                }
                if (!checks.some((w) => findAll(w, "trace").length > 0 || answeredStatuses(w).length > 0)) return "record or block a tools/list result whose digest drifted";
                return undefined;
            });
        },
    }),
    configSchema: profileConfigSchema,
};

/** Response headers every MCP answer carries (C8.4): lower-cased name → test of the value. */
export const requiredResponseHeaders: Readonly<Record<string, { readonly expect: string; readonly ok: (value: string) => boolean }>> = {
    "strict-transport-security": { expect: "max-age of at least 31536000", ok: (v) => Number(/max-age=(\d+)/i.exec(v)?.[1] ?? 0) >= 31_536_000 },
    "x-content-type-options": { expect: "nosniff", ok: (v) => v.trim().toLowerCase() === "nosniff" },
    "cache-control": { expect: "no-store", ok: (v) => /(^|[\s,])no-store($|[\s,;])/i.test(v) },
    "x-frame-options": { expect: "DENY", ok: (v) => v.trim().toUpperCase() === "DENY" },
};
/** Headers that reveal the server stack and must be deleted (C8.4, C1.4). */
export const revealingResponseHeaders = ["Server", "X-Powered-By", "X-AspNet-Version"] as const;

/** What `elements` (siblings) fail to set or delete among the security headers. */
function headerGaps(elements: readonly PolicyElement[]): string[] {
    const actions = headerActions(elements);
    const wrong = Object.entries(requiredResponseHeaders)
        .filter(([name, rule]) => actions.get(name) === undefined || actions.get(name) === "delete" || !rule.ok(actions.get(name)!))
        .map(([name, rule]) => `${name}: ${rule.expect}`);
    const kept = revealingResponseHeaders.filter((h) => actions.get(h.toLowerCase()) !== "delete").map((h) => `delete ${h}`);
    return [...wrong, ...kept];
}

export const azureApimanagementApiEnforceSecurityHeaders = stackPolicy({
    name: "azure-apimanagement-api-enforce-security-headers",
    description:
        "Every MCP API sets HSTS (≥ 1 year), X-Content-Type-Options nosniff, Cache-Control no-store and X-Frame-Options DENY and deletes Server, X-Powered-By and " +
        "X-AspNet-Version unconditionally in outbound; its on-error section answers every error (a catch-all return-response) with the same headers and a body " +
        "that never includes context.LastError; no response header reads context.LastError either. Compared against: the values listed in requiredResponseHeaders (secure defaults).",
    controls: ["C8.4", "C1.4"],
    component: "gateway",
    remediationSteps: "Include the gateway's mcp-security-headers fragment in outbound and its mcp-on-error fragment in on-error (components/gateway).",
    validate: (resources, _args, must) =>
        forEachMcpApi(resources, must, (root) => {
            const outboundGaps = headerGaps(section(root, "outbound")?.children ?? []);
            if (outboundGaps.length > 0) return `set the security headers unconditionally in outbound (${outboundGaps.join("; ")})`;
            const onError = section(root, "on-error");
            if (!onError) return "answer errors from an on-error section (none exists)";
            const catchAll =
                direct(onError, "return-response").length > 0 ||
                direct(onError, "choose").some((c) => direct(c, "otherwise").some((o) => findAll(o, "return-response").length > 0));
            if (!catchAll) return "answer every error in on-error (a return-response outside any condition, or in <otherwise>)";
            if (findAll(onError, "set-body").some((b) => mentions(b.text, "LastError") || mentions(b.text, "Exception"))) {
                return "answer errors without internals (no set-body in on-error may read context.LastError)";
            }
            // Retry-After is a number of seconds by definition (RFC 9110), derived from the quota message, so it carries no text of the error.
            const leakingHeaders = [...findAll(onError, "set-header"), ...findAll(section(root, "outbound") ?? root, "set-header")].filter(
                (h) => (h.attributes.name ?? "").toLowerCase() !== "retry-after" && mentions(allExpressions(h), "LastError"),
            );
            if (leakingHeaders.length > 0) return `answer errors without internals (header ${leakingHeaders[0].attributes.name ?? "(unnamed)"} reads context.LastError)`;
            const responses = findAll(onError, "return-response");
            const gaps = responses.map((r) => headerGaps(r.children)).find((g) => g.length > 0);
            if (gaps) return `set the security headers on every on-error answer too, since outbound does not run (${gaps.join("; ")})`;
            return undefined;
        }),
});

export const azureApimanagementApiEnableAuditTrace = stackPolicy({
    name: "azure-apimanagement-api-enable-audit-trace",
    description:
        "Every MCP API emits the per-call audit event (a <trace source=\"mcp-gateway\"> whose message names mcp.audit.call) unconditionally in inbound after token " +
        "validation, and the event never reads the request body, arguments, the Authorization header or the session id. Compared against: the event names of contract/events.ts (secure default: every call audited, nothing sensitive in it).",
    controls: ["C5.1", "C10.4"],
    component: "gateway",
    remediationSteps: "Include the gateway's mcp-audit fragment in the API policy's inbound section after token validation (components/gateway).",
    validate: (resources, _args, must) =>
        forEachMcpApi(resources, must, (root) => {
            const inbound = section(root, "inbound")?.children ?? [];
            const validatedAt = inbound.findIndex((c) => c.name === "validate-azure-ad-token" || c.name === "validate-jwt");
            const audits = inbound
                .map((c, i) => ({ c, i }))
                .filter(({ c }) => c.name === "trace" && c.attributes.source === "mcp-gateway" && mentions(allExpressions(c), "mcp.audit.call"));
            if (audits.length === 0) return "emit the mcp.audit.call trace (source mcp-gateway) for every request in inbound, outside any condition";
            if (validatedAt < 0 || !audits.some(({ i }) => i > validatedAt)) return "emit the mcp.audit.call trace after token validation, so it names the authenticated caller";
            const leaks = ["Body", "arguments", "Authorization", "Mcp-Session-Id", "SessionId\""].filter((m) => audits.some(({ c }) => mentions(allExpressions(c), m)));
            if (leaks.length > 0) return `keep the audit event minimal: no request body, arguments, token or session id (it reads ${leaks.join(", ")})`;
            return undefined;
        }),
});
