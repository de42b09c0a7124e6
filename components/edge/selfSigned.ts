import { checkPrimeSync, createHmac } from "node:crypto";
import * as forge from "node-forge";

/**
 * The dev listener certificate: a self-signed RSA certificate packed as the PFX (PKCS#12) that
 * Application Gateway reads from a Key Vault secret. Every byte is a pure function of a secret seed
 * and an issue date (both kept in Pulumi state by a `random.RandomPassword` and its keepers), and
 * of the host name, so `pulumi up` never rewrites the secret: a new certificate is issued only when
 * the seed is replaced (`pulumi up --replace` on it, the renewal runbook).
 *
 * Why RSA-2048 and not EC: node-forge (the maintained pure-JS PKI library) signs X.509 with RSA
 * only, and Node's own ECDSA signatures use a random nonce, which would make the certificate churn.
 * Why the primes are found here and not by forge: forge's seeded pure-JS search took 0.1–4 s
 * (median ~1 s, 1.3–1.9 s per offline plan); the same incremental search (forge's PRIMEINC idea)
 * with a small-prime sieve and OpenSSL's primality test (`crypto.checkPrimeSync`) takes 40–100 ms.
 * Results are also memoised per input within a process.
 */

const dayMs = 24 * 60 * 60 * 1000;

/** Today's date in UTC as `YYYY-MM-DD`: the issue date recorded with a new seed. */
export function issueDate(now: Date): string {
    return now.toISOString().slice(0, 10);
}

/**
 * Validity of a certificate issued on `issuedOn` (`YYYY-MM-DD`): from one day before (clock skew
 * between the gateway's instances and clients) for `lifetimeDays` after the issue date.
 */
export function certificateValidity(issuedOn: string, lifetimeDays: number): { notBefore: Date; notAfter: Date } {
    const issued = /^\d{4}-\d{2}-\d{2}$/.test(issuedOn) ? new Date(`${issuedOn}T00:00:00Z`) : new Date(NaN);
    if (Number.isNaN(issued.getTime())) throw new Error(`issuedOn: got ${JSON.stringify(issuedOn)}, expected a date as YYYY-MM-DD`);
    if (!Number.isInteger(lifetimeDays) || lifetimeDays < 1) throw new Error(`lifetimeDays: got ${lifetimeDays}, expected a whole number of days ≥ 1`);
    return { notBefore: new Date(issued.getTime() - dayMs), notAfter: new Date(issued.getTime() + lifetimeDays * dayMs) };
}

export interface SelfSignedPfxArgs {
    /** Secret seed (at least 32 characters); the same seed gives the same key and certificate. */
    readonly seed: string;
    /** DNS name the certificate is issued for (subject CN and the only SAN). */
    readonly hostname: string;
    readonly notBefore: Date;
    readonly notAfter: Date;
}

const cache = new Map<string, string>();

/**
 * Base64 PKCS#12 (key + certificate, empty password, as Key Vault stores certificates), memoised:
 * the deterministic RSA key search costs ~0.1 s and a program (or a test run) asks again per stack.
 */
export function selfSignedPfx(args: SelfSignedPfxArgs): string {
    const cacheKey = [args.seed, args.hostname, args.notBefore.toISOString(), args.notAfter.toISOString()].join("|");
    const cached = cache.get(cacheKey);
    if (cached) return cached;
    const pfx = generateSelfSignedPfx(args);
    cache.set(cacheKey, pfx);
    return pfx;
}

/** The same PKCS#12, computed every time: a pure function of seed, host name and validity. */
export function generateSelfSignedPfx(args: SelfSignedPfxArgs): string {
    if (args.seed.length < 32) throw new Error(`seed: got ${args.seed.length} characters, expected at least 32`);
    const keys = deterministicRsaKeyPair(seededBytes(args.seed, "rsa-key"));
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = serialNumber(seededBytes(args.seed, "serial").getBytesSync(16));
    cert.validity.notBefore = args.notBefore;
    cert.validity.notAfter = args.notAfter;
    const subject = [{ name: "commonName", value: args.hostname }];
    cert.setSubject(subject);
    cert.setIssuer(subject);
    cert.setExtensions([
        { name: "basicConstraints", cA: false, critical: true },
        { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
        { name: "extKeyUsage", serverAuth: true },
        { name: "subjectAltName", altNames: [{ type: 2, value: args.hostname }] },
        { name: "subjectKeyIdentifier" },
    ]);
    // RSASSA-PKCS1-v1_5 is deterministic: the same key and fields give the same signature.
    cert.sign(keys.privateKey, forge.md.sha256.create());

    // PKCS#12 salts and IVs come from forge's global generator; feed it the seeded one for this
    // synchronous call only, so the PFX bytes are reproducible too.
    const pfxDer = withRandomFrom(seededBytes(args.seed, "pfx"), () =>
        forge.asn1
            .toDer(
                forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], "", {
                    algorithm: "aes256",
                    friendlyName: args.hostname,
                    generateLocalKeyId: true,
                    count: 2048,
                }),
            )
            .getBytes(),
    );
    return forge.util.encode64(pfxDer);
}

const publicExponent = 65537n;
/** Odd primes below 5000: candidates divisible by one are skipped before the costlier test. */
const sievePrimes: number[] = [];
for (let n = 3; n < 5000; n += 2) if (sievePrimes.every((p) => p * p > n || n % p !== 0)) sievePrimes.push(n);

/**
 * An RSA-2048 key pair from a deterministic byte stream: two 1024-bit primes, each the first prime
 * at or after a random odd start with its top two bits set (so n has exactly 2048 bits), and with
 * p − 1 coprime to e. Assembled into forge's key objects with the standard CRT parameters.
 */
function deterministicRsaKeyPair(source: { getBytesSync(count: number): string }): forge.pki.rsa.KeyPair {
    const p = nextPrime(source, 1024);
    let q = nextPrime(source, 1024);
    while (q === p) q = nextPrime(source, 1024);
    const n = p * q;
    const d = modInverse(publicExponent, (p - 1n) * (q - 1n));
    const big = (v: bigint) => new forge.jsbn.BigInteger(v.toString(16), 16);
    const privateKey = forge.pki.setRsaPrivateKey(big(n), big(publicExponent), big(d), big(p), big(q), big(d % (p - 1n)), big(d % (q - 1n)), big(modInverse(q, p)));
    return { privateKey, publicKey: forge.pki.setRsaPublicKey(big(n), big(publicExponent)) };
}

function nextPrime(source: { getBytesSync(count: number): string }, bits: number): bigint {
    const bytes = Buffer.from(source.getBytesSync(bits / 8), "binary");
    bytes[0] |= 0xc0;
    bytes[bytes.length - 1] |= 1;
    const start = BigInt(`0x${bytes.toString("hex")}`);
    const residues = sievePrimes.map((sp) => Number(start % BigInt(sp)));
    for (let delta = 0; ; delta += 2) {
        if (!residues.every((r, i) => (r + delta) % sievePrimes[i] !== 0)) continue;
        const candidate = start + BigInt(delta);
        if ((candidate - 1n) % publicExponent !== 0n && checkPrimeSync(candidate)) return candidate;
    }
}

function modInverse(a: bigint, m: bigint): bigint {
    let [oldR, r] = [a % m, m];
    let [oldS, s] = [1n, 0n];
    while (r !== 0n) {
        const quotient = oldR / r;
        [oldR, r] = [r, oldR - quotient * r];
        [oldS, s] = [s, oldS - quotient * s];
    }
    if (oldR !== 1n) throw new Error("modInverse: arguments are not coprime");
    return ((oldS % m) + m) % m;
}

/** HMAC-SHA256 in counter mode over the seed: a deterministic byte stream per purpose. */
function seededBytes(seed: string, purpose: string): { getBytesSync(count: number): string } {
    let counter = 0;
    let pool = Buffer.alloc(0);
    return {
        getBytesSync(count: number): string {
            while (pool.length < count) {
                const block = createHmac("sha256", seed).update(`${purpose}/${counter++}`).digest();
                pool = Buffer.concat([pool, block]);
            }
            const out = pool.subarray(0, count);
            pool = pool.subarray(count);
            return out.toString("binary");
        },
    };
}

/** A positive serial (RFC 5280: at most 20 octets, non-negative) as hex. */
function serialNumber(bytes: string): string {
    const hex = forge.util.bytesToHex(bytes);
    return (parseInt(hex.slice(0, 2), 16) & 0x7f).toString(16).padStart(2, "0") + hex.slice(2);
}

function withRandomFrom<T>(source: { getBytesSync(count: number): string }, fn: () => T): T {
    const random = forge.random as unknown as { getBytes: (n: number) => string; getBytesSync: (n: number) => string };
    const saved = { getBytes: random.getBytes, getBytesSync: random.getBytesSync };
    random.getBytes = random.getBytesSync = (n: number) => source.getBytesSync(n);
    try {
        return fn();
    } finally {
        random.getBytes = saved.getBytes;
        random.getBytesSync = saved.getBytesSync;
    }
}
