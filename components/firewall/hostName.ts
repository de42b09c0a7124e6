import { parse } from "tldts";

/**
 * What a server may declare as egress (`servers[].egress[].host`): one exact DNS host name
 * (RFC 1123 labels, lowercase) under a known public suffix of the Public Suffix List, private
 * section included, read through `tldts`. No wildcard, scheme, path, port or IP address: the
 * firewall rule allows exactly this name (C10.3, A2). A name that *is* a suffix
 * (`blob.core.windows.net`, `azurewebsites.net`, `co.uk`) is refused: allowing it would let a tool
 * reach every tenant's endpoint under it. A name under an unknown suffix (`api.internal`) is
 * refused too: the firewall resolves public names, and internal hosts are reached inside the VNet.
 */
const labelPattern = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function isValidEgressHost(host: unknown): boolean {
    if (typeof host !== "string" || host.length === 0 || host.length > 253) return false;
    const labels = host.split(".");
    if (labels.length < 2 || !labels.every((label) => labelPattern.test(label))) return false;
    const parsed = parse(host, { allowPrivateDomains: true });
    if (parsed.isIp || parsed.domain === null) return false;
    return parsed.isIcann === true || parsed.isPrivate === true;
}

export const egressHostExpectation =
    "a lowercase DNS host name under a public suffix, such as api.contoso.com (no wildcard, scheme, path, port or IP address; " +
    "not a shared suffix such as blob.core.windows.net)";
