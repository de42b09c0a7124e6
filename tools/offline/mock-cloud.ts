import type * as pulumi from "@pulumi/pulumi";
import { v5 as uuidv5 } from "uuid";
import { hostAddress } from "../../components/network/cidr";
import { ArmContext, armResourceTypes, ArmTypeSpec } from "./arm-types";
import { answerInvoke, InvokeContext } from "./mock-invokes";

/**
 * A mock cloud for `pulumi.runtime.setMocks`: answers every registration with the id and outputs
 * Azure or Entra ID would give (ARM ids in the right shape, FQDNs, GUID client ids, private IPs in
 * the right subnet), deterministically, so plans and tests are stable run to run.
 */
export interface MockCloudOptions {
    readonly project: string;
    readonly stack: string;
    readonly subscriptionId?: string;
    readonly tenantId?: string;
    readonly location?: string;
}

const namespace = "0b8e5c1e-55e5-4a55-8f6b-9e4fdc0b7a10";

export class MockCloud implements pulumi.runtime.Mocks, ArmContext, InvokeContext {
    readonly subscriptionId: string;
    readonly tenantId: string;
    /** Outputs by Azure resource id, so a child can find its parent (a subnet's prefix, a vault's URI). */
    private readonly byId = new Map<string, Record<string, any>>();
    /** Outputs by type token and Azure name, for the `get<Kind>` lookups a program invokes. */
    private readonly byTypeAndName = new Map<string, Record<string, any>>();
    /** Invokes the mock had no answer for (answered with a marked placeholder), in call order. */
    readonly unknownInvokes: string[] = [];

    constructor(private readonly options: MockCloudOptions) {
        this.subscriptionId = options.subscriptionId ?? this.guid("subscription");
        this.tenantId = options.tenantId ?? this.guid("tenant");
    }

    /** A GUID derived from the stack and `seed`: the same on every run. */
    guid(seed: string): string {
        return uuidv5(`${this.options.project}/${this.options.stack}/${seed}`, namespace);
    }

    private readonly nextHost = new Map<string, number>();

    /**
     * The next free private address in a subnet the program created (Azure hands out the 5th
     * address first). Falls back to a documentation address when the subnet is unknown.
     */
    allocatePrivateIp(subnetId: string | undefined): string {
        const prefix: string | undefined = this.lookup(subnetId)?.addressPrefix;
        if (!prefix) return "192.0.2.10";
        const n = this.nextHost.get(prefix) ?? 0;
        this.nextHost.set(prefix, n + 1);
        return hostAddress(prefix, n);
    }

    lookup(id: string | undefined): Record<string, any> | undefined {
        return id ? this.byId.get(id.toLowerCase()) : undefined;
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, any> } {
        if (!args.custom) return { id: undefined, state: {} };
        if (args.type.startsWith("azuread:")) return this.entraResource(args);
        if (args.type.startsWith("random:")) return this.randomResource(args);
        const spec: ArmTypeSpec | undefined = armResourceTypes[args.type];
        const inputs = args.inputs;
        const azureName = String((spec?.nameInput && inputs[spec.nameInput]) ?? args.name);
        const id = spec ? spec.id(inputs, azureName, this) : this.genericId(args.type, inputs, azureName);
        const extra = spec?.outputs?.(inputs, azureName, id, this) ?? {};
        const state = { ...inputs, ...extra, id, name: azureName };
        this.byId.set(id.toLowerCase(), state);
        this.byTypeAndName.set(`${args.type}\u0000${azureName}`, state);
        return { id, state };
    }

    findResource(type: string, name: string): Record<string, any> | undefined {
        return this.byTypeAndName.get(`${type}\u0000${name}`);
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        const answer = answerInvoke(args.token, args.inputs, this);
        if (!answer.known && !this.unknownInvokes.includes(args.token)) this.unknownInvokes.push(args.token);
        return answer.result;
    }

    resourceGroupId(inputs: Record<string, any>): string {
        return `/subscriptions/${this.subscriptionId}/resourceGroups/${inputs.resourceGroupName ?? "rg-unknown"}`;
    }

    /** `/subscriptions/…/resourceGroups/…/providers/<Namespace>/<type>/<name>` for types without a spec. */
    private genericId(type: string, inputs: Record<string, any>, azureName: string): string {
        const [, module, kind] = type.split(":");
        const resourceType = kind.charAt(0).toLowerCase() + kind.slice(1) + (kind.endsWith("s") ? "" : "s");
        return `${this.resourceGroupId(inputs)}/providers/Microsoft.${module.charAt(0).toUpperCase() + module.slice(1)}/${resourceType}/${azureName}`;
    }

    private entraResource(args: pulumi.runtime.MockResourceArgs) {
        const objectId = this.guid(`${args.type}/${args.name}/object`);
        const state: Record<string, any> = { ...args.inputs, objectId };
        switch (args.type) {
            case "azuread:index/application:Application":
                state.clientId = this.guid(`${args.name}/client`);
                state.id = `/applications/${objectId}`;
                break;
            case "azuread:index/servicePrincipal:ServicePrincipal":
                state.id = `/servicePrincipals/${objectId}`;
                state.applicationTenantId = this.tenantId;
                break;
            case "azuread:index/group:Group":
                state.id = `/groups/${objectId}`;
                break;
            default:
                state.id = objectId;
        }
        return { id: state.id as string, state };
    }

    private randomResource(args: pulumi.runtime.MockResourceArgs) {
        const length = Number(args.inputs.length ?? 16);
        const result = this.guid(`${args.name}/random`).replace(/-/g, "").padEnd(length, "0").slice(0, length);
        return { id: `${args.name}-${result.slice(0, 8)}`, state: { ...args.inputs, result, hex: result, id: args.name } };
    }
}
