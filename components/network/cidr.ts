import { Address4 } from "ip-address";

/**
 * Pure CIDR helpers for the network tier. The arithmetic is delegated to `ip-address`; this file
 * only decides the layout (which tier gets which block) and explains failures in config terms.
 */

/** One tier of the VNet and the prefix length it needs. */
export interface SubnetRequest {
    readonly name: string;
    readonly prefixLength: number;
}

export interface CidrRange {
    readonly cidr: string;
    readonly start: bigint;
    readonly end: bigint;
}

/** Parses an IPv4 CIDR; returns a reason instead of throwing so config validation can report every problem. */
export function parseCidr(cidr: string): CidrRange | { error: string } {
    if (typeof cidr !== "string" || !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) || !Address4.isValid(cidr)) {
        return { error: "expected an IPv4 CIDR such as 10.40.0.0/16" };
    }
    const address = new Address4(cidr);
    const start = address.startAddress();
    if (start.address !== address.addressMinusSuffix) {
        return { error: `host bits are set; the network is ${start.address}/${address.subnetMask}` };
    }
    return { cidr, start: start.bigInt(), end: address.endAddress().bigInt() };
}

export function rangesOverlap(a: CidrRange, b: CidrRange): boolean {
    return a.start <= b.end && b.start <= a.end;
}

export function rangeContains(outer: CidrRange, inner: CidrRange): boolean {
    return outer.start <= inner.start && inner.end <= outer.end;
}

/** Number of addresses in a block of the given prefix length. */
export function blockSize(prefixLength: number): bigint {
    return 1n << BigInt(32 - prefixLength);
}

/**
 * Carves one aligned block per request out of the address space, largest first so that alignment
 * never wastes space, in a deterministic order (same config, same subnets on every run).
 * Returns `undefined` when the space is too small.
 */
export function carveSubnets(
    addressSpace: readonly string[],
    requests: readonly SubnetRequest[],
): Record<string, string> | undefined {
    const spaces = addressSpace.map(parseCidr).filter((r): r is CidrRange => !("error" in r));
    const cursors = spaces.map((s) => s.start);
    const ordered = [...requests].sort((a, b) => a.prefixLength - b.prefixLength);
    const result: Record<string, string> = {};
    for (const request of ordered) {
        const size = blockSize(request.prefixLength);
        let placed = false;
        for (let i = 0; i < spaces.length && !placed; i++) {
            const aligned = ((cursors[i] + size - 1n) / size) * size;
            if (aligned + size - 1n <= spaces[i].end) {
                result[request.name] = `${Address4.fromBigInt(aligned).address}/${request.prefixLength}`;
                cursors[i] = aligned + size;
                placed = true;
            }
        }
        if (!placed) return undefined;
    }
    return result;
}

/** Total addresses the requests need; used to tell the user how big the space must be. */
export function requiredAddresses(requests: readonly SubnetRequest[]): bigint {
    return requests.reduce((sum, r) => sum + blockSize(r.prefixLength), 0n);
}

/** The smallest single prefix that could hold the requests (for the error message). */
export function smallestPrefixFor(requests: readonly SubnetRequest[]): number {
    const needed = requiredAddresses(requests);
    let prefix = 32;
    while (prefix > 0 && blockSize(prefix) < needed) prefix--;
    return prefix;
}

/** The n-th usable address of a subnet (Azure reserves the first four). */
export function hostAddress(cidr: string, n: number): string {
    const range = parseCidr(cidr);
    if ("error" in range) throw new Error(`${cidr}: ${range.error}`);
    return Address4.fromBigInt(range.start + 4n + BigInt(n)).address;
}
