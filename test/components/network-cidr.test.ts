import { describe, expect, it } from "vitest";
import {
    blockSize,
    carveSubnets,
    hostAddress,
    parseCidr,
    rangeContains,
    rangesOverlap,
    requiredAddresses,
    smallestPrefixFor,
    CidrRange,
} from "../../components/network/cidr";
import { subnetRequests, subnetTiers } from "../../components/network/layout";

const range = (cidr: string): CidrRange => {
    const parsed = parseCidr(cidr);
    if ("error" in parsed) throw new Error(parsed.error);
    return parsed;
};

describe("parseCidr", () => {
    it.each([
        ["10.40.0.0/16", 0x0a280000n, 0x0a28ffffn],
        ["192.168.1.0/24", 0xc0a80100n, 0xc0a801ffn],
        ["10.0.0.4/32", 0x0a000004n, 0x0a000004n],
    ])("reads %s as a range", (cidr, start, end) => {
        expect(parseCidr(cidr)).toEqual({ cidr, start, end });
    });

    it.each(["10.40.0.0", "10.40.0.0/33", "300.1.1.1/8", "fd00::/8", "", "10.40.0.0/16 "])("rejects %j as not an IPv4 CIDR", (cidr) => {
        expect(parseCidr(cidr)).toEqual({ error: "expected an IPv4 CIDR such as 10.40.0.0/16" });
    });

    it("rejects a CIDR with host bits set and names the network", () => {
        expect(parseCidr("10.40.1.0/16")).toEqual({ error: "host bits are set; the network is 10.40.0.0/16" });
    });
});

describe("range relations", () => {
    it.each([
        ["10.0.0.0/16", "10.0.255.0/24", true],
        ["10.0.0.0/24", "10.0.1.0/24", false],
        ["10.0.0.0/8", "10.200.0.0/16", true],
    ])("%s and %s overlap: %s", (a, b, expected) => {
        expect(rangesOverlap(range(a), range(b))).toBe(expected);
        expect(rangesOverlap(range(b), range(a))).toBe(expected);
    });

    it("contains a block inside it and not one that straddles its end", () => {
        expect(rangeContains(range("10.40.0.0/16"), range("10.40.4.0/24"))).toBe(true);
        expect(rangeContains(range("10.40.0.0/23"), range("10.40.0.0/22"))).toBe(false);
    });
});

describe("carveSubnets", () => {
    it("carves every tier of a /16 into aligned blocks, largest first, the same on every run", () => {
        const carved = carveSubnets(["10.40.0.0/16"], subnetRequests({ sandbox: true }));
        expect(carved).toEqual({
            runtime: "10.40.0.0/23",
            edge: "10.40.2.0/24",
            gateway: "10.40.3.0/24",
            privateEndpoints: "10.40.4.0/24",
            sandbox: "10.40.5.0/24",
        });
        expect(carveSubnets(["10.40.0.0/16"], subnetRequests({ sandbox: true }))).toEqual(carved);
    });

    it("gives each tier the size the layout asks for, inside the space, without overlaps", () => {
        const space = range("10.50.0.0/16");
        const carved = carveSubnets([space.cidr], subnetRequests({ sandbox: true }))!;
        const blocks = Object.entries(carved).map(([tier, cidr]) => ({ tier, block: range(cidr) }));
        for (const { tier, block } of blocks) {
            expect(rangeContains(space, block)).toBe(true);
            expect(block.end - block.start + 1n).toBe(blockSize(subnetTiers[tier as keyof typeof subnetTiers]));
        }
        for (let i = 0; i < blocks.length; i++) {
            for (let j = i + 1; j < blocks.length; j++) expect(rangesOverlap(blocks[i].block, blocks[j].block)).toBe(false);
        }
    });

    it("aligns a block after a smaller one to its own size", () => {
        expect(carveSubnets(["10.0.0.0/22"], [{ name: "a", prefixLength: 24 }, { name: "b", prefixLength: 23 }])).toEqual({
            b: "10.0.0.0/23",
            a: "10.0.2.0/24",
        });
    });

    it("spills into the next address space when the first is full", () => {
        expect(carveSubnets(["10.0.0.0/24", "10.1.0.0/23"], [{ name: "a", prefixLength: 24 }, { name: "b", prefixLength: 24 }])).toEqual({
            a: "10.0.0.0/24",
            b: "10.1.0.0/24",
        });
    });

    it("returns undefined when the space is too small (a /22 cannot hold the five tiers)", () => {
        expect(carveSubnets(["10.40.0.0/22"], subnetRequests({ sandbox: true }))).toBeUndefined();
    });

    it("fits the four tiers without sandbox into a /21", () => {
        expect(carveSubnets(["10.40.0.0/21"], subnetRequests({ sandbox: false }))).toBeDefined();
    });
});

describe("sizes and addresses", () => {
    it("adds up the addresses the tiers need and names the smallest prefix that holds them", () => {
        const requests = subnetRequests({ sandbox: false });
        expect(requiredAddresses(requests)).toBe(512n + 3n * 256n);
        expect(smallestPrefixFor(requests)).toBe(21);
    });

    it("hands out host addresses after the four Azure reserves", () => {
        expect(hostAddress("10.40.4.0/24", 0)).toBe("10.40.4.4");
        expect(hostAddress("10.40.4.0/24", 3)).toBe("10.40.4.7");
        expect(() => hostAddress("nonsense", 0)).toThrow("nonsense: expected an IPv4 CIDR");
    });
});

describe("subnetRequests", () => {
    it("asks for the sandbox tier only when dynamic sessions are on", () => {
        expect(subnetRequests({ sandbox: false }).map((r) => r.name)).toEqual(["edge", "gateway", "runtime", "privateEndpoints"]);
        expect(subnetRequests({ sandbox: true }).map((r) => r.name)).toContain("sandbox");
    });

    it("meets the service minimums: Application Gateway v2 /24, API Management /27, Container Apps workload profiles /27", () => {
        expect(subnetTiers.edge).toBeLessThanOrEqual(24);
        expect(subnetTiers.gateway).toBeLessThanOrEqual(27);
        expect(subnetTiers.runtime).toBeLessThanOrEqual(27);
    });
});
