import { createHash } from "node:crypto";

/**
 * One JSON line per request on stdout (Container Apps ships it to `ContainerAppConsoleLogs`):
 * correlation id, hashed user oid, JSON-RPC method, tool, outcome, status, duration. Never
 * arguments, results, tokens or session ids (C5.1, C5.3).
 */
export interface RequestRecord {
    correlationId: string;
    httpMethod: string;
    path: string;
    rpcMethod?: string;
    tool?: string;
    revision?: string;
    user?: string;
    outcome?: string;
    status?: number;
    durationMs?: number;
}

export type LogSink = (line: string) => void;

const stdoutSink: LogSink = (line) => process.stdout.write(line);

export interface Logger {
    request(record: RequestRecord): void;
    event(level: "info" | "warn" | "error", msg: string, fields?: Record<string, string | number | boolean | undefined>): void;
}

export function createLogger(sink: LogSink = stdoutSink): Logger {
    const write = (obj: Record<string, unknown>) => sink(`${JSON.stringify({ time: new Date().toISOString(), ...obj })}\n`);
    return {
        request: (record) => write({ level: "info", msg: "request", ...record }),
        event: (level, msg, fields) => write({ level, msg, ...fields }),
    };
}

/** First 16 hex of SHA-256 of the oid: joins one user's lines without storing the oid (C5.3). */
export function hashOid(oid: string): string {
    return createHash("sha256").update(`mcp-user:${oid.toLowerCase()}`).digest("hex").slice(0, 16);
}

/** An error's class and first message line for the log; never the stack to a client. */
export function describeError(err: unknown): { error: string; detail: string } {
    if (err instanceof Error) return { error: err.name, detail: (err.message.split("\n")[0] ?? "").slice(0, 300) };
    return { error: typeof err, detail: String(err).slice(0, 300) };
}
