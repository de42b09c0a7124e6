import type * as input from "@pulumi/azure-native/types/input";
import type { Inputs } from "./inputs";
import { resourceTypes } from "../contract/resourceTypes";

/** An app's container; init containers and a session pool's custom containers are read as the same shape (their fields are a subset). */
export type ContainerLike = Inputs<input.app.ContainerArgs>;

/** The containers that run code: an app's init and main containers, a session pool's custom containers. */
export function containersOf(type: string, props: Record<string, any>): ContainerLike[] {
    if (type === resourceTypes.app.ContainerAppsSessionPool) return props.customContainerTemplate?.containers ?? [];
    return [...(props.template?.initContainers ?? []), ...(props.template?.containers ?? [])];
}

/** Whether a session pool runs our image (custom container) rather than Microsoft's interpreter. */
export function runsCustomContainer(props: Record<string, any>): boolean {
    return props.containerType !== "PythonLTS";
}

/** `<name>.azurecr.io/<repository>@sha256:<64 hex>`: an Azure Container Registry image pinned by digest. */
export const digestPinnedAcrImage = /^([a-z0-9]{5,50})\.azurecr\.io\/[a-z0-9]+([._/-][a-z0-9]+)*@sha256:[0-9a-f]{64}$/;

/** The registry host of an image reference (the part before the first `/`). */
export function imageHost(image: string): string {
    return image.split("/")[0].toLowerCase();
}

/** Memory such as `1Gi`, `512Mi`, `2G` in GiB (G is counted as Gi: over-estimating keeps the cap safe); undefined when unparseable. */
export function memoryInGi(memory: unknown): number | undefined {
    if (typeof memory !== "string") return undefined;
    const match = /^(\d+(?:\.\d+)?)\s*(Gi|G|Gb|Mi|M|Mb)$/i.exec(memory.trim());
    if (!match) return undefined;
    const value = Number(match[1]);
    return match[2].toLowerCase().startsWith("g") ? value : value / 1024;
}

/** RFC 1918 ranges: the only sources an allow-list may name (the gateway subnet is one of them). */
const privateRanges: [number, number][] = [
    [ipv4ToInt("10.0.0.0"), 8],
    [ipv4ToInt("172.16.0.0"), 12],
    [ipv4ToInt("192.168.0.0"), 16],
];

/** Whether `cidr` (or a single address) lies inside an RFC 1918 range; false for anything unparseable. */
export function isPrivateCidr(cidr: unknown): boolean {
    if (typeof cidr !== "string") return false;
    const match = /^(\d{1,3}(?:\.\d{1,3}){3})(?:\/(\d{1,2}))?$/.exec(cidr.trim());
    if (!match) return false;
    const address = ipv4ToInt(match[1]);
    const prefix = match[2] === undefined ? 32 : Number(match[2]);
    if (Number.isNaN(address) || prefix > 32) return false;
    return privateRanges.some(([base, bits]) => prefix >= bits && (address >>> (32 - bits)) === (base >>> (32 - bits)));
}

function ipv4ToInt(address: string): number {
    const parts = address.split(".").map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return NaN;
    return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

/** A parsed IPv4 CIDR (a single address is a /32); undefined for anything unparseable. */
function parseCidr(cidr: unknown): { base: number; bits: number } | undefined {
    if (typeof cidr !== "string") return undefined;
    const match = /^(\d{1,3}(?:\.\d{1,3}){3})(?:\/(\d{1,2}))?$/.exec(cidr.trim());
    if (!match) return undefined;
    const base = ipv4ToInt(match[1]);
    const bits = match[2] === undefined ? 32 : Number(match[2]);
    return Number.isNaN(base) || bits > 32 ? undefined : { base, bits };
}

/** Whether every address of `inner` lies inside `outer`; false when either cannot be parsed (fail closed). */
export function cidrWithin(inner: unknown, outer: unknown): boolean {
    const a = parseCidr(inner);
    const b = parseCidr(outer);
    if (!a || !b || a.bits < b.bits) return false;
    const mask = b.bits === 0 ? 0 : (0xffffffff << (32 - b.bits)) >>> 0;
    return ((a.base & mask) >>> 0) === ((b.base & mask) >>> 0);
}

/** Environment variable names and values that carry a credential: such a value belongs in a Key Vault secret reference (C6.3). */
export const credentialEnvName = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|ACCOUNT_?KEY|PRIVATE_?KEY|CONNECTION_?STRING|CONN_?STR|SAS)/i;
export const credentialEnvValue = /(AccountKey=|SharedAccessKey=|SharedAccessSignature=|Password=|pwd=|-----BEGIN [A-Z ]*PRIVATE KEY|[?&]sig=)/i;
