import { auditFragment, bearerRequiredFragment, identityFragment, resourceMetadataFragment, toolAuthorizationFragment } from "./authFragments";
import { Fragment } from "./fragment";
import { envelopeFragment, originFragment, protocolVersionFragment } from "./requestFragments";
import { forwardFragment, onErrorFragment, securityHeadersFragment } from "./responseFragments";
import { manifestIntegrityFragment, promptShieldsFragment } from "./screeningFragments";
import { sessionBindFragment, sessionFragment } from "./sessionFragments";
import { FragmentSettings } from "./settings";

/**
 * The gateway's policy fragments, one file per concern: authFragments (RFC 9728, token identity,
 * tool authorisation, audit), requestFragments (Origin, envelope, protocol version), sessionFragments
 * (2025-11-25 session binding), screeningFragments (Prompt Shields, manifest integrity) and
 * responseFragments (forwarding, security headers, on-error).
 */
export type { Fragment } from "./fragment";
export { fragmentId, fragmentIds } from "./fragment";

/** Every fragment, built from the gateway-wide settings (pure; unit-tested by parsing the XML back). */
export function buildFragments(settings: FragmentSettings): Fragment[] {
    return [
        resourceMetadataFragment(),
        originFragment(settings),
        bearerRequiredFragment(),
        identityFragment(),
        envelopeFragment(settings),
        protocolVersionFragment(settings),
        sessionFragment(settings),
        toolAuthorizationFragment(),
        promptShieldsFragment(settings),
        auditFragment(),
        forwardFragment(settings),
        manifestIntegrityFragment(settings),
        sessionBindFragment(settings),
        securityHeadersFragment(),
        onErrorFragment(),
    ];
}
