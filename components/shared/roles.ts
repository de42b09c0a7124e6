/**
 * Built-in Azure role definition GUIDs (stable across tenants). Workloads get the narrowest role
 * that works; the privileged ones are listed so the policy pack and tests can name them.
 */
export const builtInRoles = {
    acrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
    keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
    keyVaultCryptoUser: "12338af0-0e69-4776-bea7-57ae8d297424",
    keyVaultCryptoServiceEncryptionUser: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
    keyVaultCertificateUser: "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba",
    keyVaultSecretsOfficer: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
    cognitiveServicesUser: "a97b65f3-24c7-4388-baec-2e87135dc908",
    monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
    microsoftSentinelResponder: "3e150937-b8fe-4cfb-8069-0eaf05ecd056",
    // Privileged: never granted to a workload identity (C10.2).
    owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
    userAccessAdministrator: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    keyVaultAdministrator: "00482a5a-887f-4fb3-b363-3b7fe8e74483",
} as const;

export function roleDefinitionId(subscriptionId: string, roleGuid: string): string {
    return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
}
