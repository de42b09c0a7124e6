import { createHash, randomUUID } from "node:crypto";
import { createServer, IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";

/**
 * A local authorization server that applies Microsoft Entra ID's documented v2.0 rules for the
 * authorization-code flow with PKCE, so the MCP SDK client's own OAuth flow can run against the
 * platform's metadata here. What it follows:
 * - v2.0 auth-code flow and PKCE: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 *   (redirect_uri must match a registered one exactly; public clients must send code_challenge S256).
 * - Scopes: https://learn.microsoft.com/entra/identity-platform/scopes-oidc — a scope is
 *   `<resource identifier URI>/<value>`; `openid`, `profile`, `email`, `offline_access` are OIDC scopes;
 *   one request names scopes of one resource only (AADSTS28000).
 * - v2.0 access tokens: https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference
 *   (`aud` is the resource app's client id, `iss` is https://login.microsoftonline.com/<tenant>/v2.0, `scp`).
 * - RFC 8707 `resource`: not on Learn's v2.0 pages; Entra has rejected, since early 2026, a `resource`
 *   that is not an identifier URI of the app owning the requested scopes with AADSTS9010010 (reported in
 *   microsoft/azure-devops-mcp#1601, microsoft/powerbi-modeling-mcp#68, geelen/mcp-remote#217).
 *   Answered here as RFC 8707's `invalid_target`.
 */

export interface EntraApp {
    readonly clientId: string;
    readonly identifierUris: readonly string[];
    readonly scopes: readonly string[];
    /**
     * App roles of this app assigned to the user who signs in: Entra writes them in the access
     * token's `roles` claim (https://learn.microsoft.com/entra/identity-platform/howto-add-app-roles-in-apps).
     */
    readonly assignedRoles?: readonly string[];
}
export interface EntraClient {
    readonly clientId: string;
    readonly redirectUris: readonly string[];
}
export interface FakeEntra {
    readonly origin: string;
    readonly tenantId: string;
    readonly issuer: string;
    readonly publicJwk: JWK;
    close(): Promise<void>;
}

const oidcScopes = new Set(["openid", "profile", "email", "offline_access"]);
const entraHost = "https://login.microsoftonline.com";

interface PendingCode {
    clientId: string;
    redirectUri: string;
    challenge: string;
    resource?: string;
    app: EntraApp;
    scopeValues: string[];
}

export async function startFakeEntra(tenantId: string, apps: readonly EntraApp[], clients: readonly EntraClient[]): Promise<FakeEntra> {
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    const publicJwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
    const issuer = `${entraHost}/${tenantId}/v2.0`;
    const codes = new Map<string, PendingCode>();

    const server: Server = createServer(async (req, res) => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const json = (status: number, body: unknown) => {
            res.writeHead(status, { "content-type": "application/json" });
            res.end(JSON.stringify(body));
        };
        if (url.pathname === `/${tenantId}/v2.0/.well-known/openid-configuration`) {
            // The fields of Entra's published v2.0 document (as quoted in Drenso/symfony-oidc#93 and
            // erlef/oidcc#376). Entra supports PKCE S256 but does NOT list code_challenge_methods_supported
            // (typescript-sdk#832, anthropics/claude-ai-mcp#786): kept absent, so the test sees what a client sees.
            return json(200, {
                issuer,
                authorization_endpoint: `${entraHost}/${tenantId}/oauth2/v2.0/authorize`,
                token_endpoint: `${entraHost}/${tenantId}/oauth2/v2.0/token`,
                jwks_uri: `${entraHost}/${tenantId}/discovery/v2.0/keys`,
                token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
                response_modes_supported: ["query", "fragment", "form_post"],
                subject_types_supported: ["pairwise"],
                id_token_signing_alg_values_supported: ["RS256"],
                response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
                scopes_supported: ["openid", "profile", "email", "offline_access"],
                request_uri_parameter_supported: false,
            });
        }
        if (url.pathname === `/${tenantId}/discovery/v2.0/keys`) return json(200, { keys: [publicJwk] });
        if (url.pathname === `/${tenantId}/oauth2/v2.0/authorize`) return authorize(url, res);
        if (url.pathname === `/${tenantId}/oauth2/v2.0/token` && req.method === "POST") return token(new URLSearchParams(await body(req)), json);
        return json(404, { error: "not_found" });
    });

    function authorize(url: URL, res: import("node:http").ServerResponse) {
        const p = url.searchParams;
        const client = clients.find((c) => c.clientId === p.get("client_id"));
        const redirectUri = p.get("redirect_uri") ?? "";
        // AADSTS700016 / AADSTS50011: unknown client or unregistered redirect URI — shown to the user, never redirected.
        if (!client) return plain(res, 400, "AADSTS700016: application not found in the directory");
        if (!client.redirectUris.includes(redirectUri)) return plain(res, 400, "AADSTS50011: the redirect URI does not match the registered ones");
        const fail = (error: string, description: string) => {
            const back = new URL(redirectUri);
            back.searchParams.set("error", error);
            back.searchParams.set("error_description", description);
            if (p.get("state")) back.searchParams.set("state", p.get("state")!);
            res.writeHead(302, { location: back.toString() });
            res.end();
        };
        if (p.get("response_type") !== "code") return fail("unsupported_response_type", "AADSTS70005: only code is supported");
        if (!p.get("code_challenge") || p.get("code_challenge_method") !== "S256") return fail("invalid_request", "AADSTS9002325: PKCE with S256 is required for public clients");
        const requested = (p.get("scope") ?? "").split(" ").filter((s) => s && !oidcScopes.has(s));
        const owners = new Set(requested.map((s) => apps.find((a) => a.identifierUris.some((u) => s.startsWith(`${u}/`)))));
        if (requested.length === 0 || owners.has(undefined)) return fail("invalid_scope", `AADSTS65005: scope ${requested.join(" ")} names no resource in the tenant`);
        if (owners.size > 1) return fail("invalid_scope", "AADSTS28000: scopes of more than one resource");
        const app = [...owners][0]!;
        const uri = app.identifierUris.find((u) => requested[0].startsWith(`${u}/`))!;
        const scopeValues = requested.map((s) => s.slice(uri.length + 1));
        const unknown = scopeValues.filter((v) => !app.scopes.includes(v));
        if (unknown.length > 0) return fail("invalid_scope", `AADSTS650053: scope ${unknown.join(" ")} does not exist on the resource`);
        const resource = p.get("resource") ?? undefined;
        if (resource !== undefined && !app.identifierUris.includes(resource.replace(/\/+$/, ""))) {
            return fail("invalid_target", "AADSTS9010010: The resource parameter provided in the request doesn't match with the requested scopes.");
        }
        const code = randomUUID();
        codes.set(code, { clientId: client.clientId, redirectUri, challenge: p.get("code_challenge")!, resource, app, scopeValues });
        const back = new URL(redirectUri);
        back.searchParams.set("code", code);
        if (p.get("state")) back.searchParams.set("state", p.get("state")!);
        res.writeHead(302, { location: back.toString() });
        res.end();
    }

    async function token(p: URLSearchParams, json: (status: number, body: unknown) => void) {
        const pending = codes.get(p.get("code") ?? "");
        codes.delete(p.get("code") ?? "");
        if (p.get("grant_type") !== "authorization_code" || !pending) return json(400, { error: "invalid_grant", error_description: "AADSTS70008: code expired or unknown" });
        if (p.get("client_id") !== pending.clientId || p.get("redirect_uri") !== pending.redirectUri) return json(400, { error: "invalid_grant", error_description: "AADSTS50148: client or redirect mismatch" });
        const verifier = p.get("code_verifier") ?? "";
        if (createHash("sha256").update(verifier).digest("base64url") !== pending.challenge) return json(400, { error: "invalid_grant", error_description: "AADSTS50148: PKCE verification failed" });
        const resource = p.get("resource") ?? undefined;
        if (resource !== undefined && !pending.app.identifierUris.includes(resource.replace(/\/+$/, ""))) {
            return json(400, { error: "invalid_target", error_description: "AADSTS9010010: The resource parameter provided in the request doesn't match with the requested scopes." });
        }
        const roles = pending.app.assignedRoles?.length ? { roles: [...pending.app.assignedRoles] } : {};
        const accessToken = await new SignJWT({ scp: pending.scopeValues.join(" "), azp: pending.clientId, tid: tenantId, oid: randomUUID(), ver: "2.0", ...roles })
            .setProtectedHeader({ alg: "RS256", kid: "k1", typ: "JWT" })
            .setIssuer(issuer)
            .setAudience(pending.app.clientId)
            .setIssuedAt()
            .setExpirationTime("1h")
            .sign(privateKey as CryptoKey);
        return json(200, { token_type: "Bearer", access_token: accessToken, expires_in: 3600, scope: pending.scopeValues.map((v) => `${pending.app.identifierUris[0]}/${v}`).join(" ") });
    }

    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        origin: `http://127.0.0.1:${port}`,
        tenantId,
        issuer,
        publicJwk,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}

function plain(res: import("node:http").ServerResponse, status: number, text: string) {
    res.writeHead(status, { "content-type": "text/plain" });
    res.end(text);
}

function body(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        let data = "";
        req.setEncoding("utf8");
        req.on("data", (chunk) => (data += chunk));
        req.on("end", () => resolve(data));
        req.on("error", reject);
    });
}
