import { EntityMappingType } from "@pulumi/azure-native/types/enums/securityinsights";
import { EntityMapping } from "./types";

/**
 * Entity mappings the rules share, with identifiers from the Sentinel entity reference
 * (https://learn.microsoft.com/azure/sentinel/entities-reference). CloudApplication is mapped by
 * `Name`: its `AppId` identifier is the integer id of the Defender for Cloud Apps catalogue, not an
 * Entra client id, so the client id goes in `Name` and in the custom details.
 */
export const ip: EntityMapping = { type: EntityMappingType.IP, fields: { Address: "ClientIp" } };
export const account: EntityMapping = { type: EntityMappingType.Account, fields: { AadUserId: "CallerObjectId" } };
export const clientApp: EntityMapping = { type: EntityMappingType.CloudApplication, fields: { Name: "ClientAppId" } };
/** The MCP server (the API the gateway fronts), as a cloud application by name. */
export const server: EntityMapping = { type: EntityMappingType.CloudApplication, fields: { Name: "Server" } };

/** A KQL string literal (JSON escaping is valid KQL for double-quoted strings). */
export function kqlString(value: string): string {
    return JSON.stringify(value);
}
