import * as pulumi from "@pulumi/pulumi";
import type * as inputs from "@pulumi/azure-native/types/input";
import { resourceName } from "../shared/naming";
import { DiagnosticsArgs, PlacementArgs, RoleAssignmentArgs } from "../shared/inputs";
import { consumptionProfile, createInternalEnvironment } from "./environment";
import { createSandbox, SandboxLimits } from "./sandbox";

export interface McpRuntimeArgs {
    /** Resource group, region, tags and naming of every child. */
    readonly placement: PlacementArgs;
    /** The platform workspace: the environments' logs and metrics go there (C5.1, C10.4). */
    readonly diagnostics: DiagnosticsArgs;
    /** The runtime tier's subnet (delegated to `Microsoft.App/environments`); the environment's nodes and internal load balancer live there. */
    readonly subnetId: pulumi.Input<string>;
    /** The VNet the private DNS zone of the environment's default domain is linked to. */
    readonly vnetId: pulumi.Input<string>;
    /** Spread the environment across availability zones (prod). Defaults to false. */
    readonly zoneRedundant?: boolean;
    /**
     * An additional Dedicated workload profile for apps that need reserved capacity. Optional.
     * Defaults to none: every app runs on the Consumption profile.
     */
    readonly dedicatedProfile?: { readonly workloadProfileType: string; readonly minimumCount: number; readonly maximumCount: number };
    /**
     * The code-execution sandbox (C10.1, optional control `dynamicSessions`): a dynamic sessions pool
     * in its own internal environment on the sandbox subnet. Optional. Defaults to none: no pool exists.
     */
    readonly sandbox?: McpSandboxArgs;
}

export interface McpSandboxArgs extends SandboxLimits {
    /** The sandbox tier's subnet: sessions get their own environment, apart from the MCP servers (A2). */
    readonly subnetId: pulumi.Input<string>;
    /** Session image in the platform registry, `<repository>@sha256:<digest>` (C12.1). */
    readonly image: string;
    /** The platform registry: the pool's identity gets AcrPull on it. */
    readonly registry: { readonly id: pulumi.Input<string>; readonly loginServer: pulumi.Input<string> };
    /** Who may create and call sessions (e.g. `Azure ContainerApps Session Executor` for a server's identity). Defaults to nobody. */
    readonly roleAssignments?: readonly RoleAssignmentArgs[];
}

/**
 * The Container Apps runtime (C10.3, C3.2): an internal, VNet-integrated environment with
 * workload profiles and peer-traffic encryption, its logs in the platform workspace, the private
 * DNS for its default domain, and optionally the dynamic sessions sandbox (C10.1).
 */
export class McpRuntime extends pulumi.ComponentResource {
    public readonly environmentId: pulumi.Output<string>;
    public readonly environmentName: pulumi.Output<string>;
    public readonly defaultDomain: pulumi.Output<string>;
    public readonly staticIp: pulumi.Output<string>;
    /** The workload profile apps run on. */
    public readonly workloadProfileName: string = consumptionProfile.name;
    /** The sandbox pool's management endpoint, when the sandbox exists. */
    public readonly sandboxEndpoint?: pulumi.Output<string>;
    public readonly sandboxPoolId?: pulumi.Output<string>;

    constructor(name: string, args: McpRuntimeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mcp:runtime:McpRuntime", name, {}, opts);
        const { placement, diagnostics } = args;

        const { environment } = createInternalEnvironment(this, `${name}-cae`, placement, diagnostics, {
            environmentName: resourceName(placement.naming, "containerAppsEnvironment"),
            subnetId: args.subnetId,
            vnetId: args.vnetId,
            zoneRedundant: args.zoneRedundant ?? false,
            workloadProfiles: resolveWorkloadProfiles(args.dedicatedProfile),
        });

        if (args.sandbox) {
            const sandbox = createSandbox(this, `${name}-sandbox`, placement, diagnostics, {
                ...args.sandbox,
                vnetId: args.vnetId,
                zoneRedundant: args.zoneRedundant ?? false,
            });
            this.sandboxEndpoint = sandbox.pool.poolManagementEndpoint;
            this.sandboxPoolId = sandbox.pool.id;
        }

        this.environmentId = environment.id;
        this.environmentName = environment.name;
        this.defaultDomain = environment.defaultDomain;
        this.staticIp = environment.staticIp;
        this.registerOutputs({
            environmentId: this.environmentId,
            defaultDomain: this.defaultDomain,
            staticIp: this.staticIp,
            sandboxEndpoint: this.sandboxEndpoint,
        });
    }
}

/** Consumption always (apps scale to zero); a Dedicated profile only when asked for. */
export function resolveWorkloadProfiles(dedicated: McpRuntimeArgs["dedicatedProfile"]): inputs.app.WorkloadProfileArgs[] {
    return dedicated ? [{ ...consumptionProfile }, { name: "dedicated", ...dedicated }] : [{ ...consumptionProfile }];
}
