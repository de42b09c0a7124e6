import type { FeatureName } from "../../policy-pack/contract/features";
import type { ProtocolVersion } from "../../policy-pack/contract/revisions";
import type { McpGatewayArgs, McpGatewayServerArgs } from "../gateway";
import type { GatewaySku } from "../gateway/service";
import type { McpIdentityClientAppArgs, McpIdentityServerArgs } from "../identity";
import type { ConditionalAccessState } from "../identity/conditionalAccess";
import type { ClientKind } from "../identity/clientPresets";
import type { SubnetTier } from "../network/layout";
import type { EgressDestination } from "../firewall/rules";
import type { SandboxLimits } from "../runtime/sandbox";
import type { McpWorkloadServer } from "../workload";

/**
 * One MCP server as the platform composes it: what the workload runs, what identity registers and
 * what the gateway enforces. The component owns this shape; `stacks/` maps validated config onto it.
 */
export interface McpPlatformServer
    extends McpWorkloadServer,
        McpIdentityServerArgs,
        Pick<McpGatewayServerArgs, "tools" | "manifestDigest" | "rateLimits"> {
    /** Client application ids allowed besides the platform's own client apps (M3). */
    readonly allowedClientAppIds: readonly string[];
    /** Hosts and ports the server may call through the egress firewall (C10.3, A2); none by default. */
    readonly egress: readonly EgressDestination[];
}

export interface McpPlatformClientApp extends McpIdentityClientAppArgs {
    readonly kind: ClientKind;
}

/** The code-execution sandbox image and limits (C10.1); used only when `dynamicSessions` is on. */
export interface McpPlatformSandbox extends SandboxLimits {
    readonly image: string;
}

/** Gateway settings shared by every MCP API, with the tier and publisher. */
export type McpPlatformGateway = McpGatewayArgs["policy"] & {
    readonly sku: GatewaySku;
    readonly capacity: number;
    /** Availability zones of the gateway (Premium only; units spread evenly across them). */
    readonly zones: readonly string[];
    readonly publisherEmail: string;
    readonly publisherName: string;
    readonly allowedOrigins: readonly string[];
};

/** The fully resolved platform config the composer consumes: every value already validated by the caller. */
export interface McpPlatformConfig {
    readonly project: string;
    readonly stack: string;
    readonly profile: "dev" | "prod";
    readonly location: string;
    readonly tenantId: string;
    readonly owner: string;
    readonly workload: string;
    readonly dataClassification: string;
    readonly addressSpace: readonly string[];
    readonly subnets: Readonly<Record<SubnetTier, string | undefined>>;
    readonly protocolVersions: readonly ProtocolVersion[];
    readonly servers: readonly McpPlatformServer[];
    readonly clientApps: readonly McpPlatformClientApp[];
    readonly features: Readonly<Record<FeatureName, boolean>>;
    /** Why each optional control that is off is off (declared to the pack; shown by the plan). */
    readonly featureReasons: Readonly<Partial<Record<FeatureName, string>>>;
    readonly gateway: Omit<McpPlatformGateway, "protocolVersions">;
    readonly edge: {
        readonly hostname: string;
        readonly certificateSecretId?: string;
        readonly zones: readonly string[];
        readonly minCapacity: number;
        readonly maxCapacity: number;
    };
    readonly monitoring: { readonly retentionDays: number };
    readonly runtime: { readonly zoneRedundant: boolean; readonly sandbox?: McpPlatformSandbox };
    readonly conditionalAccessState: ConditionalAccessState;
    /** `protect: true` on stateful resources that hold audit data or keys. */
    readonly protectStatefulResources: boolean;
}
