import type { PolicyResource } from "@pulumi/policy";
import { platformOf } from "../contract/declaration";
import { resourceTypes } from "../contract/resourceTypes";

/**
 * Whether a stack deploys MCP services: it has the platform declaration, an API Management service
 * (the MCP gateway) or a Container App (an MCP server). The stack-wide monitoring demands (a
 * Sentinel workspace with the MCP detections, diagnostics on every capable resource) apply to such
 * stacks only, so a program that uses none of these services (a public example) gets no finding it
 * cannot fix, while an MCP stack without the platform component is still held to them.
 */
const mcpServiceTypes = [resourceTypes.apimanagement.ApiManagementService, resourceTypes.app.ContainerApp] as const;

export function deploysMcpServices(resources: readonly PolicyResource[]): boolean {
    return platformOf(resources) !== undefined || resources.some((r) => (mcpServiceTypes as readonly string[]).includes(r.type));
}
