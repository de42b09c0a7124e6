import { getDomain } from "tldts";

/**
 * What a server may declare as egress: one exact DNS host name under a public suffix (the Public
 * Suffix List, private section included, through `tldts`). No wildcard, scheme, path, port or IP
 * address: the firewall rule allows exactly this name (C10.3, A2), and a name whose registrable
 * domain is a shared suffix (`*.blob.core.windows.net`, `azurewebsites.net`) would let a tool reach
 * any tenant's endpoint there.
 */
const labelPattern = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function isValidEgressHost(host: string): boolean {
    if (typeof host !== "string" || host.length === 0 || host.length > 253) return false;
    const labels = host.split(".");
    if (labels.length < 2 || !labels.every((l) => labelPattern.test(l))) return false;
    // The last label of a real public suffix is never all digits (that would be an IPv4 address).
    if (/^\d+$/.test(labels[labels.length - 1])) return false;
    return getDomain(host, { allowPrivateDomains: true }) !== null;
}

export const egressHostExpectation =
    "a lowercase DNS host name under a public suffix, such as api.contoso.com (no wildcard, scheme, path, port or IP address; not a shared suffix such as blob.core.windows.net)";
