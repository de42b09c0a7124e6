import { createNaming } from "../../components/shared/naming";
import type { PlacementArgs } from "../../components/shared/inputs";

/** The platform tags a component test passes, and expects on every taggable child. */
export const testTags = { workload: "mcp", environment: "test", "data-classification": "confidential", owner: "team@contoso.com" };

/**
 * Placement for component tests: a resource group, region, tags and naming of a `test` stack. The
 * tenant feeds the naming suffix; tests that assert names pass the one their expectations use.
 */
export function testPlacement(options: { tenantId?: string; subscriptionId?: string } = {}): PlacementArgs {
    return {
        resourceGroupName: "rg-mcp-test",
        location: "swedencentral",
        tags: testTags,
        naming: createNaming({ project: "mcp-platform", stack: "test", tenantId: options.tenantId ?? "00000000-0000-0000-0000-000000000000", location: "swedencentral", workload: "mcp" }),
        subscriptionId: options.subscriptionId ?? "11111111-1111-1111-1111-111111111111",
    };
}
