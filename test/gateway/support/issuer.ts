import { createServer, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { compactVerify, createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JSONWebKeySet, type JWTPayload } from "jose";

/**
 * A local token issuer on loopback: an RS256 key pair (as test/identity/fakeEntra.ts signs its
 * access tokens) and its JWKS served over HTTP, so a verifier fetches keys the way it fetches
 * Entra's `discovery/v2.0/keys`. The end-to-end tests run two: one for the user's tokens (the
 * gateway's validate-azure-ad-token checks them) and one standing in for the gateway's managed
 * identity (the server checks those).
 */
export interface LocalIssuer {
    /** The `iss` it writes. */
    readonly issuer: string;
    readonly jwks: JSONWebKeySet;
    /** `http://127.0.0.1:<port>/keys`. */
    readonly jwksUrl: string;
    /** A signed JWT with these claims plus `iss`, `iat` and (unless given) `exp` one hour ahead. */
    sign(claims: JWTPayload): Promise<string>;
    /** Whether a compact JWT carries a valid RS256 signature by this issuer's key (claims are not checked). */
    verifies(raw: string): Promise<boolean>;
    close(): Promise<void>;
}

export async function startLocalIssuer(issuer: string, kid: string): Promise<LocalIssuer> {
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    const jwks: JSONWebKeySet = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" }] };
    const keySet = createLocalJWKSet(jwks);
    const server: Server = createServer((req, res) => {
        const found = req.method === "GET" && req.url === "/keys";
        res.writeHead(found ? 200 : 404, { "content-type": "application/json" });
        res.end(JSON.stringify(found ? jwks : { error: "not_found" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        issuer,
        jwks,
        jwksUrl: `http://127.0.0.1:${port}/keys`,
        async sign(claims) {
            const now = Math.floor(Date.now() / 1000);
            return new SignJWT({ exp: now + 3600, ...claims })
                .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
                .setIssuer(issuer)
                .setIssuedAt(now)
                .sign(privateKey as CryptoKey);
        },
        async verifies(raw) {
            try {
                await compactVerify(raw, keySet, { algorithms: ["RS256"] });
                return true;
            } catch {
                return false;
            }
        },
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}
