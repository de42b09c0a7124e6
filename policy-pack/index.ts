import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

// The only file that constructs the PolicyPack: constructing it starts the engine's gRPC server,
// so tests and the offline plan import `./policies` instead.
new PolicyPack("mcp-platform", {
    description: "Rejects any Azure MCP deployment that misses a control of the MCP security catalogue.",
    enforcementLevel: "mandatory",
    policies,
});
