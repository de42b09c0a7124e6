import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";

/**
 * A local token issuer for the reference server's tests, bench and manifest digest: RS256 keys generated here, the JWKS
 * served on loopback, and tokens shaped like the gateway's managed-identity token (a v1 Entra
 * token: `iss` sts.windows.net/<tenant>/, `aud` the backend app, `appid` the gateway identity).
 */
const tenantId = "11111111-2222-3333-4444-555555555555";
export const backendClientId = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
export const backendIdentifierUri = "api://mcp-docs-backend";
export const gatewayClientId = "99999999-8888-7777-6666-555555555555";
export const v1Issuer = `https://sts.windows.net/${tenantId}/`;
export const v2Issuer = `https://login.microsoftonline.com/${tenantId}/v2.0`;
export const userOid = "0f0f0f0f-1111-2222-3333-444444444444";

export interface LocalIssuer {
    readonly jwksUrl: string;
    /** A token as the gateway would present it; `overrides` change claims, `null` removes one. */
    token(overrides?: Record<string, unknown>, options?: { key?: "trusted" | "stranger"; kid?: string; alg?: string }): Promise<string>;
    /** How many times the JWKS was fetched (rotation tests). */
    readonly fetches: number;
    /** Adds a new signing key to the JWKS (key rotation) and makes it the one `token()` uses. */
    rotate(): Promise<void>;
    close(): Promise<void>;
}

interface Key {
    kid: string;
    privateKey: CryptoKey;
    publicJwk: JWK;
}

async function newKey(kid: string): Promise<Key> {
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
}

export async function startIssuer(): Promise<LocalIssuer> {
    const published: Key[] = [await newKey("key-1")];
    let signing = published[0];
    const stranger = await newKey("key-1");
    let fetches = 0;
    const server: Server = createServer((req, res) => {
        if (req.url === "/keys") {
            fetches++;
            res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ keys: published.map((k) => k.publicJwk) }));
        } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    return {
        jwksUrl: `http://127.0.0.1:${port}/keys`,
        get fetches() {
            return fetches;
        },
        async token(overrides = {}, options = {}) {
            const now = Math.floor(Date.now() / 1000);
            const claims: Record<string, unknown> = { iss: v1Issuer, aud: backendIdentifierUri, appid: gatewayClientId, oid: "77777777-0000-0000-0000-000000000001", iat: now, nbf: now, exp: now + 3600, ver: "1.0", ...overrides };
            for (const [k, v] of Object.entries(claims)) if (v === null) delete claims[k];
            const key = options.key === "stranger" ? stranger : signing;
            return new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? "RS256", kid: options.kid ?? key.kid, typ: "JWT" }).sign(key.privateKey);
        },
        async rotate() {
            const next = await newKey(`key-${published.length + 1}`);
            published.push(next);
            signing = next;
        },
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}

/** An unsigned (`alg: none`) token with otherwise valid claims. */
export function unsignedToken(): string {
    const now = Math.floor(Date.now() / 1000);
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    return `${enc({ alg: "none", typ: "JWT" })}.${enc({ iss: v1Issuer, aud: backendIdentifierUri, appid: gatewayClientId, iat: now, exp: now + 3600 })}.`;
}
