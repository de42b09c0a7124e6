import { readFileSync } from "node:fs";
import { manifestDigest, toolsOf } from "../components/gateway/policy/manifest";

/**
 * `npm run manifest-digest -- <tools.json>`: prints the digest the gateway compares each tools/list
 * result with (C9.2), for the server's `manifestDigest` config. The file may hold the tools array,
 * a `{ tools }` result or the whole JSON-RPC tools/list response.
 */
function main(argv: string[]): number {
    const file = argv[0];
    if (!file || argv.length > 1) {
        process.stderr.write("usage: npm run manifest-digest -- <tools.json>\n");
        return 2;
    }
    try {
        process.stdout.write(`${manifestDigest(toolsOf(JSON.parse(readFileSync(file, "utf8"))))}\n`);
        return 0;
    } catch (err) {
        process.stderr.write(`manifest-digest: ${file}: ${(err as Error).message}\n`);
        return 2;
    }
}

process.exitCode = main(process.argv.slice(2));
