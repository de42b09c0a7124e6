import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../../lib/policy";
import { findAll, isExpression, PolicyElement, section } from "../../lib/apimXml";
import { mcpApiPolicies } from "../../lib/mcpApis";

/**
 * API Management, per MCP API: sign-in works for the clients that follow the MCP authorization
 * spec. A client reads the RFC 9728 document, sends its `resource` as the RFC 8707 resource
 * indicator and asks for one of its `scopes_supported`. Entra answers AADSTS9010010 unless that
 * `resource` is an identifier URI of the app that owns the requested scopes, so the three must
 * agree with the Entra app whose tokens the gateway accepts.
 *
 * Compared against: the stack's own Entra applications (`identifierUris`) and the API policy's
 * `validate-azure-ad-token` (tenant and audiences). Secure default when a fact is missing: fail.
 */

const applicationType = "azuread:index/application:Application";
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Entra's multi-tenant aliases: an MCP API of one organisation names its own tenant. */
const sharedTenants = ["common", "organizations", "consumers"];

/** The RFC 9728 protected-resource document inside the policy XML: an MCP wire format, no Azure resource type describes it. */
interface ResourceMetadata {
    readonly resource?: unknown;
    readonly scopes_supported?: unknown;
    readonly authorization_servers?: unknown;
}

/** The RFC 9728 document the API policy serves: a literal JSON value with `resource` and `authorization_servers`. */
function metadataDocument(root: PolicyElement): ResourceMetadata | undefined {
    const candidates = [
        ...findAll(root, "set-variable").map((e) => e.attributes.value),
        ...findAll(root, "set-body").map((e) => e.text),
    ];
    for (const value of candidates) {
        if (value === undefined || isExpression(value)) continue;
        try {
            const parsed = JSON.parse(value) as ResourceMetadata;
            if (parsed && typeof parsed === "object" && "resource" in parsed && "authorization_servers" in parsed) return parsed;
        } catch {
            // not JSON: some other variable
        }
    }
    return undefined;
}

const strings = (value: unknown): string[] | undefined => (Array.isArray(value) && value.every((v) => typeof v === "string") ? (value as string[]) : undefined);

/** The state the MCP API must reach, or nothing when metadata, app and gateway agree. */
export function signInProblem(root: PolicyElement, applications: readonly PolicyResource[]): string | undefined {
    const metadata = metadataDocument(root);
    if (!metadata) return "serve its RFC 9728 protected resource metadata as a literal JSON document (none found, so clients cannot discover how to sign in)";
    const resource = metadata.resource;
    if (typeof resource !== "string" || !resource.startsWith("https://")) return `advertise an https resource in its metadata (got ${JSON.stringify(resource)})`;

    const owner = applications.find((a) => strings(a.props.identifierUris)?.includes(resource));
    if (!owner) {
        const known = applications.flatMap((a) => strings(a.props.identifierUris) ?? []);
        return (
            `advertise as resource an identifier URI of the Entra app whose tokens it accepts: ${resource} is the identifier URI of no application in the stack ` +
            `(known: ${known.join(", ") || "none"}), so Entra rejects the RFC 8707 resource with AADSTS9010010`
        );
    }
    const scopes = strings(metadata.scopes_supported);
    if (!scopes || scopes.length === 0) return "advertise the scopes clients must request (scopes_supported is empty)";
    const foreign = scopes.filter((s) => !s.startsWith(`${resource}/`));
    if (foreign.length > 0) return `advertise only scopes prefixed by its resource ${resource}/ (got ${foreign.join(", ")}): a scope of another resource fails with AADSTS9010010`;

    const validations = findAll(section(root, "inbound") ?? root, "validate-azure-ad-token");
    if (validations.length === 0) return "validate tokens with validate-azure-ad-token, so its tenant and audiences can be compared with the metadata";
    const servers = strings(metadata.authorization_servers) ?? [];
    for (const v of validations) {
        const tenant = v.attributes["tenant-id"];
        if (!tenant || isExpression(tenant)) return "pin validate-azure-ad-token to a literal tenant-id (cannot compare the authorization server otherwise)";
        if (sharedTenants.includes(tenant.toLowerCase())) return `validate tokens of its own tenant, not "${tenant}"`;
        const expected = `https://login.microsoftonline.com/${tenant.toLowerCase()}/v2.0`;
        if (servers.length !== 1 || servers[0].toLowerCase().replace(/\/+$/, "") !== expected) {
            return `name only the platform's tenant as authorization server (${expected}; got ${JSON.stringify(servers)})`;
        }
        const ownerIds = new Set(strings(owner.props.identifierUris));
        const audiences = findAll(v, "audience").map((a) => a.text ?? "");
        // A client id is unknown at preview time; at most one GUID (the owning app's) may stand beside its identifier URIs.
        const unexpected = audiences.filter((a) => !ownerIds.has(a) && !guid.test(a));
        if (unexpected.length > 0 || audiences.filter((a) => guid.test(a)).length > 1) {
            return `accept only the audiences of the app that owns ${resource} (its client id and identifier URIs; got ${audiences.join(", ")})`;
        }
        if (!audiences.some((a) => ownerIds.has(a) || guid.test(a))) return `accept the audience of the app that owns ${resource}`;
    }
    return undefined;
}

export const azureApimanagementApiEnforceSignInMetadata = stackPolicy({
    name: "azure-apimanagement-api-enforce-sign-in-metadata",
    description:
        "Every MCP API's RFC 9728 metadata names as resource an identifier URI of the Entra app whose tokens the gateway accepts, advertises only scopes " +
        "prefixed by it, and names only the platform's tenant as authorization server; the gateway accepts that app's audiences and nothing more. " +
        "Compared against: the stack's Entra applications and the API's validate-azure-ad-token.",
    controls: ["M1", "C2.1", "C7.2"],
    component: "gateway",
    severity: "high",
    remediationSteps:
        "Give each server's API app the identifier URI https://<edge host>/mcp/<server> (on a domain verified in the tenant), advertise " +
        "scopes_supported as <that URI>/<scope>, authorization_servers as https://login.microsoftonline.com/<tenant>/v2.0, and accept only the app's " +
        "client id and identifier URI as audiences; components/identity and components/gateway build exactly this.",
    validate: (resources, _args, must) => {
        const applications = resources.filter((r) => r.type === applicationType);
        for (const entry of mcpApiPolicies(resources)) {
            if (!entry.root) {
                must(entry.api, entry.problem!);
                continue;
            }
            const problem = signInProblem(entry.root, applications);
            if (problem) must(entry.api, problem);
        }
    },
});
