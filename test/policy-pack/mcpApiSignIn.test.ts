import { describe, expect, it } from "vitest";
import { azureApimanagementApiEnforceSignInMetadata as policy } from "../../policy-pack/policies/gateway/mcpApiSignIn";
import { buildApiPolicy, ServerPolicyInput } from "../../components/gateway/policy/apiPolicy";
import { serialize } from "../../components/gateway/policy/xml";
import { violationsOf } from "../helpers/policy";
import { planned } from "../helpers/resources";
import { stackResources } from "../helpers/stacks";
import type { PlannedResource } from "../../tools/offline/types";
import { api, fragments, server as fixtureServer, tenantId } from "./gateway.fixture";

// Issue 17: the shape spec-following MCP clients (RFC 9728 + RFC 8707) can sign in with.
const resourceUrl = "https://mcp.contoso.com/mcp/docs";
const consistent: ServerPolicyInput = { ...fixtureServer, apiIdentifierUri: resourceUrl, publicBaseUrl: "https://mcp.contoso.com" };
const application = (identifierUris: string[]) => planned("azuread:index/application:Application", "id-docs-api", { identifierUris });
const apiPolicy = (xml: string) => planned("azure-native:apimanagement:ApiPolicy", "gw-api-docs-policy", { apiId: "mcp-docs", serviceName: "apim", format: "xml", value: xml });
const stack = (input: ServerPolicyInput, identifierUris = [resourceUrl], edit: (xml: string) => string = (x) => x): PlannedResource[] => [
    api,
    apiPolicy(edit(serialize(buildApiPolicy(input)))),
    ...fragments(),
    application(identifierUris),
];
const messages = async (resources: PlannedResource[]) => (await violationsOf(policy, resources)).map((v) => v.message);

describe(policy.name, () => {
    it("accepts metadata whose resource is the API app's identifier URI, with scopes under it and the platform's tenant", async () => {
        expect(await messages(stack(consistent))).toEqual([]);
    });

    it("rejects an MCP API that serves no metadata document (removed)", async () => {
        const noMetadata = (xml: string) => xml.replace(/<set-variable name="mcpResourceMetadata"[^>]*\/>/, "");
        expect(await messages(stack(consistent, [resourceUrl], noMetadata))).toEqual([expect.stringContaining("RFC 9728 protected resource metadata")]);
    });

    it("rejects the old shape: resource is the public URL, the app has only an api:// identifier URI (AADSTS9010010)", async () => {
        const old: ServerPolicyInput = { ...consistent, apiIdentifierUri: `api://${tenantId}/docs` };
        expect(await messages(stack(old, [`api://${tenantId}/docs`]))).toEqual([expect.stringContaining("AADSTS9010010")]);
    });

    it("rejects scopes of another resource than the advertised one", async () => {
        const foreignScope = (xml: string) => xml.replaceAll(`${resourceUrl}/mcp.access`, `api://${tenantId}/docs/mcp.access`);
        expect(await messages(stack(consistent, [resourceUrl, `api://${tenantId}/docs`], foreignScope))).toEqual([expect.stringContaining("only scopes prefixed by its resource")]);
    });

    it("rejects a multi-tenant authorization server (common, organizations)", async () => {
        for (const alias of ["common", "organizations"]) {
            const shared = (xml: string) => xml.replace(`login.microsoftonline.com/${tenantId}/v2.0`, `login.microsoftonline.com/${alias}/v2.0`);
            expect(await messages(stack(consistent, [resourceUrl], shared))).toEqual([expect.stringContaining("only the platform's tenant")]);
        }
    });

    it("rejects a validation pinned to another tenant than the metadata names", async () => {
        const otherTenant = (xml: string) => xml.replace(`tenant-id="${tenantId}"`, `tenant-id="99999999-9999-4999-8999-999999999999"`);
        expect(await messages(stack(consistent, [resourceUrl], otherTenant))).toEqual([expect.stringContaining("only the platform's tenant")]);
    });

    it("rejects a gateway that accepts an audience beyond the owning app's ids", async () => {
        const extra = (xml: string) => xml.replace("</audiences>", `<audience>api://${tenantId}/another-app</audience></audiences>`);
        expect(await messages(stack(consistent, [resourceUrl], extra))).toEqual([expect.stringContaining("accept only the audiences")]);
    });

    it("rejects an http resource", async () => {
        const plain: ServerPolicyInput = { ...consistent, publicBaseUrl: "http://mcp.contoso.com", apiIdentifierUri: "http://mcp.contoso.com/mcp/docs" };
        expect(await messages(stack(plain, ["http://mcp.contoso.com/mcp/docs"]))).toEqual([expect.stringContaining("https resource")]);
    });
});

describe("sign-in consistency of the synthesised stacks (issue 17)", () => {
    for (const name of ["dev", "prod"] as const) {
        it(`${name}: metadata resource ∈ the API app's identifier URIs, scopes under it, audiences = the app's ids`, async () => {
            const resources = await stackResources(name);
            const policies = resources.filter((r) => r.type === "azure-native:apimanagement:ApiPolicy" && /mcpResourceMetadata/.test(String(r.inputs.value)));
            expect(policies.length).toBeGreaterThan(0);
            for (const p of policies) {
                const xml = String(p.inputs.value);
                const metadata = JSON.parse(decode(/name="mcpResourceMetadata" value="([^"]*)"/.exec(xml)![1]));
                const app = resources.find((r) => r.type === "azuread:index/application:Application" && (r.inputs.identifierUris ?? []).includes(metadata.resource));
                expect(app, `an Entra app with identifier URI ${metadata.resource}`).toBeDefined();
                expect(metadata.resource).toMatch(/^https:\/\/[^/]+\/mcp\/[a-z0-9-]+$/);
                expect(metadata.scopes_supported.every((s: string) => s.startsWith(`${metadata.resource}/`))).toBe(true);
                expect(metadata.authorization_servers).toEqual([expect.stringMatching(/^https:\/\/login\.microsoftonline\.com\/[0-9a-f-]{36}\/v2\.0$/)]);
                const audiences = [...xml.matchAll(/<audience>([^<]*)<\/audience>/g)].map((m) => m[1]);
                expect(audiences.filter((a) => !/^[0-9a-f-]{36}$/.test(a))).toEqual(app!.inputs.identifierUris);
                expect(audiences.filter((a) => /^[0-9a-f-]{36}$/.test(a))).toHaveLength(1);
            }
        });
    }
});

function decode(xmlAttribute: string): string {
    return xmlAttribute.replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&apos;/g, "'").replace(/&amp;/g, "&");
}
