import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PkiError } from './errors.ts';
import { OID } from './oids.ts';
import { bytes, concatBytes, toArrayBuffer, type Bytes } from './bytes.ts';

/** The allow-listed digest algorithms (WebCrypto names). SHA-1 is never used to sign. */
export type DigestAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512';
export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['SHA-256', 'SHA-384', 'SHA-512'];

const DIGEST_OID: Record<DigestAlgorithm, string> = {
  'SHA-256': OID.sha256,
  'SHA-384': OID.sha384,
  'SHA-512': OID.sha512
};
const DIGEST_LENGTH: Record<DigestAlgorithm, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

/**
 * The allow-listed signature schemes of a key (the hash is chosen per signature):
 * RSASSA-PKCS1-v1_5 and RSASSA-PSS (RFC 8017; PSS with MGF1 over the same hash and salt = hash length,
 * RFC 4055 §3.1), ECDSA on P-256 / P-384 (RFC 5480, RFC 5758 §3.2).
 */
export type SignatureScheme =
  | { readonly name: 'RSASSA-PKCS1-v1_5'; readonly modulusLength: number }
  | { readonly name: 'RSA-PSS'; readonly modulusLength: number }
  | { readonly name: 'ECDSA'; readonly namedCurve: 'P-256' | 'P-384' };

export const MIN_RSA_BITS = 2048;

export function isDigestAlgorithm(value: unknown): value is DigestAlgorithm {
  return typeof value === 'string' && (DIGEST_ALGORITHMS as readonly string[]).includes(value);
}

export function digestOid(hash: DigestAlgorithm): string {
  if (!isDigestAlgorithm(hash))
    throw new PkiError('PKI_ALGORITHM_NOT_ALLOWED', `digest ${String(hash)} is not allowed`);
  return DIGEST_OID[hash];
}

export function digestLength(hash: DigestAlgorithm): number {
  return DIGEST_LENGTH[hash];
}

/** The allow-listed digest for `oid`; throws `PKI_ALGORITHM_NOT_ALLOWED` for anything else (SHA-1 included). */
export function digestFromOid(oid: string): DigestAlgorithm {
  const found = DIGEST_ALGORITHMS.find((h) => DIGEST_OID[h] === oid);
  if (!found) throw new PkiError('PKI_ALGORITHM_NOT_ALLOWED', `digest algorithm ${oid} is not allowed`);
  return found;
}

/**
 * Digest used only to *identify* an object (OCSP CertID, ESS signing-certificate v1): SHA-1 is accepted
 * here because it protects nothing (RFC 6960 §4.1.1 CertID, RFC 2634 §5.4 ESSCertID).
 */
export type IdentifierDigest = DigestAlgorithm | 'SHA-1';
export function identifierDigestFromOid(oid: string): IdentifierDigest {
  return oid === OID.sha1 ? 'SHA-1' : digestFromOid(oid);
}

export async function digest(
  hash: IdentifierDigest,
  data: Uint8Array,
  crypto: Crypto = globalThis.crypto
): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.digest(hash, toArrayBuffer(data)));
}

/** AlgorithmIdentifier for a digest, parameters absent (RFC 5754 §2). */
export function digestAlgorithmIdentifier(hash: IdentifierDigest): pkijs.AlgorithmIdentifier {
  return new pkijs.AlgorithmIdentifier({ algorithmId: hash === 'SHA-1' ? OID.sha1 : digestOid(hash) });
}

/**
 * The signature scheme of a SubjectPublicKeyInfo, enforcing the allow-list and key sizes
 * (RSA ≥ 2048 bits, EC P-256/P-384). RSA keys default to PKCS#1 v1.5; pass `pss` to prefer RSA-PSS.
 */
export function schemeFromPublicKey(spki: pkijs.PublicKeyInfo, pss = false): SignatureScheme {
  const oid = spki.algorithm.algorithmId;
  if (oid === OID.rsaEncryption || oid === OID.rsassaPss) {
    const key = spki.parsedKey;
    if (!(key instanceof pkijs.RSAPublicKey)) throw new PkiError('PKI_MALFORMED', 'unreadable RSA public key');
    let mod = bytes(key.modulus.valueBlock.valueHexView);
    while (mod.length > 0 && mod[0] === 0) mod = mod.subarray(1);
    const bits = mod.length === 0 ? 0 : (mod.length - 1) * 8 + (32 - Math.clz32(mod[0]!));
    if (bits < MIN_RSA_BITS) throw new PkiError('PKI_WEAK_KEY', `RSA key of ${bits} bits is below ${MIN_RSA_BITS}`);
    return { name: pss || oid === OID.rsassaPss ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5', modulusLength: bits };
  }
  if (oid === OID.ecPublicKey) {
    const params = spki.algorithm.algorithmParams;
    const curve = params instanceof asn1js.ObjectIdentifier ? params.valueBlock.toString() : '';
    if (curve === OID.secp256r1) return { name: 'ECDSA', namedCurve: 'P-256' };
    if (curve === OID.secp384r1) return { name: 'ECDSA', namedCurve: 'P-384' };
    throw new PkiError('PKI_ALGORITHM_NOT_ALLOWED', `EC curve ${curve || '(implicit)'} is not allowed`);
  }
  throw new PkiError('PKI_ALGORITHM_NOT_ALLOWED', `public key algorithm ${oid} is not allowed`);
}

/** Maximum length of a signature value in CMS form (RSA: modulus bytes; ECDSA: DER Ecdsa-Sig-Value). */
export function maxSignatureLength(scheme: SignatureScheme): number {
  if (scheme.name === 'ECDSA') return scheme.namedCurve === 'P-256' ? 72 : 104;
  return Math.ceil(scheme.modulusLength / 8);
}

const RSA_OID: Record<DigestAlgorithm, string> = {
  'SHA-256': OID.sha256WithRSAEncryption,
  'SHA-384': OID.sha384WithRSAEncryption,
  'SHA-512': OID.sha512WithRSAEncryption
};
const ECDSA_OID: Record<DigestAlgorithm, string> = {
  'SHA-256': OID.ecdsaWithSHA256,
  'SHA-384': OID.ecdsaWithSHA384,
  'SHA-512': OID.ecdsaWithSHA512
};

/**
 * The signatureAlgorithm identifier for a scheme + hash.
 *
 * RSASSA-PSS (RFC 4055 §3.1):
 * ```asn1
 * RSASSA-PSS-params ::= SEQUENCE {
 *   hashAlgorithm      [0] HashAlgorithm DEFAULT sha1,
 *   maskGenAlgorithm   [1] MaskGenAlgorithm DEFAULT mgf1SHA1,
 *   saltLength         [2] INTEGER DEFAULT 20,
 *   trailerField       [3] TrailerField DEFAULT trailerFieldBC }
 * ```
 */
export function signatureAlgorithmIdentifier(
  scheme: SignatureScheme,
  hash: DigestAlgorithm
): pkijs.AlgorithmIdentifier {
  digestOid(hash);
  switch (scheme.name) {
    case 'RSASSA-PKCS1-v1_5':
      return new pkijs.AlgorithmIdentifier({ algorithmId: RSA_OID[hash], algorithmParams: new asn1js.Null() });
    case 'ECDSA':
      return new pkijs.AlgorithmIdentifier({ algorithmId: ECDSA_OID[hash] });
    case 'RSA-PSS': {
      const params = new pkijs.RSASSAPSSParams({
        hashAlgorithm: digestAlgorithmIdentifier(hash),
        maskGenAlgorithm: new pkijs.AlgorithmIdentifier({
          algorithmId: OID.mgf1,
          algorithmParams: digestAlgorithmIdentifier(hash).toSchema()
        }),
        saltLength: digestLength(hash)
      });
      return new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsassaPss, algorithmParams: params.toSchema() });
    }
    default:
      throw new PkiError('PKI_ALGORITHM_NOT_ALLOWED', 'unknown signature scheme');
  }
}

/** What a signatureAlgorithm identifier says: scheme family and hash (hash may come from `digestHint`, CMS §5.3). */
export interface SignatureAlgorithmInfo {
  readonly name: SignatureScheme['name'];
  readonly hash: DigestAlgorithm;
  /** RSA-PSS salt length as declared (we write hash length; we accept ≥ hash length). */
  readonly saltLength?: number;
}

/**
 * Read a signatureAlgorithm against the allow-list. `rsaEncryption` alone (allowed in CMS SignerInfo,
 * RFC 3370 §3.2) takes its hash from `digestHint`. SHA-1 and unknown algorithms throw
 * `PKI_ALGORITHM_NOT_ALLOWED`. PSS must use MGF1 with the same hash and a salt of at least the hash
 * length (we write exactly the hash length; OpenSSL writes the maximum by default).
 */
export function parseSignatureAlgorithm(
  alg: pkijs.AlgorithmIdentifier,
  digestHint?: DigestAlgorithm
): SignatureAlgorithmInfo {
  const oid = alg.algorithmId;
  for (const h of DIGEST_ALGORITHMS) {
    if (RSA_OID[h] === oid) return { name: 'RSASSA-PKCS1-v1_5', hash: h };
    if (ECDSA_OID[h] === oid) return { name: 'ECDSA', hash: h };
  }
  if (oid === OID.rsaEncryption && digestHint)
    return { name: 'RSASSA-PKCS1-v1_5', hash: digestFromOid(digestOid(digestHint)) };
  if (oid === OID.ecPublicKey && digestHint) return { name: 'ECDSA', hash: digestHint };
  if (oid === OID.rsassaPss) {
    if (!(alg.algorithmParams instanceof asn1js.Sequence))
      throw new PkiError('PKI_ALGORITHM_NOT_ALLOWED', 'RSA-PSS without parameters (SHA-1 defaults) is not allowed');
    const p = new pkijs.RSASSAPSSParams({ schema: alg.algorithmParams });
    const hash = digestFromOid(p.hashAlgorithm.algorithmId);
    const mgfHash = p.maskGenAlgorithm.algorithmParams
      ? new pkijs.AlgorithmIdentifier({ schema: p.maskGenAlgorithm.algorithmParams }).algorithmId
      : OID.sha1;
    if (p.maskGenAlgorithm.algorithmId !== OID.mgf1 || mgfHash !== digestOid(hash)) {
      throw new PkiError('PKI_ALGORITHM_NOT_ALLOWED', 'RSA-PSS must use MGF1 with the message hash');
    }
    if (p.saltLength < digestLength(hash))
      throw new PkiError('PKI_ALGORITHM_NOT_ALLOWED', `RSA-PSS salt length ${p.saltLength} < hash length`);
    if (p.trailerField !== 1) throw new PkiError('PKI_ALGORITHM_NOT_ALLOWED', 'RSA-PSS trailer field must be 1');
    return { name: 'RSA-PSS', hash, saltLength: p.saltLength };
  }
  throw new PkiError('PKI_ALGORITHM_NOT_ALLOWED', `signature algorithm ${oid} is not allowed`);
}

/** WebCrypto import parameters for the public/private key of a scheme. */
export function importParams(
  scheme: SignatureScheme,
  hash: DigestAlgorithm
): RsaHashedImportParams | EcKeyImportParams {
  return scheme.name === 'ECDSA' ? { name: 'ECDSA', namedCurve: scheme.namedCurve } : { name: scheme.name, hash };
}

/** WebCrypto sign/verify parameters. */
export function signParams(
  scheme: SignatureScheme,
  hash: DigestAlgorithm,
  saltLength?: number
): AlgorithmIdentifierLike {
  if (scheme.name === 'ECDSA') return { name: 'ECDSA', hash };
  if (scheme.name === 'RSA-PSS') return { name: 'RSA-PSS', saltLength: saltLength ?? digestLength(hash) };
  return { name: 'RSASSA-PKCS1-v1_5' };
}
type AlgorithmIdentifierLike = Algorithm | EcdsaParams | RsaPssParams;

function curveSize(curve: 'P-256' | 'P-384'): number {
  return curve === 'P-256' ? 32 : 48;
}

/**
 * WebCrypto raw `r || s` → DER (RFC 3279 §2.2.3):
 * ```asn1
 * Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }
 * ```
 */
export function ecdsaRawToDer(raw: Uint8Array, curve: 'P-256' | 'P-384'): Bytes {
  const n = curveSize(curve);
  if (raw.length !== 2 * n) throw new PkiError('PKI_MALFORMED', `ECDSA raw signature must be ${2 * n} bytes`);
  const int = (v: Uint8Array) => {
    let i = 0;
    while (i < v.length - 1 && v[i] === 0) i++;
    const t = v.subarray(i);
    return (t[0]! & 0x80 ? concatBytes(new Uint8Array([0]), t) : t.slice()) as Bytes;
  };
  const seq = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ valueHex: toArrayBuffer(int(raw.subarray(0, n))) }),
      new asn1js.Integer({ valueHex: toArrayBuffer(int(raw.subarray(n))) })
    ]
  });
  return new Uint8Array(seq.toBER());
}

/** DER Ecdsa-Sig-Value → WebCrypto raw `r || s`; throws `PKI_MALFORMED` on anything else. */
export function ecdsaDerToRaw(der: Uint8Array, curve: 'P-256' | 'P-384'): Bytes {
  const n = curveSize(curve);
  const parsed = asn1js.fromBER(toArrayBuffer(der));
  const seq = parsed.result;
  if (parsed.offset !== der.length || !(seq instanceof asn1js.Sequence) || seq.valueBlock.value.length !== 2) {
    throw new PkiError('PKI_MALFORMED', 'not an Ecdsa-Sig-Value');
  }
  const out = new Uint8Array(2 * n);
  seq.valueBlock.value.forEach((v, i) => {
    if (!(v instanceof asn1js.Integer)) throw new PkiError('PKI_MALFORMED', 'not an Ecdsa-Sig-Value');
    let b = bytes(v.valueBlock.valueHexView);
    while (b.length > n && b[0] === 0) b = b.subarray(1);
    if (b.length > n) throw new PkiError('PKI_MALFORMED', 'ECDSA integer too long');
    out.set(b, (i + 1) * n - b.length);
  });
  return out;
}
