/**
 * How the mock cloud answers invokes (`get*`, `list*` functions): with the shapes Azure, Entra ID
 * and Pulumi return, so a program that reads the result in an apply (`c.passwords![0].value!`)
 * runs on instead of throwing and silently losing every resource that depends on it. A function it
 * does not know gets a clearly marked placeholder (never its own inputs echoed back) and is
 * recorded, so a program that then fails can be told which invoke had no offline answer.
 */

/** What an invoke answer may need from the mock cloud. */
export interface InvokeContext {
    readonly subscriptionId: string;
    readonly tenantId: string;
    guid(seed: string): string;
    resourceGroupId(inputs: Record<string, any>): string;
    /** A resource the program registered, by type token and Azure name. */
    findResource(type: string, name: string): Record<string, any> | undefined;
}

/** Marks every made-up credential: recognisable in a report, never a usable value. */
const mockValue = (what: string) => `[mock:${what}]`;

/** The marker an unknown invoke answers with. */
export const unknownInvokeMarker = "__offlinePlanPlaceholder";

type Answer = (inputs: Record<string, any>, cloud: InvokeContext, token: string) => Record<string, any>;

function clientConfig(cloud: InvokeContext) {
    return {
        subscriptionId: cloud.subscriptionId,
        tenantId: cloud.tenantId,
        clientId: cloud.guid("deployer-client"),
        objectId: cloud.guid("deployer-object"),
    };
}

/** The shapes the Azure list-keys APIs share (key arrays, primary/secondary, key1/key2, connection strings). */
function keySet(token: string): Record<string, any> {
    const key = (name: string) => mockValue(`${token}:${name}`);
    return {
        keys: [
            { keyName: "key1", value: key("key1"), permissions: "Full" },
            { keyName: "key2", value: key("key2"), permissions: "Full" },
        ],
        key1: key("key1"),
        key2: key("key2"),
        primaryKey: key("primaryKey"),
        secondaryKey: key("secondaryKey"),
        primaryConnectionString: key("primaryConnectionString"),
        secondaryConnectionString: key("secondaryConnectionString"),
        primaryMasterKey: key("primaryMasterKey"),
        secondaryMasterKey: key("secondaryMasterKey"),
        primaryReadonlyMasterKey: key("primaryReadonlyMasterKey"),
        secondaryReadonlyMasterKey: key("secondaryReadonlyMasterKey"),
        keyName: "key1",
    };
}

const known: Record<string, Answer> = {
    "azure-native:authorization:getClientConfig": (_, cloud) => clientConfig(cloud),
    "azure-native:authorization:getClientToken": () => ({ token: mockValue("arm-access-token") }),
    "azuread:index/getClientConfig:getClientConfig": (_, cloud) => {
        const { clientId, objectId, tenantId } = clientConfig(cloud);
        return { clientId, objectId, tenantId, id: tenantId };
    },
    "azure:core/getClientConfig:getClientConfig": (_, cloud) => ({ ...clientConfig(cloud), id: cloud.subscriptionId }),
    "azure:core/getSubscription:getSubscription": (_, cloud) => ({
        id: `/subscriptions/${cloud.subscriptionId}`,
        subscriptionId: cloud.subscriptionId,
        tenantId: cloud.tenantId,
        displayName: "offline-plan-subscription",
        state: "Enabled",
    }),
    "azure-native:containerregistry:listRegistryCredentials": (inputs) => ({
        username: String(inputs.registryName ?? "registry"),
        passwords: [
            { name: "password", value: mockValue("registry-password") },
            { name: "password2", value: mockValue("registry-password2") },
        ],
    }),
    "azure-native:operationalinsights:getSharedKeys": () => ({
        primarySharedKey: mockValue("workspace-primary-shared-key"),
        secondarySharedKey: mockValue("workspace-secondary-shared-key"),
    }),
    "azure-native:app:listContainerAppSecrets": () => ({ value: [] }),
    "azure-native:app:getManagedEnvironmentAuthToken": () => ({ token: mockValue("environment-auth-token"), expires: "2099-01-01T00:00:00Z" }),
    "azure-native:web:listWebAppPublishingCredentials": (inputs) => ({
        publishingUserName: `$${inputs.name ?? "app"}`,
        publishingPassword: mockValue("publishing-password"),
        scmUri: `https://${inputs.name ?? "app"}.scm.azurewebsites.net`,
    }),
    "azure-native:storage:listStorageAccountSAS": () => ({ accountSasToken: mockValue("account-sas") }),
    "azure-native:storage:listStorageAccountServiceSAS": () => ({ serviceSasToken: mockValue("service-sas") }),
    "azure-native:keyvault:getSecret": (inputs, cloud) => ({
        id: `${cloud.resourceGroupId(inputs)}/providers/Microsoft.KeyVault/vaults/${inputs.vaultName}/secrets/${inputs.secretName}`,
        name: inputs.secretName,
        properties: { value: mockValue("key-vault-secret"), secretUri: `https://${inputs.vaultName}.vault.azure.net/secrets/${inputs.secretName}` },
    }),
};

/**
 * A lookup of an existing resource (`azure-native:<module>:get<Kind>` for a resource type
 * `azure-native:<module>:<Kind>`): the resource the program registered under that name when there
 * is one, otherwise a resource-shaped answer (id, name, location) built from the inputs.
 */
function resourceLookup(token: string, inputs: Record<string, any>, cloud: InvokeContext): Record<string, any> | undefined {
    const match = /^azure-native:([a-zA-Z0-9]+):get([A-Z][A-Za-z0-9]*)$/.exec(token);
    if (!match) return undefined;
    const [, module, kind] = match;
    const nameKey = Object.keys(inputs).filter((k) => k.endsWith("Name") && k !== "resourceGroupName").pop();
    const name = String((nameKey ? inputs[nameKey] : inputs.resourceGroupName) ?? kind.toLowerCase());
    const registered = cloud.findResource(`azure-native:${module}:${kind}`, name);
    if (registered) return registered;
    const id =
        kind === "ResourceGroup"
            ? cloud.resourceGroupId({ resourceGroupName: name })
            : `${cloud.resourceGroupId(inputs)}/providers/Microsoft.${module.charAt(0).toUpperCase() + module.slice(1)}/${kind.charAt(0).toLowerCase() + kind.slice(1)}s/${name}`;
    return { id, name, location: inputs.location ?? "westeurope", type: `Microsoft.${module}/${kind}`, properties: {}, tags: {} };
}

export interface InvokeAnswer {
    readonly result: Record<string, any>;
    /** False when the token has no offline answer: `result` is the marked placeholder. */
    readonly known: boolean;
}

export function answerInvoke(token: string, inputs: Record<string, any>, cloud: InvokeContext): InvokeAnswer {
    const answer = known[token];
    if (answer) return { result: answer(inputs, cloud, token), known: true };
    if (/^azure-native:[a-zA-Z0-9]+:list[A-Za-z0-9]*Keys$/.test(token)) return { result: keySet(token), known: true };
    const lookup = resourceLookup(token, inputs, cloud);
    if (lookup) return { result: lookup, known: true };
    return { result: { [unknownInvokeMarker]: `no offline answer for ${token}` }, known: false };
}
