import { describe, expect, it } from "vitest";
import { azureApimanagementServiceEnforceTierSupportedLimits as policy } from "../../policy-pack/policies/gateway/service";
import { buildApiPolicy } from "../../components/gateway/policy/apiPolicy";
import { serialize } from "../../components/gateway/policy/xml";
import { violationsOf } from "../helpers/policy";
import { planned } from "../helpers/resources";
import { fragments, messages, replaced, server, withFragments } from "./gateway.fixture";

/** The tier rules of API Management limits (C4.1): quota-by-key only on classic tiers, rate-limit windows ≤ 300 s. */
const service = (sku: string) => planned("azure-native:apimanagement:ApiManagementService", "gw-service", { serviceName: "apim", sku: { name: sku, capacity: 1 } });
const classicXml = serialize(buildApiPolicy(server));
const v2Xml = serialize(buildApiPolicy({ ...server, gatewaySku: "PremiumV2" }));
const stack = (sku: string, xml: string) => [service(sku), ...withFragments(fragments(), xml)];
const productPolicy = (value: string, format = "xml") =>
    planned("azure-native:apimanagement:ProductPolicy", "gw-product-policy", { serviceName: "apim", productId: "p", format, value });

describe("azure-apimanagement-service-enforce-tier-supported-limits", () => {
    it("accepts the gateway's classic-tier policy (quota-by-key) on Premium and Developer", async () => {
        expect(classicXml).toContain("<quota-by-key");
        for (const sku of ["Premium", "Developer"]) expect(await violationsOf(policy, stack(sku, classicXml))).toEqual([]);
    });
    it("accepts the gateway's PremiumV2 policy (a cache-based daily quota, no quota-by-key)", async () => {
        expect(v2Xml).not.toContain("<quota-by-key");
        expect(await violationsOf(policy, stack("PremiumV2", v2Xml))).toEqual([]);
    });
    it("accepts a subscription quota on PremiumV2 (quota applies to every tier)", async () => {
        const quota = productPolicy('<policies><inbound><base/><quota calls="1000" renewal-period="86400"/></inbound></policies>');
        expect(await violationsOf(policy, [...stack("PremiumV2", v2Xml), quota])).toEqual([]);
    });

    it.each(["PremiumV2", "StandardV2", "BasicV2", "Consumption"])("rejects the classic policy's quota-by-key on %s", async (sku) => {
        expect(await messages(policy, stack(sku, classicXml))).toEqual([expect.stringContaining(`not use quota-by-key on the ${sku} tier`)]);
    });
    it("rejects quota-by-key in a PremiumV2 product policy (any scope)", async () => {
        const quota = productPolicy('<policies><inbound><base/><quota-by-key calls="10" renewal-period="86400" counter-key="@(context.Subscription.Id)"/></inbound></policies>');
        expect(await messages(policy, [...stack("PremiumV2", v2Xml), quota])).toEqual([expect.stringMatching(/gw-product-policy.*not use quota-by-key on the PremiumV2 tier/)]);
    });
    it.each<[string, RegExp, string, string]>([
        ["a per-user window of an hour", /renewal-period="60"/, 'renewal-period="3600"', "at most 300 seconds, the most API Management allows (got 3600)"],
        ["a window of 301 seconds", /renewal-period="60"/, 'renewal-period="301"', "(got 301)"],
        ["a computed window", /renewal-period="60"/, 'renewal-period="@(60)"', "fails closed"],
        ["the window removed", /renewal-period="60"/, "", "literal renewal-period (got none"],
    ])("rejects %s on a rate-limit-by-key", async (_what, pattern, replacement, expected) => {
        expect(await messages(policy, stack("Premium", replaced(classicXml, pattern, replacement)))).toEqual([expect.stringContaining(expected)]);
    });
    it("rejects a rate-limit (by subscription) window over 300 seconds", async () => {
        const limit = productPolicy('<policies><inbound><base/><rate-limit calls="100" renewal-period="900"/></inbound></policies>');
        expect(await messages(policy, [...stack("Premium", classicXml), limit])).toEqual([expect.stringContaining("every rate-limit renewal-period at most 300 seconds, the most API Management allows (got 900)")]);
    });
    it("fails closed on a linked or malformed policy document", async () => {
        expect(await messages(policy, [...stack("Premium", classicXml), productPolicy("https://example.com/p.xml", "rawxml-link")])).toEqual([expect.stringContaining("linked document cannot be evaluated")]);
        expect(await messages(policy, [...stack("Premium", classicXml), productPolicy("<policies><inbound>")])).toEqual([expect.stringContaining("well-formed policy document")]);
    });
});
