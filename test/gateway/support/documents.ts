import { buildApiPolicy, ServerPolicyInput } from "../../../components/gateway/policy/apiPolicy";
import { buildFragments, fragmentId } from "../../../components/gateway/policy/fragments";
import { manifestDigest } from "../../../components/gateway/policy/manifest";
import { FragmentSettings } from "../../../components/gateway/policy/settings";
import { GatewaySku } from "../../../components/gateway/service";
import { parse, serialize, XmlElement } from "../../../components/gateway/policy/xml";
import { profiles } from "../../../stacks/profiles";
import { extractExpressions, ExpressionSite } from "./expressions";
import { fragmentSettings, serverPolicyInput } from "../../helpers/gatewayInputs";

/**
 * The generated policy documents of one stack variant, serialised and parsed back (what API
 * Management receives): the fragments under their deployed ids and the API policy of one server.
 * dev and prod take the gateway settings of their profiles (stacks/profiles.ts); PremiumV2 is prod
 * on the v2 tier.
 */
export type VariantName = "dev" | "prod" | "premiumv2";

export { gatewayIdentityClientId, tenantId, userClientId } from "../../helpers/gatewayInputs";
export const prefix = "gw";

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
    const settings = fragmentSettings({
        maxRequestBytes: profile.maxRequestBytes,
        sessionIdleSeconds: profile.sessionIdleMinutes * 60,
        sessionAbsoluteSeconds: profile.sessionAbsoluteMinutes * 60,
        promptShieldsFailureMode: profile.promptShieldsFailureMode,
        manifestMode: profile.manifestMode,
    });
    const server = serverPolicyInput({
        manifestDigest: manifestDigest(approvedTools),
        fragmentIdPrefix: prefix,
        gatewaySku: sku,
        rateLimits: { ...serverPolicyInput().rateLimits, ...rateLimits },
    });
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
