// Bundles the server into one CommonJS file for the distroless image: no node_modules, no npm, no
// shell at runtime. The contract module (policy-pack/contract) is inlined with everything else.
import { build } from "esbuild";

await build({
    entryPoints: ["src/main.ts"],
    bundle: true,
    platform: "node",
    target: "node24",
    format: "cjs",
    outfile: "dist/server.cjs",
    legalComments: "external",
    logLevel: "warning",
});
