import { Client, StreamableHTTPClientTransport, UnauthorizedError } from "@modelcontextprotocol/client";
import { compactVerify, createLocalJWKSet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { securityEvents } from "../../policy-pack/contract/events";
import { supportedProtocolVersions, isStatelessRevision } from "../../policy-pack/contract/revisions";
import { resourceIdentifier } from "../../components/gateway/policy/apiPolicy";
import { referenceServerManifest } from "../../tools/server-manifest";
import { BrowserlessProvider } from "../identity/browserlessProvider";
import { startFakeEntra, type FakeEntra } from "../identity/fakeEntra";
import { tenantId, userClientId, variant } from "./support/documents";
import { LocalIdentities, startLocalIdentities } from "./support/identities";
import { gatewayInFront, GatewayInFront, ReferenceServer, referenceVariant, startReferenceServer } from "./support/reference";

/**
 * Issue 17's last test, through the gateway: the MCP SDK client's own OAuth flow (the 401's
 * RFC 9728 challenge, the metadata document the API policy serves, authorization code + PKCE with
 * the RFC 8707 `resource`) against the local Entra of test/identity/fakeEntra.ts (its rules and
 * sources are listed there), then the token it obtained through the loopback gateway — whose
 * validate-azure-ad-token model checks the signature with that Entra's key — to the reference server.
 */

const redirectUri = "http://127.0.0.1:33418/callback";

describe("sign-in through the gateway: SDK client OAuth flow → gateway (prod policies) → reference server", () => {
    let ids: LocalIdentities;
    let entra: FakeEntra;
    let server: ReferenceServer;
    let front: GatewayInFront;
    const resource = resourceIdentifier(variant("prod").server);

    beforeAll(async () => {
        ids = await startLocalIdentities();
        const { digest } = await referenceServerManifest();
        const prod = referenceVariant("prod", digest);
        entra = await startFakeEntra(
            tenantId,
            [{ clientId: prod.server.apiAppClientId, identifierUris: [prod.server.apiIdentifierUri], scopes: [prod.server.requiredScope], assignedRoles: ["Docs.Read"] }],
            [{ clientId: userClientId, redirectUris: [redirectUri] }],
        );
        server = await startReferenceServer(ids, prod);
        front = await gatewayInFront(prod, ids, server.url);
        // The tenant's signing keys, as validate-azure-ad-token reads them from Entra's metadata.
        const entraKeys = createLocalJWKSet({ keys: [entra.publicJwk] });
        front.bench.signatureValid = async (raw) => compactVerify(raw, entraKeys, { algorithms: ["RS256"] }).then(() => true, () => false);
    });
    afterAll(async () => {
        await front?.close();
        await server?.close();
        await entra?.close();
        await ids?.close();
    });

    /** The public hosts the client sees, answered on loopback. */
    const fetchFn = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
        const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
        const target = url.origin === "https://login.microsoftonline.com" ? entra.origin : url.origin === new URL(resource).origin ? front.gateway.origin : undefined;
        if (!target) throw new Error(`test fetch: no loopback stand-in for ${url.origin}`);
        return fetch(`${target}${url.pathname}${url.search}`, { ...init, redirect: "manual" });
    };

    for (const revision of supportedProtocolVersions) {
        it(`${revision}: discovers the metadata from the gateway's 401, signs in with PKCE and resource, then lists the server's tools through the gateway`, async () => {
            const options = isStatelessRevision(revision) ? { versionNegotiation: { mode: { pin: revision } } } : {};
            const provider = new BrowserlessProvider(userClientId, redirectUri, "e2e sign-in");
            const first = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider, fetch: fetchFn });
            await expect(new Client({ name: "e2e", version: "1" }, options).connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
            const authorize = provider.authorizationUrl!;
            expect(authorize.origin + authorize.pathname).toBe(`https://login.microsoftonline.com/${tenantId}/oauth2/v2.0/authorize`);
            expect(authorize.searchParams.get("resource")).toBe(resource);
            expect(authorize.searchParams.get("scope")).toContain(`${resource}/mcp.access`);
            expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
            // The browser: Entra answers with a redirect back to the client.
            const back = await fetchFn(authorize);
            expect(back.status).toBe(302);
            const callback = new URL(back.headers.get("location")!);
            expect(callback.searchParams.get("error")).toBeNull();
            await first.finishAuth(callback.searchParams.get("code")!);
            expect(provider.tokens()?.access_token).toBeTruthy();

            const from = front.gateway.exchanges.length;
            const client = new Client({ name: "e2e", version: "1" }, options);
            try {
                await client.connect(new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider, fetch: fetchFn }));
                expect((await client.listTools()).tools.map((t) => t.name)).toContain("search_docs");
            } finally {
                await client.close();
            }
            const seen = front.gateway.exchanges.slice(from);
            expect(seen.filter((x) => x.rpcMethod === "tools/list")).toMatchObject([{ status: 200, forwarded: true, events: [securityEvents.auditCall] }]);
            expect(front.gateway.errors).toEqual([]);
        });
    }
});
