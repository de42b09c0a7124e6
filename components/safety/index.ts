import * as pulumi from "@pulumi/pulumi";
import * as cognitiveservices from "@pulumi/azure-native/cognitiveservices";
import { createDiagnosticSetting } from "../shared/diagnostics";
import { DiagnosticsArgs, PlacementArgs, PrivateEndpointArgs, RoleAssignmentArgs } from "../shared/inputs";
import { createPrivateEndpoint } from "../shared/privateEndpoint";
import { assignRoles } from "../shared/roleAssignments";
import { resourceName } from "../shared/naming";

export interface McpContentSafetyArgs {
    /** Resource group, region, tags and naming of the account and its private endpoint. */
    readonly placement: PlacementArgs;
    /** Workspace that receives the account's audit and request logs and metrics (C5.1). */
    readonly diagnostics: DiagnosticsArgs;
    /**
     * Subnet and `privatelink.cognitiveservices.azure.com` zone of the private endpoint: the only
     * way to reach the account, since public network access is disabled (C1.3, C10.3).
     */
    readonly privateEndpoint: PrivateEndpointArgs;
    /**
     * Roles granted on this account alone, e.g. Cognitive Services User for the gateway identity
     * that calls Prompt Shields (C2.2, C10.2). Defaults to none: nobody can call the account.
     */
    readonly roleAssignments?: readonly RoleAssignmentArgs[];
    /** Pricing tier. Defaults to `S0` (F0 allows one account per subscription and throttles hard). */
    readonly sku?: "S0" | "F0";
}

/**
 * Azure AI Content Safety for Prompt Shields (C1.3, C9.1): an account reachable only through its
 * private endpoint and only with Entra ID tokens. Local (key) auth is off, so the gateway's
 * managed identity with Cognitive Services User on this account is the only caller.
 */
export class McpContentSafety extends pulumi.ComponentResource {
    /** ARM id of the account (scope of role assignments). */
    public readonly accountId: pulumi.Output<string>;
    /** `https://<custom subdomain>.cognitiveservices.azure.com/`, resolved privately inside the VNet. */
    public readonly endpoint: pulumi.Output<string>;

    constructor(name: string, args: McpContentSafetyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mcp:safety:McpContentSafety", name, {}, opts);
        const { placement } = args;
        const accountName = resourceName(placement.naming, "contentSafety");

        const account = new cognitiveservices.Account(
            `${name}-account`,
            {
                accountName,
                resourceGroupName: placement.resourceGroupName,
                location: placement.location,
                tags: placement.tags,
                kind: "ContentSafety",
                sku: { name: args.sku ?? "S0" },
                properties: {
                    // A custom subdomain is what Entra ID token auth and private endpoints need;
                    // the regional endpoint accepts keys only.
                    customSubDomainName: accountName,
                    disableLocalAuth: true,
                    publicNetworkAccess: cognitiveservices.PublicNetworkAccess.Disabled,
                    networkAcls: { defaultAction: cognitiveservices.NetworkRuleAction.Deny, ipRules: [], virtualNetworkRules: [] },
                    // Prompt Shields needs no outbound calls; an empty FQDN list blocks data egress.
                    restrictOutboundNetworkAccess: true,
                    allowedFqdnList: [],
                },
            },
            { parent: this },
        );

        createPrivateEndpoint(this, name, placement, args.privateEndpoint, { id: account.id, groupId: "account", qualifier: "cs" });
        createDiagnosticSetting(this, `${name}-account`, account.id, args.diagnostics);
        assignRoles(this, name, account.id, placement.subscriptionId, args.roleAssignments ?? []);

        this.accountId = account.id;
        this.endpoint = account.properties.apply((p) => p.endpoint);
        this.registerOutputs({ accountId: this.accountId, endpoint: this.endpoint });
    }
}
