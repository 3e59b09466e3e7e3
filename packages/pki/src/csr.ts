import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import * as pkijs from 'pkijs';
import { PkiError, assertArg } from './errors.ts';
import {
  schemeFromPublicKey,
  signatureAlgorithmIdentifier,
  type DigestAlgorithm,
  type SignatureScheme
} from './algorithms.ts';
import { concatBytes, isBytes, toArrayBuffer, type Bytes } from './bytes.ts';
import { encode, oidDer, parsePkijs, tlv } from './der.ts';
import { OID } from './oids.ts';
import { signWithKey } from './signers/cryptokey.ts';
import { verifySignature } from './verify-signature.ts';

/** The subject a browser asks to be certified as. */
export interface CsrSubject {
  /** UTF8String, e.g. `山田 太郎`. */
  readonly commonName: string;
  /** PKCS #9 emailAddress (IA5String). */
  readonly emailAddress?: string;
}

const utf8 = (s: string) => tlv(0x0c, new TextEncoder().encode(s));
const ia5 = (s: string) => {
  assertArg(/^[\x20-\x7e]+$/.test(s), 'emailAddress must be ASCII');
  return tlv(0x16, new TextEncoder().encode(s));
};
const rdn = (oid: string, value: Uint8Array) => tlv(0x31, tlv(0x30, oidDer(oid), value));

/**
 * Build a PKCS #10 certification request (RFC 2986 §4) signed by `keys.privateKey` — which may be a
 * non-extractable WebCrypto key; only the public key is exported.
 * ```asn1
 * CertificationRequestInfo ::= SEQUENCE { version INTEGER { v1(0) }, subject Name,
 *   subjectPKInfo SubjectPublicKeyInfo, attributes [0] Attributes }
 * CertificationRequest ::= SEQUENCE { certificationRequestInfo CertificationRequestInfo,
 *   signatureAlgorithm AlgorithmIdentifier, signature BIT STRING }
 * ```
 */
export async function createCsr(
  keys: CryptoKeyPair,
  subject: CsrSubject,
  opts: { hash?: DigestAlgorithm; crypto?: Crypto } = {}
): Promise<Bytes> {
  assertArg(keys?.privateKey?.type === 'private' && keys.publicKey?.type === 'public', 'a CryptoKeyPair is required');
  assertArg(
    typeof subject?.commonName === 'string' && subject.commonName.trim().length > 0 && subject.commonName.length <= 64,
    'commonName must be 1..64 characters'
  );
  const crypto = opts.crypto ?? globalThis.crypto;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
  const pub = parsePkijs(spki, pkijs.PublicKeyInfo, 'public key');
  const scheme: SignatureScheme = schemeFromPublicKey(pub, keys.privateKey.algorithm.name === 'RSA-PSS');
  const keyHash = (keys.privateKey.algorithm as RsaHashedKeyAlgorithm).hash?.name as DigestAlgorithm | undefined;
  const hash =
    opts.hash ?? keyHash ?? (scheme.name === 'ECDSA' && scheme.namedCurve === 'P-384' ? 'SHA-384' : 'SHA-256');
  const name = tlv(
    0x30,
    rdn(OID.commonName, utf8(subject.commonName)),
    ...(subject.emailAddress ? [rdn(OID.emailAddress, ia5(subject.emailAddress))] : [])
  );
  const info = tlv(0x30, Uint8Array.from([0x02, 0x01, 0x00]), name, spki, Uint8Array.from([0xa0, 0x00]));
  const sig = await signWithKey(crypto, keys.privateKey, scheme, hash, info);
  return tlv(
    0x30,
    info,
    encode(signatureAlgorithmIdentifier(scheme, hash).toSchema()),
    tlv(0x03, concatBytes(Uint8Array.from([0]), sig))
  );
}

/** What a CSR says, after the proof of possession has been checked. */
export interface CsrInfo {
  readonly subject: string;
  readonly commonName?: string;
  readonly emailAddress?: string;
  /** SubjectPublicKeyInfo DER, to put in the certificate. */
  readonly publicKey: Uint8Array;
  readonly scheme: SignatureScheme;
  /** The request is signed by the key it carries (RFC 2986 §3, proof of possession). */
  readonly proofOfPossession: boolean;
}

/**
 * Parse a CSR and verify its self-signature (proof of possession) over the CertificationRequestInfo bytes as
 * received. `PKI_MALFORMED` if unreadable; `PKI_ALGORITHM_NOT_ALLOWED` / `PKI_WEAK_KEY` for a refused
 * algorithm or key; a wrong signature is reported as `proofOfPossession: false`.
 */
export async function readCsr(der: Uint8Array, crypto?: Crypto): Promise<CsrInfo> {
  assertArg(isBytes(der), 'csr must be DER bytes');
  const req = parsePkijs(der, pkijs.CertificationRequest, 'CSR');
  const scheme = schemeFromPublicKey(req.subjectPublicKeyInfo);
  const { valid } = await verifySignature({
    publicKey: req.subjectPublicKeyInfo,
    algorithm: req.signatureAlgorithm,
    data: req.tbsView,
    signature: req.signatureValue.valueBlock.valueHexView,
    crypto
  });
  let parsed: x509.Pkcs10CertificateRequest;
  try {
    parsed = new x509.Pkcs10CertificateRequest(toArrayBuffer(der));
  } catch (cause) {
    throw new PkiError('PKI_MALFORMED', `CSR: ${(cause as Error).message}`, { cause });
  }
  return {
    subject: parsed.subject,
    commonName: parsed.subjectName.getField('CN')[0],
    emailAddress: parsed.subjectName.getField('E')[0] ?? parsed.subjectName.getField(OID.emailAddress)[0],
    publicKey: encode(req.subjectPublicKeyInfo.toSchema()),
    scheme,
    proofOfPossession: valid
  };
}
