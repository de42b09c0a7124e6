import type { PolicyResource } from "@pulumi/policy";
import { findAll, PolicyElement } from "./apimXml";
import { literal } from "./mcpApis";

/**
 * The values a token validation element (validate-azure-ad-token, validate-jwt) of an MCP API must
 * carry, each compared with the stack or the declaration (M1, M2, M3, C7.2, C7.3). Used by the
 * token-validation policy (policies/gateway/mcpApiAccess.ts).
 */
/** C7.3: the token must carry the server's scope (`scp`) or one of its app roles (`roles`), listed as literals. */
const requiresScopeOrRole = (validation: PolicyElement) =>
    findAll(validation, "claim").some((c) => ["scp", "roles"].includes(c.attributes.name ?? "") && findAll(c, "value").some((v) => literal(v.text)));
const requiredClaimsState = "require the server's scope or app roles (required-claims with a literal scp or roles value)";

export const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Entra's multi-tenant aliases: an MCP API of one organisation validates tokens of its own tenant only. */
export const sharedTenants = ["common", "organizations", "consumers"];
/** Largest clock skew (seconds) validate-jwt may allow: secure default, Entra's own tolerance is 5 minutes. */
export const maxClockSkewSeconds = 300;
const applicationType = "azuread:index/application:Application";

/** Identifier URIs of the stack's Entra applications: the only non-GUID audiences a token may be issued for. */
export function identifierUris(resources: readonly PolicyResource[]): Set<string> {
    return new Set(resources.filter((r) => r.type === applicationType).flatMap((a) => (Array.isArray(a.props.identifierUris) ? a.props.identifierUris.map(String) : [])));
}

/** What every validation element shares: the token comes from Authorization only and a failure answers 401. */
export function tokenSourceProblem(v: PolicyElement): string | undefined {
    const header = v.attributes["header-name"];
    if (header !== undefined && header.toLowerCase() !== "authorization") return `take the token from the Authorization header only (header-name is ${JSON.stringify(header)})`;
    if (v.attributes["query-parameter-name"] !== undefined || v.attributes["token-value"] !== undefined) {
        return "take the token from the Authorization header only (no query-parameter-name or token-value)";
    }
    const code = v.attributes["failed-validation-httpcode"];
    if (code !== undefined && code !== "401") return `answer a failed validation with 401 (failed-validation-httpcode is ${JSON.stringify(code)})`;
    return undefined;
}

/** Every required claim lists at least one value and every value is a non-empty literal (C7.3). */
export function claimsProblem(v: PolicyElement): string | undefined {
    for (const claim of findAll(v, "claim")) {
        const values = findAll(claim, "value");
        if (values.length === 0 || !values.every((x) => literal(x.text))) {
            return `require non-empty literal values for the claim ${claim.attributes.name ?? "(unnamed)"} (an empty or computed value admits any token)`;
        }
    }
    return requiresScopeOrRole(v) ? undefined : requiredClaimsState;
}

/** The audiences: literal, at most one client id (GUID), every other one an identifier URI of the stack's apps (M1, C7.2). */
export function audiencesProblem(v: PolicyElement, known: ReadonlySet<string>): string | undefined {
    const audiences = findAll(v, "audience").map((a) => a.text);
    if (audiences.length === 0 || !audiences.every(literal)) return "pin the token audience to literal values (the server's client id and identifier URI)";
    if (audiences.filter((a) => guid.test(a)).length > 1) return `accept one client-id audience only (got ${audiences.filter((a) => guid.test(a)).join(", ")})`;
    const foreign = audiences.filter((a) => !guid.test(a) && !known.has(a));
    if (foreign.length > 0) return `accept only the server app's own audiences (not ${foreign.join(", ")}: no Entra application of this stack has that identifier URI)`;
    return undefined;
}

/** The client allow-list: literal application ids, equal to the declared list when the declaration has one (M3). */
export function clientsProblem(clients: readonly string[], declared: readonly string[] | undefined): string | undefined {
    if (clients.length === 0 || !clients.every((c) => literal(c) && guid.test(c.trim()))) {
        return `restrict client-application-ids to a literal allow-list of application ids (got ${clients.join(", ") || "none"})`;
    }
    if (declared) {
        const extra = clients.filter((c) => !declared.includes(c.trim()));
        if (extra.length > 0) return `admit only the declared client applications (${declared.join(", ")}; not ${extra.join(", ")})`;
    }
    return undefined;
}

