import type { JWTPayload } from "jose";
import { PolicyBench } from "./bench";
import { tenantId } from "./documents";
import { startLocalIssuer, LocalIssuer } from "./issuer";
import { userClaims } from "./mcp";

/**
 * The two local issuers of the end-to-end runs: the user's tokens (Entra v2 issuer of the bench
 * tenant; the bench's validate-azure-ad-token checks their signature with this key set) and the
 * gateway's managed-identity tokens (v1 issuer, as Entra issues app tokens for an API whose app
 * leaves accessTokenAcceptedVersion unset; the server checks them).
 */
export const gatewayIdentityObjectId = "77777777-6666-4555-8444-333333333333";

export interface LocalIdentities {
    readonly user: LocalIssuer;
    readonly gateway: LocalIssuer;
    /** A user access token: the bench's default user claims with `overrides`, signed by the user issuer. */
    userToken(overrides?: JWTPayload): Promise<string>;
    close(): Promise<void>;
}

export async function startLocalIdentities(): Promise<LocalIdentities> {
    const user = await startLocalIssuer(`https://login.microsoftonline.com/${tenantId}/v2.0`, "user-k1");
    const gateway = await startLocalIssuer(`https://sts.windows.net/${tenantId}/`, "mi-k1");
    return {
        user,
        gateway,
        userToken: (overrides = {}) => user.sign(userClaims(overrides as Record<string, unknown>) as JWTPayload),
        close: async () => {
            await user.close();
            await gateway.close();
        },
    };
}

/** Makes the bench check user signatures against the user issuer and mint managed-identity tokens with the gateway issuer. */
export function useLocalIdentities(bench: PolicyBench, ids: LocalIdentities): void {
    bench.signatureValid = (raw) => ids.user.verifies(raw);
    bench.managedIdentity = (resource, clientId) =>
        ids.gateway.sign({ aud: resource, appid: clientId, oid: gatewayIdentityObjectId, sub: gatewayIdentityObjectId, tid: tenantId, idtyp: "app", ver: "1.0" });
}
