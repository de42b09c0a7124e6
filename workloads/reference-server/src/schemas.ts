import type { StandardSchemaWithJSON } from "@modelcontextprotocol/server";

/** The conversion options of Standard JSON Schema (the SDK exports the schema type, not this one). */
type JsonSchemaOptions = Parameters<StandardSchemaWithJSON["~standard"]["jsonSchema"]["input"]>[0];

/**
 * A tool input schema whose JSON Schema conversion is computed once per process. The SDK converts
 * each tool's schema once per server instance (`tools/list`, and the pre-dispatch header check of
 * every 2026-07-28 `tools/call`), and the 2026-07-28 entry builds one instance per request: the
 * conversion was 7 % of the server's CPU under load (tools/bench-server.ts profile). This goes
 * through the public Standard Schema interfaces (`~standard.validate`, `~standard.jsonSchema`),
 * not SDK internals; test/workloads/reference-server.test.ts checks the listed schemas.
 */
export function withCachedJsonSchema<Input, Output>(schema: StandardSchemaWithJSON<Input, Output>): StandardSchemaWithJSON<Input, Output> {
    const std = schema["~standard"];
    const cache = new Map<string, Record<string, unknown>>();
    const memo =
        (io: "input" | "output") =>
        (options: JsonSchemaOptions): Record<string, unknown> => {
            const key = `${io}:${String(options.target)}`;
            let json = cache.get(key);
            if (!json) {
                json = std.jsonSchema[io](options);
                cache.set(key, json);
            }
            // A copy per caller: the SDK may decorate what it receives.
            return structuredClone(json);
        };
    return {
        "~standard": {
            version: std.version,
            vendor: std.vendor,
            types: std.types,
            validate: (value) => std.validate(value),
            jsonSchema: { input: memo("input"), output: memo("output") },
        },
    };
}
