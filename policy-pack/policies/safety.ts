import type { AccountArgs } from "@pulumi/azure-native/cognitiveservices";
import type { Inputs } from "../lib/inputs";
import { resourcePolicy, stackPolicy } from "../lib/policy";
import { privateEndpointsFor } from "../lib/references";
import { resourceTypes } from "../contract/resourceTypes";

/**
 * Azure AI services accounts (Content Safety for Prompt Shields, and any other kind a stack adds):
 * Entra ID only, no public network path, reachable through a private endpoint. Type tokens only.
 */

type AccountProps = Inputs<AccountArgs>;

export const azureCognitiveServicesAccountDisableLocalAuth = resourcePolicy<AccountProps>({
    name: "azure-cognitiveservices-account-disable-local-auth",
    description:
        "Every Azure AI services account disables local (API key) authentication, so only Entra ID tokens of principals " +
        "granted a role on it can call it. Absent means keys work. Compared against: the secure default, disableLocalAuth true (absent = keys work).",
    controls: ["C1.3", "C2.1", "C6.3"],
    component: "safety",
    severity: "high",
    remediationSteps:
        "Set properties.disableLocalAuth: true and grant the caller's managed identity Cognitive Services User on the account " +
        "(components/safety does this for the gateway identity); a key would be a long-lived shared credential.",
    appliesTo: [resourceTypes.cognitiveservices.Account],
    validate: (props, _args, must) => {
        if (props.properties?.disableLocalAuth !== true) must("disable local (key) authentication (properties.disableLocalAuth: true)");
    },
});

export const azureCognitiveServicesAccountDisablePublicNetworkAccess = resourcePolicy<AccountProps>({
    name: "azure-cognitiveservices-account-disable-public-network-access",
    description:
        "Every Azure AI services account disables public network access, denies by default in its network rules and restricts its outbound calls " +
        "(restrictOutboundNetworkAccess true, so screened content cannot be sent elsewhere). Absent means Azure's default: reachable from the internet, " +
        "unrestricted outbound. Compared against: the platform's Content Safety account.",
    controls: ["C1.3", "C10.3"],
    component: "safety",
    severity: "high",
    remediationSteps:
        "Set properties.publicNetworkAccess: Disabled and properties.networkAcls.defaultAction: Deny, and reach the account " +
        "through its private endpoint.",
    appliesTo: [resourceTypes.cognitiveservices.Account],
    validate: (props, _args, must) => {
        const p = props.properties ?? {};
        if (p.publicNetworkAccess !== "Disabled") must(`disable public network access (got ${JSON.stringify(p.publicNetworkAccess ?? null)})`);
        if (p.networkAcls?.defaultAction !== "Deny") must(`deny by default in networkAcls (got ${JSON.stringify(p.networkAcls?.defaultAction ?? null)})`);
        if (p.restrictOutboundNetworkAccess !== true) must("restrict outbound network access (properties.restrictOutboundNetworkAccess: true)");
    },
});

export const azureCognitiveServicesAccountConfigureCustomSubdomain = resourcePolicy<AccountProps>({
    name: "azure-cognitiveservices-account-configure-custom-subdomain",
    description:
        "Every Azure AI services account has a custom subdomain, the endpoint Entra ID token authentication and private " +
        "endpoints need (the regional endpoint accepts keys only). Compared against: the secure default, a non-blank subdomain.",
    controls: ["C2.1", "C10.3"],
    component: "safety",
    severity: "medium",
    remediationSteps: "Set properties.customSubDomainName (globally unique; components/safety uses the account name).",
    appliesTo: [resourceTypes.cognitiveservices.Account],
    validate: (props, _args, must) => {
        const subdomain = props.properties?.customSubDomainName;
        if (typeof subdomain !== "string" || subdomain.trim() === "") must("have a custom subdomain (properties.customSubDomainName)");
    },
});

export const azureCognitiveServicesAccountMissingPrivateEndpoint = stackPolicy({
    name: "azure-cognitiveservices-account-missing-private-endpoint",
    description:
        "Every Azure AI services account is the target of a private endpoint on its `account` sub-resource in this stack, " +
        "its only network path once public access is off. Compared against: the stack's private endpoints (by dependency, sub-resource account).",
    controls: ["C1.3", "C10.3", "A2"],
    component: "safety",
    remediationSteps:
        "Create a private endpoint with privateLinkServiceConnections [{ privateLinkServiceId: <account id>, groupIds: " +
        "[account] }] in the private-endpoint subnet, with a zone group for privatelink.cognitiveservices.azure.com " +
        "(components/shared/privateEndpoint.ts).",
    validate: (resources, _args, must) => {
        for (const account of resources.filter((r) => r.type === resourceTypes.cognitiveservices.Account)) {
            if (privateEndpointsFor(resources, account, "account").length === 0) {
                must(account, "be reachable through a private endpoint on its account sub-resource");
            }
        }
    },
});
