import { assertArg, PkiError } from '../errors.ts';
import {
  digest,
  digestAlgorithmIdentifier,
  digestLength,
  isDigestAlgorithm,
  schemeFromPublicKey,
  type DigestAlgorithm,
  type SignatureScheme
} from '../algorithms.ts';
import { isBytes, type Bytes } from '../bytes.ts';
import { certificateFields, derSetOf, encode, oidDer, parseCertificate, tlv } from '../der.ts';
import { OID } from '../oids.ts';
import { BytesMemo } from '../memo.ts';

/**
 * Signed attributes, DER-encoded once, ready to be signed — a plain, serialisable value so that a
 * remote-signing flow can pause between `prepareSignedAttributes` and `assembleSignedData`.
 */
export interface PreparedSignedAttributes {
  /** `SignedAttributes` as a DER SET OF (tag 0x31): exactly the bytes that are signed (RFC 5652 §5.4). */
  readonly der: Uint8Array;
  /** `hash(der)` — what a remote hash signer signs. */
  readonly digest: Uint8Array;
  readonly hash: DigestAlgorithm;
  readonly scheme: SignatureScheme;
  readonly certificate: Uint8Array;
  readonly chain: readonly Uint8Array[];
}

export interface PrepareSignedAttributesInput {
  /** Digest of the signed content (for PAdES: of the ByteRange bytes), computed with `hash`. */
  readonly contentDigest: Uint8Array;
  readonly hash: DigestAlgorithm;
  /** Signer certificate, DER. */
  readonly certificate: Uint8Array;
  /** Further certificates to embed, DER. */
  readonly chain?: readonly Uint8Array[];
  /** Key scheme (defaults from the certificate: RSA → PKCS#1 v1.5, EC → ECDSA). */
  readonly scheme?: SignatureScheme;
  readonly crypto?: Crypto;
}

/**
 * ```asn1
 * Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF AttributeValue }
 * ```
 */
export function encodeAttribute(oid: string, ...values: Uint8Array[]): Bytes {
  return tlv(0x30, oidDer(oid), derSetOf(values));
}

/**
 * ESS signing-certificate-v2 for `certificate` with SHA-256 (RFC 5035 §3):
 * ```asn1
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies SEQUENCE OF PolicyInformation OPTIONAL }
 * ESSCertIDv2 ::= SEQUENCE {
 *   hashAlgorithm AlgorithmIdentifier DEFAULT {algorithm id-sha256},
 *   certHash Hash, issuerSerial IssuerSerial OPTIONAL }
 * IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }
 * ```
 * The DEFAULT hash algorithm is omitted, as DER requires.
 */
const essValues = new BytesMemo<Promise<Bytes>>();
export function signingCertificateV2(certificate: Uint8Array, crypto?: Crypto): Promise<Bytes> {
  return essValues.get(certificate, () => buildSigningCertificateV2(certificate, crypto));
}

async function buildSigningCertificateV2(certificate: Uint8Array, crypto?: Crypto): Promise<Bytes> {
  const f = certificateFields(certificate);
  const certHash = await digest('SHA-256', certificate, crypto);
  const issuerSerial = tlv(0x30, tlv(0x30, tlv(0xa4, f.issuer)), f.serialNumber);
  return tlv(0x30, tlv(0x30, tlv(0x30, tlv(0x04, certHash), issuerSerial)));
}

/**
 * Build the PAdES baseline signed attributes (ETSI EN 319 142-1 §6.3, EN 319 122-1 §5.2):
 * content-type = id-data, message-digest, signing-certificate-v2 — and no signing-time (PAdES puts the
 * claimed time in the signature dictionary's /M). Encoded once as a DER SET OF (sorted).
 */
export async function prepareSignedAttributes(input: PrepareSignedAttributesInput): Promise<PreparedSignedAttributes> {
  assertArg(input && isDigestAlgorithm(input.hash), 'hash must be SHA-256, SHA-384 or SHA-512');
  assertArg(
    isBytes(input.contentDigest) && input.contentDigest.length === digestLength(input.hash),
    `contentDigest must be a ${input.hash} digest`
  );
  assertArg(isBytes(input.certificate), 'certificate must be DER bytes');
  const chain = [...(input.chain ?? [])];
  assertArg(chain.every(isBytes), 'chain must be DER bytes');
  const cert = parseCertificate(input.certificate);
  const keyScheme = schemeFromPublicKey(cert.subjectPublicKeyInfo, input.scheme?.name === 'RSA-PSS');
  const scheme = input.scheme ?? keyScheme;
  if (scheme.name !== keyScheme.name)
    throw new PkiError('PKI_KEY_MISMATCH', `scheme ${scheme.name} does not fit the certificate key`);
  const der = derSetOf([
    encodeAttribute(OID.contentType, oidDer(OID.data)),
    encodeAttribute(OID.messageDigest, tlv(0x04, input.contentDigest)),
    encodeAttribute(OID.signingCertificateV2, await signingCertificateV2(input.certificate, input.crypto))
  ]);
  return {
    der,
    digest: await digest(input.hash, der, input.crypto),
    hash: input.hash,
    scheme,
    certificate: input.certificate,
    chain
  };
}

/** DER AlgorithmIdentifier of a digest (parameters absent, RFC 5754 §2). */
export function encodeDigestAlgorithm(hash: DigestAlgorithm): Bytes {
  return encode(digestAlgorithmIdentifier(hash).toSchema());
}
