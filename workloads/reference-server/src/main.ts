import { loadConfig } from "./config";
import { startServer } from "./http";
import { createLogger, describeError } from "./log";

/** Container entry point: config errors exit 2; SIGTERM drains (Container Apps sends it before a stop). */
async function main(): Promise<void> {
    const logger = createLogger();
    let config;
    try {
        config = loadConfig();
    } catch (err) {
        logger.event("error", "invalid configuration", describeError(err));
        process.exitCode = 2;
        return;
    }
    const running = await startServer({ config, logger });
    let stopping = false;
    const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.event("info", "shutting down", { signal });
        running.close(10_000).then(
            () => process.exit(0),
            () => process.exit(1),
        );
    };
    process.on("SIGTERM", () => stop("SIGTERM"));
    process.on("SIGINT", () => stop("SIGINT"));
}

process.on("uncaughtException", (err) => {
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: "error", msg: "uncaught exception", ...describeError(err) })}\n`);
    process.exit(1);
});

main().catch((err) => {
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: "error", msg: "startup failed", ...describeError(err) })}\n`);
    process.exit(1);
});
