import type { EntityMappingType } from "@pulumi/azure-native/types/enums/securityinsights";

/**
 * Identifiers of the entity types the rules map, with the KQL type each expects, from the Sentinel
 * entity reference (https://learn.microsoft.com/azure/sentinel/entities-reference). Every other
 * identifier is refused, so a mapping Sentinel would drop (or misread) fails at build time.
 * CloudApplication `AppId` is the integer id of the Defender for Cloud Apps app catalogue, not an
 * Entra client id (that is a GUID string: map it to `Name`).
 */
export const entityIdentifiers: Partial<Record<EntityMappingType, Readonly<Record<string, "string" | "int" | "bool">>>> = {
    Account: {
        Name: "string", FullName: "string", NTDomain: "string", DnsDomain: "string", UPNSuffix: "string", Sid: "string",
        AadTenantId: "string", AadUserId: "string", PUID: "string", IsDomainJoined: "bool", DisplayName: "string", ObjectGuid: "string",
    },
    IP: { Address: "string" },
    CloudApplication: { AppId: "int", Name: "string", InstanceName: "string" },
    DNS: { DomainName: "string" },
    AzureResource: { ResourceId: "string" },
    FileHash: { Algorithm: "string", Value: "string" },
    Host: { DnsDomain: "string", NTDomain: "string", HostName: "string", FullName: "string", NetBiosName: "string", AzureID: "string", OMSAgentID: "string", OSFamily: "string", OSVersion: "string", IsDomainJoined: "bool" },
    URL: { Url: "string" },
};

/** Sentinel's limits on one scheduled rule (https://learn.microsoft.com/azure/sentinel/scheduled-rules-overview). */
export const scheduledRuleLimits = {
    minFrequencyMinutes: 5,
    maxFrequencyMinutes: 14 * 24 * 60,
    maxLookbackMinutes: 14 * 24 * 60,
    minGroupingMinutes: 5,
    maxGroupingMinutes: 7 * 24 * 60,
    maxEntityMappings: 10,
    maxIdentifiersPerEntity: 3,
    maxCustomDetails: 20,
    maxQueryCharacters: 10_000,
} as const;
