import { auditFragment, bearerRequiredFragment, identityFragment, resourceMetadataFragment, toolAuthorizationFragment } from "./authFragments";
import { envelopeFragment, originFragment, protocolVersionFragment } from "./requestFragments";
import { forwardFragment, onErrorFragment, securityHeadersFragment } from "./responseFragments";
import { manifestIntegrityFragment, promptShieldsFragment } from "./screeningFragments";
import { sessionBindFragment, sessionFragment } from "./sessionFragments";
import { FragmentSettings, GatewayFragment } from "./settings";
import { XmlElement } from "./xml";

/**
 * The gateway's policy fragments, one file per concern: authFragments (RFC 9728, token identity,
 * tool authorisation, audit), requestFragments (Origin, envelope, protocol version), sessionFragments
 * (2025-11-25 session binding), screeningFragments (Prompt Shields, manifest integrity) and
 * responseFragments (forwarding, security headers, on-error). Each is a record
 * `{ id, description, build(settings) }`; the ids below are read from the records (one home).
 */
const byName = {
    resourceMetadata: resourceMetadataFragment,
    origin: originFragment,
    bearerRequired: bearerRequiredFragment,
    identity: identityFragment,
    envelope: envelopeFragment,
    protocolVersion: protocolVersionFragment,
    session: sessionFragment,
    toolAuthorization: toolAuthorizationFragment,
    promptShields: promptShieldsFragment,
    audit: auditFragment,
    forward: forwardFragment,
    manifestIntegrity: manifestIntegrityFragment,
    sessionBind: sessionBindFragment,
    securityHeaders: securityHeadersFragment,
    onError: onErrorFragment,
} as const satisfies Record<string, GatewayFragment>;

/** Every fragment, in the order the API policy includes them. */
export const gatewayFragments: readonly GatewayFragment[] = Object.values(byName);

/** Base fragment ids by section name (`fragmentIds.origin` is `mcp-origin`). */
export const fragmentIds = Object.fromEntries(Object.entries(byName).map(([k, f]) => [k, f.id])) as { readonly [K in keyof typeof byName]: string };

/** A built fragment: id, description and its `<fragment>` document. */
export interface Fragment {
    readonly id: string;
    readonly description: string;
    readonly root: XmlElement;
}

/** Every fragment built from the gateway-wide settings (pure; unit-tested by parsing the XML back). */
export function buildFragments(settings: FragmentSettings): Fragment[] {
    return gatewayFragments.map((f) => ({ id: f.id, description: f.description, root: f.build(settings) }));
}

/**
 * The deployed fragment id. The azure-native SDK cannot send a PolicyFragment's `id` input (the
 * Pulumi SDK strips inputs named `id`: pulumi/pulumi-azure-native#2664), so the fragment's Azure
 * name comes from autonaming of its logical name (`<component>-<base id>`, verbatim per Pulumi.yaml);
 * the API policy includes exactly that name.
 */
export function fragmentId(prefix: string, base: string): string {
    return prefix ? `${prefix}-${base}` : base;
}
