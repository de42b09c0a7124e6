import type { IncomingHttpHeaders } from "node:http";
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { ServerConfig } from "./config";

/**
 * Every hop authenticated (M1, A1): each request carries the gateway's managed-identity token
 * (API Management `authentication-managed-identity` with the backend app as resource). The end
 * user's identity arrives only in headers the gateway sets (A5), trusted only after the token
 * check passed.
 */

/** Headers the gateway sets after validating the user's token (components/gateway/policy/apiPolicy.ts). */
export const userHeaders = {
    /** The user's Entra object id. */
    oid: "x-mcp-user-oid",
    /** The user's app roles on this server's API app, comma-separated (the token's `roles` claim). */
    roles: "x-mcp-user-roles",
} as const;

/** The verified caller: who the gateway says the user is. */
export interface Caller {
    readonly userOid: string;
    readonly roles: ReadonlySet<string>;
}

export class AuthError extends Error {
    constructor(
        /** Logged, never sent: which check failed. */
        readonly reason: string,
    ) {
        super(reason);
    }
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const rolePattern = /^[A-Za-z0-9._-]{1,120}$/;
const maxRoles = 64;

export interface TokenVerifier {
    verify(headers: IncomingHttpHeaders): Promise<Caller>;
}

/**
 * jose's remote key set caches the tenant's keys, refetches on a `kid` it has not seen (Entra
 * rotates signing keys without notice) and rate-limits refetches (cooldown), so a forged `kid`
 * cannot make the server hammer the JWKS endpoint.
 */
export function createTokenVerifier(config: Pick<ServerConfig, "jwksUrl" | "jwksCooldownMs" | "issuers" | "audiences" | "allowedCallers">, keys?: JWTVerifyGetKey): TokenVerifier {
    const keySet = keys ?? createRemoteJWKSet(config.jwksUrl, { cacheMaxAge: 6 * 3600_000, cooldownDuration: config.jwksCooldownMs, timeoutDuration: 5_000 });
    const callers = new Set(config.allowedCallers.map((c) => c.toLowerCase()));
    // API Management reuses its managed-identity token until shortly before expiry, so nearly every
    // request carries a token already verified: remember verified tokens (never rejected ones)
    // until their own exp, bounded in number. Measured: RS256 verification was 7 % of server CPU.
    const verified = new Map<string, number>();
    const maxRemembered = 64;
    return {
        async verify(headers) {
            const authorization = headers.authorization;
            const match = typeof authorization === "string" ? /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization) : null;
            if (!match) throw new AuthError("no bearer token");
            const known = verified.get(match[1]);
            if (known !== undefined && known > Date.now() / 1000) return callerFromHeaders(headers);
            if (known !== undefined) verified.delete(match[1]);
            let payload;
            try {
                ({ payload } = await jwtVerify(match[1], keySet, {
                    issuer: [...config.issuers],
                    audience: [...config.audiences],
                    // Entra signs access tokens with RS256; `none` and HMAC are never accepted.
                    algorithms: ["RS256"],
                    requiredClaims: ["exp", "iat"],
                    clockTolerance: 60,
                }));
            } catch (err) {
                throw new AuthError(`token rejected: ${describeJoseError(err)}`);
            }
            // v1 tokens name the calling app in `appid`, v2 in `azp`; a managed identity also has its `oid`.
            const ids = [payload.appid, payload.azp, payload.oid].filter((v): v is string => typeof v === "string").map((v) => v.toLowerCase());
            if (!ids.some((id) => callers.has(id))) throw new AuthError("token is not the gateway's identity");
            const caller = callerFromHeaders(headers);
            if (verified.size >= maxRemembered) verified.delete(verified.keys().next().value!);
            verified.set(match[1], payload.exp!);
            return caller;
        },
    };
}

function describeJoseError(err: unknown): string {
    if (err instanceof errors.JWTClaimValidationFailed) return `claim ${err.claim} ${err.reason}`;
    if (err instanceof errors.JWTExpired) return "expired";
    if (err instanceof errors.JOSEError) return err.code;
    return "unreadable token";
}

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
    const value = headers[name];
    return Array.isArray(value) ? undefined : value;
}

/** The user's oid and roles from the gateway's headers; a malformed value is a rejection, not a guess. */
function callerFromHeaders(headers: IncomingHttpHeaders): Caller {
    const oid = single(headers, userHeaders.oid);
    if (!oid || !guidPattern.test(oid)) throw new AuthError(`missing or malformed ${userHeaders.oid}`);
    const raw = single(headers, userHeaders.roles) ?? "";
    const roles = raw
        .split(",")
        .map((r) => r.trim())
        .filter((r) => r.length > 0);
    if (roles.length > maxRoles || roles.some((r) => !rolePattern.test(r))) throw new AuthError(`malformed ${userHeaders.roles}`);
    return { userOid: oid.toLowerCase(), roles: new Set(roles) };
}
