import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { auth, extractWWWAuthenticateParams } from "@modelcontextprotocol/client";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findAll, parsePolicyXml } from "../../policy-pack/lib/apimXml";
import type { PlannedResource } from "../../tools/offline/types";
import { stackResources } from "../helpers/stacks";
import { BrowserlessProvider } from "./browserlessProvider";
import { startFakeEntra, type EntraApp, type FakeEntra } from "./fakeEntra";

/**
 * The MCP SDK client's own OAuth flow (SDK v2 `auth()`: discovery from the 401, RFC 9728 metadata,
 * authorization code + PKCE with the RFC 8707 `resource`) against what the dev stack deploys: the
 * API policy's metadata document and challenge, the API app's identifier URIs and scope, the
 * registered client's redirect URI. Entra is played by fakeEntra.ts (its rules and sources are
 * listed there); the gateway by a loopback server that serves the policy's own metadata and checks
 * the token as the policy's validate-azure-ad-token does (audiences and issuer from the XML).
 */

interface SignInSetup {
    readonly metadataUrl: string;
    readonly metadata: { resource: string; scopes_supported: string[]; authorization_servers: string[] };
    readonly audiences: string[];
    readonly apiApp: EntraApp;
    readonly client: { clientId: string; redirectUri: string };
    readonly tenantId: string;
}

function setupFrom(resources: readonly PlannedResource[]): SignInSetup {
    const policy = resources.find((r) => r.type === "azure-native:apimanagement:ApiPolicy" && String(r.inputs.apiId ?? r.name).includes("docs"))!;
    const root = parsePolicyXml(policy.inputs.value)!;
    const variable = (name: string) => findAll(root, "set-variable").find((e) => e.attributes.name === name)?.attributes.value ?? "";
    const metadata = JSON.parse(variable("mcpResourceMetadata"));
    const token = findAll(root, "validate-azure-ad-token")[0];
    const audiences = findAll(token, "audience").map((a) => a.text ?? "");
    const apps = resources.filter((r) => r.type === "azuread:index/application:Application");
    const api = apps.find((a) => (a.inputs.identifierUris ?? []).includes(metadata.resource))!;
    const scopes = (api.inputs.api?.oauth2PermissionScopes ?? []).map((s: { value: string }) => s.value);
    const clientApp = apps.find((a) => a.name.includes("vscode-internal"))!;
    return {
        metadataUrl: variable("mcpResourceMetadataUrl"),
        metadata,
        audiences,
        apiApp: { clientId: api.outputs!.clientId, identifierUris: api.inputs.identifierUris, scopes },
        client: { clientId: clientApp.outputs!.clientId, redirectUri: clientApp.inputs.publicClient.redirectUris[0] },
        tenantId: token.attributes["tenant-id"],
    };
}

describe("sign-in with the MCP SDK client (issue 17)", () => {
    let setup: SignInSetup;
    let entra: FakeEntra;
    let gateway: Server;
    let gatewayOrigin = "";
    let served: SignInSetup["metadata"];

    beforeAll(async () => {
        setup = setupFrom(await stackResources("dev"));
        served = setup.metadata;
        entra = await startFakeEntra(setup.tenantId, [setup.apiApp], [{ clientId: setup.client.clientId, redirectUris: [setup.client.redirectUri] }]);
        const jwks = createRemoteJWKSet(new URL(`${entra.origin}/${setup.tenantId}/discovery/v2.0/keys`));
        const metadataPath = new URL(setup.metadataUrl).pathname;
        gateway = createServer(async (req, res) => {
            if (req.method === "GET" && req.url === metadataPath) {
                res.writeHead(200, { "content-type": "application/json" });
                return res.end(JSON.stringify(served));
            }
            const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
            const challenge = `Bearer resource_metadata="${setup.metadataUrl}", scope="${served.scopes_supported[0]}"`;
            try {
                if (!bearer) throw new Error("no token");
                await jwtVerify(bearer, jwks, { issuer: `https://login.microsoftonline.com/${setup.tenantId}/v2.0`, audience: setup.audiences });
                res.writeHead(200, { "content-type": "application/json" });
                return res.end(JSON.stringify({ jsonrpc: "2.0", id: 1, result: { ok: true } }));
            } catch {
                res.writeHead(401, { "www-authenticate": challenge, "content-type": "application/json" });
                return res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32001, message: "Unauthorized" } }));
            }
        });
        await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
        gatewayOrigin = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
        await entra?.close();
        await new Promise<void>((resolve) => gateway?.close(() => resolve()));
    });

    /** The public hosts the client sees, answered on loopback. */
    const fetchFn = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
        const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
        const publicHost = new URL(setup.metadata.resource).origin;
        const target = url.origin === "https://login.microsoftonline.com" ? entra.origin : url.origin === publicHost ? gatewayOrigin : undefined;
        if (!target) throw new Error(`test fetch: no loopback stand-in for ${url.origin}`);
        return fetch(`${target}${url.pathname}${url.search}`, { ...init, redirect: "manual" });
    };

    async function signIn(): Promise<{ callback: URL; provider: BrowserlessProvider; serverUrl: string }> {
        const serverUrl = setup.metadata.resource;
        const first = await fetchFn(serverUrl, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize" }) });
        expect(first.status).toBe(401);
        const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(first);
        expect(resourceMetadataUrl?.toString()).toBe(setup.metadataUrl);
        const provider = new BrowserlessProvider(setup.client.clientId, setup.client.redirectUri);
        expect(await auth(provider, { serverUrl, resourceMetadataUrl, scope, fetchFn })).toBe("REDIRECT");
        // The browser: Entra answers the authorize request with a redirect back to the client.
        const authorize = await fetchFn(provider.authorizationUrl!);
        expect(authorize.status).toBe(302);
        return { callback: new URL(authorize.headers.get("location")!), provider, serverUrl };
    }

    it("discovers the metadata from the 401, signs in with PKCE and resource, and the gateway accepts the token", async () => {
        const { callback, provider, serverUrl } = await signIn();
        expect(provider.authorizationUrl!.searchParams.get("resource")).toBe(setup.metadata.resource);
        expect(provider.authorizationUrl!.searchParams.get("code_challenge_method")).toBe("S256");
        expect(callback.searchParams.get("error")).toBeNull();
        const code = callback.searchParams.get("code")!;
        expect(await auth(provider, { serverUrl, authorizationCode: code, resourceMetadataUrl: new URL(setup.metadataUrl), fetchFn })).toBe("AUTHORIZED");
        const call = await fetchFn(serverUrl, { method: "POST", headers: { authorization: `Bearer ${provider.tokens()!.access_token}` }, body: "{}" });
        expect(call.status).toBe(200);
    });

    it("fails with invalid_target on the old shape (an https resource with scopes of an api:// app)", async () => {
        const oldScope = `api://${setup.tenantId}/${setup.apiApp.identifierUris.find((u) => u.startsWith("api://"))?.split("/").pop() ?? "app-mcp-dev-docs-api"}/mcp.access`;
        const apiOnly: EntraApp = { ...setup.apiApp, identifierUris: [oldScope.replace(/\/mcp\.access$/, "")] };
        await entra.close();
        entra = await startFakeEntra(setup.tenantId, [apiOnly], [{ clientId: setup.client.clientId, redirectUris: [setup.client.redirectUri] }]);
        served = { ...setup.metadata, scopes_supported: [oldScope] };
        const { callback } = await signIn();
        expect(callback.searchParams.get("error")).toBe("invalid_target");
        expect(callback.searchParams.get("error_description")).toMatch(/AADSTS9010010/);
    });
});
