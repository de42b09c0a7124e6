import * as forge from "node-forge";

/** Test helper: reads a base64 PFX back (subject CN, SANs, validity, key size, key/certificate match). */
export function describePfx(pfxBase64: string): {
    commonName: string;
    altNames: string[];
    notBefore: Date;
    notAfter: Date;
    keyBits: number;
    serial: string;
    /** The private key signs what the certificate's public key verifies, and the certificate verifies itself. */
    keyMatchesCertificate: boolean;
} {
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.decode64(pfxBase64)), "");
    const certBag = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag]?.[0];
    const keyBag = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag]?.[0];
    if (!certBag?.cert || !keyBag?.key) throw new Error("PFX must hold one certificate and its private key");
    const cert = certBag.cert;
    const san = cert.getExtension("subjectAltName") as { altNames?: { value: string }[] } | undefined;
    return {
        commonName: String(cert.subject.getField("CN")?.value),
        altNames: (san?.altNames ?? []).map((n) => n.value),
        notBefore: cert.validity.notBefore,
        notAfter: cert.validity.notAfter,
        keyBits: (keyBag.key as forge.pki.rsa.PrivateKey).n.bitLength(),
        serial: cert.serialNumber,
        keyMatchesCertificate: signsFor(keyBag.key as forge.pki.rsa.PrivateKey, cert),
    };
}


function signsFor(key: forge.pki.rsa.PrivateKey, cert: forge.pki.Certificate): boolean {
    const digest = forge.md.sha256.create().update("edge listener key check");
    const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
    return publicKey.verify(digest.digest().bytes(), key.sign(digest)) && cert.verify(cert);
}

