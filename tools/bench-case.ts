import * as path from "node:path";

/** One case of `npm run bench`, in its own process; prints `{ "resources": n }` as its last line. */
async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const flag = (name: string) => {
        const i = args.indexOf(name);
        return i >= 0 ? args[i + 1] : undefined;
    };
    // The floor: what every case pays before any work.
    require("@pulumi/pulumi");
    require("../policy-pack/policies");
    if (args.includes("--floor")) {
        console.log(JSON.stringify({ resources: 0 }));
        return;
    }
    const { synthesize, evaluate } = require("./offline") as typeof import("./offline");
    const stack = flag("--stack") ?? "dev";
    const servers = flag("--servers");
    // Generated stacks replace the servers (and the dev client app, which names the dev server).
    const configOverrides = servers
        ? { "mcp-platform:servers": JSON.stringify(generatedServers(Number(servers))), "mcp-platform:clientApps": "[]" }
        : undefined;
    const { resources } = await synthesize({ stack, configOverrides, cwd: path.resolve(__dirname, "..") });
    const violations = await evaluate(resources, { stack });
    if (violations.some((v) => v.enforcementLevel === "mandatory")) {
        throw new Error(`bench stack is not compliant:\n${violations.map((v) => v.message).join("\n")}`);
    }
    console.log(JSON.stringify({ resources: resources.length }));
}

/** n valid servers, each with its own image digest and tools. */
export function generatedServers(n: number) {
    return Array.from({ length: n }, (_, i) => ({
        name: `srv${i}`,
        image: `mcp/srv${i}@sha256:${i.toString(16).padStart(64, "0")}`,
        cpu: 0.5,
        memory: "1Gi",
        minReplicas: 1,
        maxReplicas: 3,
        tools: { [`tool_${i}_read`]: "Tools.Read", [`tool_${i}_write`]: "Tools.Write" },
        rateLimits: { perUserPerMinute: 60, perSessionPerMinute: 30, perUserToolPerMinute: 20, perUserDailyQuota: 5000 },
        allowedClientAppIds: ["aebc6443-996d-45c2-90f0-388ff96faa56"],
        manifestDigest: `sha256:${(i + 1).toString(16).padStart(64, "0")}`,
    }));
}

if (require.main === module) {
    main().then(
        () => process.exit(0),
        (err) => {
            console.error(err);
            process.exit(1);
        },
    );
}
