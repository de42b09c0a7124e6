import * as path from "node:path";
import { z } from "zod";

/**
 * The server's configuration, read once from the environment. The identity variables are the ones
 * the workload component sets on every Container App (components/workload/settings.ts
 * `identityEnv`): MCP_ACCEPTED_AUDIENCES, MCP_ISSUER, MCP_ALLOWED_CALLER. Nothing here turns a
 * check off: a missing identity variable is a startup error, not an open server.
 */
export interface ServerConfig {
    /** TCP port; the stack schema's default `servers[].port` is 8080. */
    readonly port: number;
    readonly host: string;
    /** Accepted `aud` values of the gateway's token: the backend app's client id and identifier URI (M1, C7.1). */
    readonly audiences: readonly string[];
    /** Accepted `iss` values: the platform tenant's v1 and v2 issuers. */
    readonly issuers: readonly string[];
    /** The gateway identity's client id (`appid`/`azp`) or object id (`oid`): the only caller accepted. */
    readonly allowedCallers: readonly string[];
    /** The tenant's signing keys. Defaults to the Entra v2 JWKS of the issuers' tenant. */
    readonly jwksUrl: URL;
    /** Least milliseconds between two JWKS refetches for an unknown `kid` (jose's cooldown). Defaults to 30 000. */
    readonly jwksCooldownMs: number;
    /** Origins (scheme://host[:port]) a request may carry in `Origin`; any other present Origin gets 403. Defaults to none. */
    readonly allowedOrigins: readonly string[];
    /** Largest request body in bytes (C9.4, C1.2). Defaults to 65 536. */
    readonly maxBodyBytes: number;
    /** Largest text a tool result carries, in characters (C1.4, C9.4). Defaults to 16 000. */
    readonly maxResultChars: number;
    /** Milliseconds a tool call may run before it is abandoned (C4.3). Defaults to 5 000. */
    readonly toolTimeoutMs: number;
    /** At most this many concurrent 2025-11-25 sessions per replica; the oldest idle one is evicted. Defaults to 1 000. */
    readonly maxSessions: number;
    /** A 2025-11-25 session idle this long is closed (C8.3). Defaults to 30 minutes. */
    readonly sessionIdleMs: number;
    /** The corpus: a folder of Markdown pages. Defaults to the repository's docs/ (the image sets /app/docs). */
    readonly docsDir: string;
}

const list = (value: string) =>
    value
        .split(",")
        .map((v) => v.trim())
        .filter((v) => v.length > 0);

const intFrom = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
    // 0 asks the OS for an ephemeral port (tests, the bench, manifest-digest).
    PORT: intFrom(0, 65535).default(8080),
    HOST: z.string().min(1).default("0.0.0.0"),
    MCP_ACCEPTED_AUDIENCES: z.string({ error: "the backend app's client id and identifier URI, comma-separated" }).transform(list).pipe(z.array(z.string()).min(1)),
    MCP_ISSUER: z.string({ error: "the accepted token issuers, comma-separated" }).transform(list).pipe(z.array(z.url()).min(1)),
    MCP_ALLOWED_CALLER: z.string({ error: "the gateway identity's client id or object id" }).transform(list).pipe(z.array(z.string()).min(1)),
    MCP_JWKS_URL: z.url().optional(),
    MCP_JWKS_COOLDOWN_MS: intFrom(100, 600_000).default(30_000),
    MCP_ALLOWED_ORIGINS: z.string().default("").transform(list),
    MCP_MAX_BODY_BYTES: intFrom(1024, 4 * 1024 * 1024).default(65_536),
    MCP_MAX_RESULT_CHARS: intFrom(1000, 1_000_000).default(16_000),
    MCP_TOOL_TIMEOUT_MS: intFrom(100, 120_000).default(5_000),
    MCP_MAX_SESSIONS: intFrom(1, 100_000).default(1_000),
    MCP_SESSION_IDLE_MS: intFrom(1_000, 24 * 3600_000).default(30 * 60_000),
    MCP_DOCS_DIR: z.string().min(1).optional(),
});

/** The Entra tenant id inside an issuer URL (v1 `sts.windows.net/<t>/` or v2 `login.microsoftonline.com/<t>/v2.0`). */
function tenantOfIssuer(issuer: string): string | undefined {
    return /^https:\/\/(?:sts\.windows\.net|login\.microsoftonline\.com)\/([0-9a-f-]{36})\//.exec(issuer)?.[1];
}

/** http:// is accepted only on loopback (local tests); a deployed server fetches keys over TLS. */
function isAcceptableJwksUrl(url: URL): boolean {
    return url.protocol === "https:" || (url.protocol === "http:" && ["127.0.0.1", "[::1]", "localhost"].includes(url.hostname));
}

/** Throws one error naming every bad key (`KEY: got X, expected Y`). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
    const parsed = envSchema.safeParse(env);
    if (!parsed.success) {
        const lines = parsed.error.issues.map((i) => `${i.path.join(".")}: got ${JSON.stringify(env[String(i.path[0])] ?? null)}, expected ${i.message}`);
        throw new Error(`invalid environment: ${lines.join("; ")}`);
    }
    const e = parsed.data;
    const tenant = e.MCP_ISSUER.map(tenantOfIssuer).find((t) => t !== undefined);
    const jwks = e.MCP_JWKS_URL ?? (tenant ? `https://login.microsoftonline.com/${tenant}/discovery/v2.0/keys` : undefined);
    if (!jwks) throw new Error("invalid environment: MCP_JWKS_URL: got none and no Entra issuer to derive it from, expected the tenant's JWKS URL");
    const jwksUrl = new URL(jwks);
    if (!isAcceptableJwksUrl(jwksUrl)) throw new Error(`invalid environment: MCP_JWKS_URL: got ${jwks}, expected an https URL (http only on loopback)`);
    return {
        port: e.PORT,
        host: e.HOST,
        audiences: e.MCP_ACCEPTED_AUDIENCES,
        issuers: e.MCP_ISSUER,
        allowedCallers: e.MCP_ALLOWED_CALLER,
        jwksUrl,
        jwksCooldownMs: e.MCP_JWKS_COOLDOWN_MS,
        allowedOrigins: e.MCP_ALLOWED_ORIGINS,
        maxBodyBytes: e.MCP_MAX_BODY_BYTES,
        maxResultChars: e.MCP_MAX_RESULT_CHARS,
        toolTimeoutMs: e.MCP_TOOL_TIMEOUT_MS,
        maxSessions: e.MCP_MAX_SESSIONS,
        sessionIdleMs: e.MCP_SESSION_IDLE_MS,
        docsDir: e.MCP_DOCS_DIR ?? defaultDocsDir(),
    };
}

/** From source (tsx) the corpus is the repository's docs/; the bundled image sets MCP_DOCS_DIR. */
function defaultDocsDir(): string {
    return path.resolve(__dirname, "..", "..", "..", "docs");
}
