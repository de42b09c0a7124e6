import { buildApiPolicy, ServerPolicyInput } from "../../../components/gateway/policy/apiPolicy";
import { buildFragments, fragmentId } from "../../../components/gateway/policy/fragments";
import { manifestDigest } from "../../../components/gateway/policy/manifest";
import { FragmentSettings } from "../../../components/gateway/policy/settings";
import { GatewaySku } from "../../../components/gateway/service";
import { parse, serialize, XmlElement } from "../../../components/gateway/policy/xml";
import { profiles } from "../../../stacks/profiles";
import { extractExpressions, ExpressionSite } from "./expressions";

/**
 * The generated policy documents of one stack variant, serialised and parsed back (what API
 * Management receives): the fragments under their deployed ids and the API policy of one server.
 * dev and prod take the gateway settings of their profiles (stacks/profiles.ts); PremiumV2 is prod
 * on the v2 tier.
 */
export type VariantName = "dev" | "prod" | "premiumv2";

export const tenantId = "11111111-2222-4333-8444-555555555555";
export const prefix = "gw";
export const userClientId = "aebc6443-996d-45c2-90f0-388ff96faa56";
export const gatewayIdentityClientId = "99999999-8888-4777-8666-555555555555";
const contentSafetyEndpoint = "https://cs-mcp-test.cognitiveservices.azure.com/";

/** The server's approved tools/list result (its digest is the server's manifestDigest). */
export const approvedTools = [
    { name: "search_docs", description: "Search the documentation.", inputSchema: { type: "object", properties: { query: { type: "string" } }, required: ["query"] } },
    { name: "update_page", description: "Update a page.", inputSchema: { type: "object", properties: { id: { type: "string" }, text: { type: "string" } } } },
];

export interface Variant {
    readonly name: VariantName;
    readonly sku: GatewaySku;
    readonly settings: FragmentSettings;
    readonly server: ServerPolicyInput;
}

export function variant(name: VariantName, rateLimits: Partial<ServerPolicyInput["rateLimits"]> = {}): Variant {
    const profile = profiles[name === "dev" ? "dev" : "prod"].gateway;
    const sku: GatewaySku = name === "premiumv2" ? "PremiumV2" : profile.sku;
    const settings: FragmentSettings = {
        protocolVersions: ["2025-11-25", "2026-07-28"],
        allowedOrigins: ["https://vscode.dev"],
        maxRequestBytes: profile.maxRequestBytes,
        sessionIdleSeconds: profile.sessionIdleMinutes * 60,
        sessionAbsoluteSeconds: profile.sessionAbsoluteMinutes * 60,
        promptShieldsFailureMode: profile.promptShieldsFailureMode,
        manifestMode: profile.manifestMode,
        contentSafetyEndpoint,
        gatewayIdentityClientId,
    };
    const server: ServerPolicyInput = {
        server: "docs",
        tenantId,
        apiAppClientId: "aaaaaaaa-0000-4000-8000-000000000001",
        apiIdentifierUri: `api://${tenantId}/docs`,
        requiredScope: "mcp.access",
        appRoleValues: ["Docs.Read", "Docs.Write"],
        clientApplicationIds: [userClientId],
        tools: { search_docs: "Docs.Read", update_page: "Docs.Write" },
        manifestDigest: manifestDigest(approvedTools),
        backendIdentifierUri: `api://${tenantId}/docs-backend`,
        backendId: "mcp-docs",
        gatewayIdentityClientId,
        publicBaseUrl: "https://mcp.contoso.com",
        fragmentIdPrefix: prefix,
        gatewaySku: sku,
        rateLimits: { perUserPerMinute: 60, perSessionPerMinute: 30, perUserToolPerMinute: 20, perUserDailyQuota: 5000, ...rateLimits },
    };
    return { name, sku, settings, server };
}

export interface Documents {
    readonly api: XmlElement;
    /** Deployed fragment id → `<fragment>` document. */
    readonly fragments: ReadonlyMap<string, XmlElement>;
}

export function documents(v: Variant): Documents {
    const fragments = new Map(buildFragments(v.settings).map((f) => [fragmentId(prefix, f.id), parse(serialize(f.root))]));
    return { api: parse(serialize(buildApiPolicy(v.server))), fragments };
}

export function expressionSites(docs: Documents, variantName: string): ExpressionSite[] {
    return [
        ...extractExpressions(`${variantName} api:docs`, docs.api),
        ...[...docs.fragments].flatMap(([id, root]) => extractExpressions(`${variantName} ${id}`, root)),
    ];
}
