import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import type { PlatformConfig } from "../../stacks/config";
import { featureControls, featureNames } from "../../stacks/profiles";
import { createNaming, Naming, resourceName } from "./naming";
import { platformTags } from "./tags";
import { PlacementArgs } from "../shared/inputs";
import { McpMonitoring } from "../monitoring";

export interface McpPlatformArgs {
    /** The validated, profile-resolved stack config (see `stacks/config.ts`). */
    readonly config: PlatformConfig;
}

/**
 * The whole platform for one stack: composes every component and wires their outputs together.
 * Its registered inputs declare the profile and which optional controls are on (and why not), so
 * the policy pack can enforce an optional control exactly when the stack turned it on.
 */
export class McpPlatform extends pulumi.ComponentResource {
    public readonly resourceGroupName: pulumi.Output<string>;
    public readonly naming: Naming;

    constructor(name: string, args: McpPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        const { config } = args;
        super("mcp:platform:McpPlatform", name, platformDeclaration(config), opts);

        this.naming = createNaming(config);
        const tags = platformTags({
            workload: config.workload,
            environment: config.stack,
            dataClassification: config.dataClassification,
            owner: config.owner,
        });
        const clientConfig = authorization.getClientConfigOutput({ parent: this });

        const resourceGroup = new resources.ResourceGroup(
            `${name}-rg`,
            { resourceGroupName: resourceName(this.naming, "resourceGroup"), location: config.location, tags },
            { parent: this },
        );
        const placement: PlacementArgs = {
            resourceGroupName: resourceGroup.name,
            location: config.location,
            tags,
            naming: this.naming,
            subscriptionId: clientConfig.subscriptionId,
        };
        void placement;

        // Components are composed in dependency order; each block wires one component.
        // --- monitoring (MON: workspace, Sentinel, analytics and automation rules) ---
        const monitoring = new McpMonitoring(
            `${name}-monitoring`,
            { placement, retentionDays: config.monitoring.retentionDays, protect: config.protectStatefulResources },
            { parent: this },
        );
        void monitoring; // read by every component below (diagnostics: monitoring.diagnostics)
        // --- network (NET: VNet, subnets, NSGs, private DNS zones, DDoS plan) ---
        // --- keyvault (KV: Premium vault, HSM keys, secrets) ---
        // --- registry (SC: Premium registry, CMK) ---
        // --- identity (ID: Entra apps, service principals, platform identities, Conditional Access) ---
        // --- runtime (RT: Container Apps environment, sandbox) ---
        // --- workloads (RT: one Container App per MCP server) ---
        // --- safety (GW: Content Safety) ---
        // --- gateway (GW: API Management, policy fragments, MCP APIs) ---
        // --- edge (EDGE: Application Gateway WAF_v2) ---

        this.resourceGroupName = resourceGroup.name;
        this.registerOutputs({ resourceGroupName: this.resourceGroupName });
    }
}

/** What the platform declares about itself to the policy pack (inputs of the component resource). */
export function platformDeclaration(config: PlatformConfig) {
    return {
        profile: config.profile,
        protocolVersions: config.protocolVersions,
        servers: config.servers.map((s) => s.name),
        optionalControls: Object.fromEntries(
            featureNames.map((feature) => [
                feature,
                {
                    enabled: config.features[feature],
                    controls: featureControls[feature],
                    ...(config.features[feature] ? {} : { reason: config.featureReasons[feature] }),
                },
            ]),
        ),
    };
}
