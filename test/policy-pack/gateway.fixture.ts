import {
    azureApimanagementApiDisableTokenPassthrough,
    azureApimanagementApiEnableSessionBinding,
    azureApimanagementApiEnableUserRateLimit,
    azureApimanagementApiEnforceProtocolVersion,
    azureApimanagementApiEnforceTokenValidation,
    azureApimanagementApiEnforceToolAuthorization,
} from "../../policy-pack/policies/gateway/mcpApiAccess";
import {
    azureApimanagementApiEnableAuditTrace,
    azureApimanagementApiEnablePromptShields,
    azureApimanagementApiEnforceManifestIntegrity,
    azureApimanagementApiEnforceRequestValidation,
    azureApimanagementApiEnforceSecurityHeaders,
} from "../../policy-pack/policies/gateway/mcpApiContent";
import { buildApiPolicy, ServerPolicyInput } from "../../components/gateway/policy/apiPolicy";
import { buildFragments, fragmentId } from "../../components/gateway/policy/fragments";
import { FragmentSettings } from "../../components/gateway/policy/settings";
import { el, serialize, XmlElement } from "../../components/gateway/policy/xml";
import { fragmentSettings, serverPolicyInput, tenantId } from "../helpers/gatewayInputs";
import { violationsOf } from "../helpers/policy";
import { planned } from "../helpers/resources";
import type { PlannedResource } from "../../tools/offline/types";

/**
 * Shared fixtures of the gateway policy tests (gateway, mcpApiAccess and mcpApiContent): one
 * compliant MCP API built by components/gateway, and edits that break one thing in it, so each
 * test checks its policy against the XML the platform really generates.
 */

export { tenantId };
export const settings: FragmentSettings = fragmentSettings({ allowedOrigins: [], contentSafetyEndpoint: "https://cs.cognitiveservices.azure.com/" });
export const server: ServerPolicyInput = serverPolicyInput({ appRoleValues: ["Docs.Read"], tools: { search_docs: "Docs.Read" }, fragmentIdPrefix: "gw" });

export const api = planned("azure-native:apimanagement:Api", "gw-api-docs", { apiId: "mcp-docs", path: "mcp/docs", serviceName: "apim" });
export const fragments = (s: FragmentSettings = settings): PlannedResource[] =>
    buildFragments(s).map((f) => planned("azure-native:apimanagement:PolicyFragment", fragmentId("gw", f.id), { serviceName: "apim", format: "xml", value: serialize(f.root) }));
export const apiPolicy = (value: string | undefined) =>
    planned("azure-native:apimanagement:ApiPolicy", "gw-api-docs-policy", { apiId: "mcp-docs", serviceName: "apim", format: "xml", value });
export const platform = (protocolVersions: string[]) => planned("mcp:platform:McpPlatform", "platform", { protocolVersions }, { custom: false });

/** The generated policy with `edit` applied to the inbound section's children. */
export function editedPolicy(edit: (inbound: XmlElement[]) => XmlElement[]): string {
    const root = buildApiPolicy(server);
    const children = root.children.map((c) => ("name" in c && c.name === "inbound" ? { ...c, children: edit(c.children as XmlElement[]) } : c));
    return serialize({ ...root, children });
}
export const without = (name: string, pred: (e: XmlElement) => boolean = () => true) => (inbound: XmlElement[]) => inbound.filter((e) => !(e.name === name && pred(e)));
/**
 * What the policies compare the API policy against: the server's API app and backend app (identifier
 * URIs, audiences of the token validation and of the backend token) and the Content Safety account
 * Prompt Shields calls.
 */
export const peers = (): PlannedResource[] => [
    planned("azuread:index/application:Application", "docs-api", { identifierUris: [server.apiIdentifierUri] }),
    planned("azuread:index/application:Application", "docs-backend", { identifierUris: [server.backendIdentifierUri] }),
    planned("azure-native:cognitiveservices:Account", "cs", { kind: "ContentSafety", properties: { customSubDomainName: "cs" } }),
];
export const compliant = () => [api, apiPolicy(serialize(buildApiPolicy(server))), ...fragments(), ...peers()];
export const messages = async (policy: Parameters<typeof violationsOf>[0], resources: PlannedResource[]) => (await violationsOf(policy, resources)).map((v) => v.message);

/** The fragments with the one whose base id is `base` rewritten (as XML text) by `edit`. */
export const fragmentsEdited = (base: string, edit: (xml: string) => string, s: FragmentSettings = settings): PlannedResource[] =>
    fragments(s).map((f) => (f.name === fragmentId("gw", base) ? { ...f, inputs: { ...f.inputs, value: edit(String(f.inputs.value)) } } : f));
export const withFragments = (fs: PlannedResource[], policyXml = serialize(buildApiPolicy(server))) => [api, apiPolicy(policyXml), ...fs, ...peers()];
export const emptied = (base: string) => fragmentsEdited(base, () => "<fragment/>");
/** The generated API policy with `edit` applied to its root's sections. */
export const editedSections = (edit: (sections: XmlElement[]) => XmlElement[]) => {
    const root = buildApiPolicy(server);
    return serialize({ ...root, children: edit(root.children as XmlElement[]) });
};
export const isInclude = (base: string) => (e: XmlElement) => e.name === "include-fragment" && e.attributes["fragment-id"] === fragmentId("gw", base);
/** Wraps the inbound include of `base` in a condition that never holds. */
export const hiddenInCondition = (base: string) => apiPolicy(editedPolicy((inbound) => inbound.map((e) => (isInclude(base)(e) ? el("choose", {}, el("when", { condition: "@(false)" }, e)) : e))));
export const profilePlatform = (profile: string) => planned("mcp:platform:McpPlatform", "platform", { profile, protocolVersions: settings.protocolVersions }, { custom: false });

/** Every per-API MCP policy, access and content alike: each must pass the shared cases (mcpApiAccess.test.ts). */
export const apiPolicies = [
    azureApimanagementApiEnforceTokenValidation,
    azureApimanagementApiDisableTokenPassthrough,
    azureApimanagementApiEnforceProtocolVersion,
    azureApimanagementApiEnableSessionBinding,
    azureApimanagementApiEnableUserRateLimit,
    azureApimanagementApiEnforceRequestValidation,
    azureApimanagementApiEnforceToolAuthorization,
    azureApimanagementApiEnablePromptShields,
    azureApimanagementApiEnforceManifestIntegrity,
    azureApimanagementApiEnforceSecurityHeaders,
    azureApimanagementApiEnableAuditTrace,
];

/** `xml` with `pattern` replaced; throws when the pattern is absent, so a weakening case can never pass by editing nothing. */
export function replaced(xml: string, pattern: RegExp | string, replacement: string): string {
    const after = xml.replace(pattern, replacement);
    if (after === xml) throw new Error(`pattern ${String(pattern)} not found`);
    return after;
}
/** The compliant stack with the API policy XML edited. */
export const withPolicy = (pattern: RegExp | string, replacement: string) => withFragments(fragments(), replaced(serialize(buildApiPolicy(server)), pattern, replacement));
/** The compliant stack with one fragment's XML edited. */
export const withFragment = (base: string, pattern: RegExp | string, replacement: string) => withFragments(fragmentsEdited(base, (xml) => replaced(xml, pattern, replacement)));
export const q = "&quot;";
