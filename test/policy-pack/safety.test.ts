import { describe, expect, it } from "vitest";
import {
    azureCognitiveServicesAccountConfigureCustomSubdomain,
    azureCognitiveServicesAccountDisableLocalAuth,
    azureCognitiveServicesAccountDisablePublicNetworkAccess,
    azureCognitiveServicesAccountMissingPrivateEndpoint,
} from "../../policy-pack/policies/safety";
import type { McpPolicy } from "../../policy-pack/lib/policy";
import type { PlannedResource } from "../../tools/offline/types";
import { violationsOf } from "../helpers/policy";
import { planned } from "../helpers/resources";

const accountType = "azure-native:cognitiveservices:Account";
const messages = async (policy: McpPolicy, resources: PlannedResource[]) => (await violationsOf(policy, resources)).map((v) => v.message);

/** A compliant Content Safety account as components/safety registers it. */
function properties(): Record<string, any> {
    return {
        customSubDomainName: "cs-mcp-dev-1234",
        disableLocalAuth: true,
        publicNetworkAccess: "Disabled",
        networkAcls: { defaultAction: "Deny" },
        restrictOutboundNetworkAccess: true,
    };
}
const account = (props: Record<string, any> | undefined = properties()) => planned(accountType, "cs", { kind: "ContentSafety", properties: props });
const without = (key: string) => {
    const { [key]: _, ...rest } = properties();
    return account(rest);
};

describe("azure-cognitiveservices-account-disable-local-auth (C1.3, C2.1, C6.3)", () => {
    const policy = azureCognitiveServicesAccountDisableLocalAuth;

    it("accepts an account with key auth disabled", async () => {
        expect(await messages(policy, [account()])).toEqual([]);
    });

    it("rejects an account that accepts keys", async () => {
        expect(await messages(policy, [account({ ...properties(), disableLocalAuth: false })])).toEqual([
            "Account cs must disable local (key) authentication (properties.disableLocalAuth: true) (C1.3, C2.1, C6.3).",
        ]);
    });

    it("rejects an account that does not say (unset: keys work)", async () => {
        expect(await messages(policy, [without("disableLocalAuth")])).toHaveLength(1);
        expect(await messages(policy, [planned(accountType, "cs", { kind: "ContentSafety" })])).toHaveLength(1);
    });
});

describe("azure-cognitiveservices-account-disable-public-network-access (C1.3, C10.3)", () => {
    const policy = azureCognitiveServicesAccountDisablePublicNetworkAccess;

    it("accepts an account with public access disabled and deny-by-default rules", async () => {
        expect(await messages(policy, [account()])).toEqual([]);
    });

    it("rejects public network access enabled", async () => {
        expect(await messages(policy, [account({ ...properties(), publicNetworkAccess: "Enabled" })])).toEqual([
            'Account cs must disable public network access (got "Enabled") (C1.3, C10.3).',
        ]);
    });

    it("rejects network rules that allow by default", async () => {
        expect(await messages(policy, [account({ ...properties(), networkAcls: { defaultAction: "Allow" } })])).toEqual([
            'Account cs must deny by default in networkAcls (got "Allow") (C1.3, C10.3).',
        ]);
    });

    it("rejects an account with neither setting (unset: reachable from the internet)", async () => {
        const { publicNetworkAccess: _, networkAcls: __, ...rest } = properties();
        expect(await messages(policy, [account(rest)])).toEqual([
            "Account cs must disable public network access (got null) (C1.3, C10.3).",
            "Account cs must deny by default in networkAcls (got null) (C1.3, C10.3).",
        ]);
    });

    it("rejects an account whose outbound calls are unrestricted", async () => {
        expect(await messages(policy, [account({ ...properties(), restrictOutboundNetworkAccess: false })])).toEqual([
            "Account cs must restrict outbound network access (properties.restrictOutboundNetworkAccess: true) (C1.3, C10.3).",
        ]);
    });
});

describe("azure-cognitiveservices-account-configure-custom-subdomain (C2.1, C10.3)", () => {
    const policy = azureCognitiveServicesAccountConfigureCustomSubdomain;

    it("accepts an account with a custom subdomain", async () => {
        expect(await messages(policy, [account()])).toEqual([]);
    });

    it("rejects an empty subdomain", async () => {
        expect(await messages(policy, [account({ ...properties(), customSubDomainName: " " })])).toHaveLength(1);
    });

    it("rejects an account without one (unset)", async () => {
        expect(await messages(policy, [without("customSubDomainName")])).toEqual([
            "Account cs must have a custom subdomain (properties.customSubDomainName) (C2.1, C10.3).",
        ]);
    });
});

describe("azure-cognitiveservices-account-missing-private-endpoint (C1.3, C10.3, A2)", () => {
    const policy = azureCognitiveServicesAccountMissingPrivateEndpoint;
    const cs = account();
    const endpoint = (groupIds: string[], dependsOn: string[] = [cs.urn]) =>
        planned(
            "azure-native:network:PrivateEndpoint",
            "cs-pep",
            { privateLinkServiceConnections: [{ name: "pep", groupIds }] },
            { propertyDependencies: { privateLinkServiceConnections: dependsOn } },
        );

    it("accepts an account reached by a private endpoint on its account sub-resource", async () => {
        expect(await messages(policy, [cs, endpoint(["account"])])).toEqual([]);
    });

    it("rejects an account with no private endpoint (unset)", async () => {
        expect(await messages(policy, [cs])).toEqual(["Account cs must be reachable through a private endpoint on its account sub-resource (C1.3, C10.3, A2)."]);
    });

    it("rejects an endpoint for another sub-resource or another target", async () => {
        expect(await messages(policy, [cs, endpoint(["blob"])])).toHaveLength(1);
        expect(await messages(policy, [cs, endpoint(["account"], [])])).toHaveLength(1);
    });
});
