import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        // Forks, not threads: the Pulumi SDK keeps engine state in process globals.
        pool: "forks",
        isolate: false,
        testTimeout: 60_000,
        hookTimeout: 60_000,
    },
});
