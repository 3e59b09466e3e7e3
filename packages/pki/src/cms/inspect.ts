import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PkiError } from '../errors.ts';
import {
  digest,
  digestFromOid,
  identifierDigestFromOid,
  type DigestAlgorithm,
  type SignatureAlgorithmInfo
} from '../algorithms.ts';
import { bytes, equalBytes, type Bytes } from '../bytes.ts';
import { certificateFields, parseAsn1, parseCertificate, rawOf } from '../der.ts';
import { OID } from '../oids.ts';
import { verifySignature } from '../verify-signature.ts';

/** Digest of detached content, computed on demand with the algorithm the SignerInfo names. */
export type ContentDigestProvider = (hash: DigestAlgorithm) => Promise<Uint8Array>;

/** An unsigned attribute as found: type and the raw DER of each value. */
export interface RawAttribute {
  readonly type: string;
  readonly values: readonly Uint8Array[];
}

/** Facts about one SignerInfo of a SignedData (RFC 5652 §5.3–5.6) — never a verdict. */
export interface SignerInfoFacts {
  /** eContentType (id-data for PAdES, id-ct-TSTInfo for a timestamp token). */
  readonly contentType: string;
  /** The encapsulated content, if present (a detached PAdES signature must have none). */
  readonly encapsulatedContent?: Uint8Array;
  readonly signerInfoCount: number;
  readonly digestAlgorithmOid: string;
  readonly digestAlgorithm?: DigestAlgorithm;
  readonly signatureAlgorithmOid: string;
  readonly signatureAlgorithm?: SignatureAlgorithmInfo;
  /** Why the algorithms or the key are refused (weak key, SHA-1, unknown OID) — ETSI CRYPTO_CONSTRAINTS_FAILURE. */
  readonly cryptoProblem?: string;
  /** All certificates embedded in `certificates` (DER, as found). */
  readonly certificates: readonly Uint8Array[];
  /** CRLs embedded in `crls` (DER, as found). */
  readonly crls: readonly Uint8Array[];
  readonly signerCertificate?: Uint8Array;
  /** The signed attributes exactly as they are in the file, tag set to SET (0x31): the signed bytes. */
  readonly signedAttributes?: Uint8Array;
  readonly signatureValue: Uint8Array;
  /** message-digest attribute equals the digest of the content. */
  readonly intact: boolean;
  /** The signature verifies over the signed attributes with the signer certificate's key. */
  readonly signatureValid: boolean;
  /** content-type attribute present, single, and equal to eContentType. */
  readonly contentTypeAttributeMatches: boolean;
  /** Which ESS signing-certificate attribute is present (RFC 5035 / RFC 2634). */
  readonly signingCertificateAttribute: 'v2' | 'v1' | 'none';
  /** It identifies the signer certificate (hash and issuerSerial); undefined when absent or no signer certificate. */
  readonly signingCertificateMatches?: boolean;
  readonly signingTime?: Date;
  readonly signedAttributeTypes: readonly string[];
  /** Revocation data archived by Adobe-style signers in the signed attribute adbe-revocationInfoArchival. */
  readonly archivedRevocation?: { readonly crls: readonly Uint8Array[]; readonly ocsps: readonly Uint8Array[] };
  readonly unsignedAttributes: readonly RawAttribute[];
  readonly problems: readonly string[];
}

export interface InspectOptions {
  /** For detached content; ignored when the content is encapsulated. */
  readonly contentDigest?: ContentDigestProvider;
  /**
   * The detached content itself — only needed for a SignerInfo without signed attributes, whose signature
   * is over the content directly (RFC 5652 §5.4; allowed for adbe.pkcs7.detached, never written by us).
   */
  readonly content?: () => Uint8Array;
  /** Extra certificates to search for the signer (e.g. from the PDF DSS). */
  readonly extraCertificates?: readonly Uint8Array[];
  readonly crypto?: Crypto;
}

/**
 * The plain X.509 certificates / CRLs of `certificates [0]` / `crls [1]` (RFC 5652 §10.2.2–10.2.3); the other
 * CHOICE arms (attribute certificates, `other` revocation formats) are tagged and skipped.
 */
function contextChildren(seq: asn1js.Sequence, tag: number): Bytes[] {
  const node = seq.valueBlock.value.find((n) => n.idBlock.tagClass === 3 && n.idBlock.tagNumber === tag);
  if (!node) return [];
  return (node as asn1js.Constructed).valueBlock.value.filter((n) => n instanceof asn1js.Sequence).map(rawOf);
}

function octets(node: asn1js.AsnType | undefined): Bytes | undefined {
  if (!(node instanceof asn1js.OctetString)) return undefined;
  return node.valueBlock.isConstructed ? bytes(node.getValue()) : bytes(node.valueBlock.valueHexView).slice();
}

/** Find the signer's certificate by issuerAndSerialNumber or subjectKeyIdentifier (RFC 5652 §5.3). */
function findSigner(sid: unknown, pool: readonly Uint8Array[]): Uint8Array | undefined {
  for (const der of pool) {
    let cert: pkijs.Certificate;
    try {
      cert = parseCertificate(der);
    } catch {
      continue;
    }
    if (sid instanceof pkijs.IssuerAndSerialNumber) {
      if (cert.serialNumber.isEqual(sid.serialNumber) && cert.issuer.isEqual(sid.issuer)) return der;
    } else if (sid instanceof asn1js.Constructed || sid instanceof asn1js.Primitive) {
      const keyId =
        sid instanceof asn1js.Constructed ? octets(sid.valueBlock.value[0]) : bytes(sid.valueBlock.valueHexView);
      const ski = cert.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier);
      const skiValue = ski ? octets(parseAsn1(bytes(ski.extnValue.valueBlock.valueHexView), 'SKI')) : undefined;
      if (keyId && skiValue && equalBytes(keyId, skiValue)) return der;
    }
  }
  return undefined;
}

/**
 * Does an ESS signing-certificate(-v2) value name `certDer`? (RFC 5035 §3, RFC 2634 §5.4)
 * ```asn1
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies ... OPTIONAL }
 * ESSCertIDv2 ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier DEFAULT {algorithm id-sha256},
 *                            certHash OCTET STRING, issuerSerial IssuerSerial OPTIONAL }
 * SigningCertificate ::= SEQUENCE { certs SEQUENCE OF ESSCertID, policies ... OPTIONAL }
 * ESSCertID ::= SEQUENCE { certHash OCTET STRING (SHA-1), issuerSerial IssuerSerial OPTIONAL }
 * ```
 * Only the first ESSCertID refers to the signer.
 */
async function essMatches(valueDer: Uint8Array, v2: boolean, certDer: Uint8Array, crypto?: Crypto): Promise<boolean> {
  const value = parseAsn1(valueDer, 'signing-certificate');
  const certs = value instanceof asn1js.Sequence ? value.valueBlock.value[0] : undefined;
  const first = certs instanceof asn1js.Sequence ? certs.valueBlock.value[0] : undefined;
  if (!(first instanceof asn1js.Sequence)) throw new PkiError('PKI_MALFORMED', 'signing-certificate: no ESSCertID');
  const parts = [...first.valueBlock.value];
  let hash: 'SHA-1' | DigestAlgorithm = v2 ? 'SHA-256' : 'SHA-1';
  if (v2 && parts[0] instanceof asn1js.Sequence) {
    hash = identifierDigestFromOid(new pkijs.AlgorithmIdentifier({ schema: parts.shift()! }).algorithmId);
  }
  const certHash = octets(parts[0]);
  if (!certHash || !equalBytes(certHash, await digest(hash, certDer, crypto))) return false;
  const issuerSerial = parts[1];
  if (issuerSerial instanceof asn1js.Sequence) {
    const serial = issuerSerial.valueBlock.value[1];
    if (!serial || !equalBytes(rawOf(serial), certificateFields(certDer).serialNumber)) return false;
  }
  return true;
}

function attributeValues(attrs: pkijs.SignedAndUnsignedAttributes | undefined, oid: string): asn1js.AsnType[][] {
  return (attrs?.attributes ?? []).filter((a) => a.type === oid).map((a) => a.values as asn1js.AsnType[]);
}

/**
 * Parse a CMS ContentInfo(SignedData) and report facts about its first SignerInfo: message-digest,
 * content-type, ESS signing-certificate, the signature over the signed attributes **as encoded in the
 * file** (RFC 5652 §5.4 — the [0] IMPLICIT tag replaced by SET, nothing re-encoded).
 * Trailing zero bytes (a PDF /Contents placeholder) are tolerated. Throws `PKI_MALFORMED` only when the
 * input cannot be parsed as a SignedData; a bad signature is reported, not thrown.
 */
export async function inspectSignedData(cms: Uint8Array, opts: InspectOptions = {}): Promise<SignerInfoFacts> {
  const schema = parseAsn1(cms, 'CMS', true);
  let sd: pkijs.SignedData;
  let sdSeq: asn1js.Sequence;
  try {
    const ci = new pkijs.ContentInfo({ schema });
    if (ci.contentType !== OID.signedData) throw new Error(`content type ${ci.contentType} is not signedData`);
    sdSeq = ci.content as asn1js.Sequence;
    sd = new pkijs.SignedData({ schema: sdSeq });
  } catch (cause) {
    if (cause instanceof PkiError) throw cause;
    throw new PkiError('PKI_MALFORMED', `CMS: ${(cause as Error).message}`, { cause });
  }
  const si = sd.signerInfos[0];
  if (!si) throw new PkiError('PKI_MALFORMED', 'CMS: no SignerInfo');
  const problems: string[] = [];
  if (sd.signerInfos.length > 1) problems.push(`${sd.signerInfos.length} SignerInfos; only the first is examined`);
  const certificates = contextChildren(sdSeq, 0);
  const crls = contextChildren(sdSeq, 1);
  const encapsulatedContent = octets(sd.encapContentInfo.eContent);
  const contentType = sd.encapContentInfo.eContentType;
  const crypto = opts.crypto;

  // algorithms
  let digestAlgorithm: DigestAlgorithm | undefined;
  let cryptoProblem: string | undefined;
  try {
    digestAlgorithm = digestFromOid(si.digestAlgorithm.algorithmId);
  } catch (e) {
    cryptoProblem = (e as Error).message;
  }

  const signedAttrs = si.signedAttrs;
  const signedAttributes = signedAttrs ? bytes(signedAttrs.encodedValue).slice() : undefined;
  const signatureValue = bytes(si.signature.valueBlock.valueHexView).slice();
  const signerCertificate = findSigner(si.sid, [...certificates, ...(opts.extraCertificates ?? [])]);
  if (!signerCertificate) problems.push('signer certificate not found');

  // message-digest (RFC 5652 §11.2) against the content
  let intact = false;
  const md = attributeValues(signedAttrs, OID.messageDigest);
  const mdValue = md.length === 1 && md[0]!.length === 1 ? octets(md[0]![0]) : undefined;
  if (!signedAttrs) problems.push('no signed attributes: the signature covers the content directly');
  else if (!mdValue) problems.push('message-digest attribute missing or not single-valued');
  if (mdValue && digestAlgorithm) {
    let contentDigest: Uint8Array | undefined;
    if (encapsulatedContent) contentDigest = await digest(digestAlgorithm, encapsulatedContent, crypto);
    else if (opts.contentDigest) contentDigest = await opts.contentDigest(digestAlgorithm);
    else problems.push('detached content: no content digest given');
    intact = contentDigest !== undefined && equalBytes(contentDigest, mdValue);
  }

  // content-type (RFC 5652 §11.1)
  const ct = attributeValues(signedAttrs, OID.contentType);
  const ctValue = ct.length === 1 && ct[0]!.length === 1 ? ct[0]![0] : undefined;
  const contentTypeAttributeMatches =
    ctValue instanceof asn1js.ObjectIdentifier && ctValue.valueBlock.toString() === contentType;

  // signature over the signed attributes as encoded
  let signatureValid = false;
  let signatureAlgorithm: SignatureAlgorithmInfo | undefined;
  const signedBytes = signedAttributes ?? encapsulatedContent ?? opts.content?.();
  if (signerCertificate && signedBytes && digestAlgorithm) {
    try {
      const res = await verifySignature({
        publicKey: parseCertificate(signerCertificate).subjectPublicKeyInfo,
        algorithm: si.signatureAlgorithm,
        digestHint: digestAlgorithm,
        data: signedBytes,
        signature: signatureValue,
        crypto
      });
      signatureValid = res.valid;
      signatureAlgorithm = res.algorithm;
      if (res.algorithm.hash !== digestAlgorithm) problems.push('signature hash differs from the digest algorithm');
    } catch (e) {
      if (!(e instanceof PkiError)) throw e;
      cryptoProblem ??= e.message;
    }
  }

  // Without signed attributes the signature itself is the integrity check of the content.
  if (!signedAttrs) intact = signatureValid;

  // ESS signing certificate
  const v2 = attributeValues(signedAttrs, OID.signingCertificateV2);
  const v1 = attributeValues(signedAttrs, OID.signingCertificate);
  const signingCertificateAttribute = v2.length ? 'v2' : v1.length ? 'v1' : 'none';
  let signingCertificateMatches: boolean | undefined;
  const essValue = (v2[0] ?? v1[0])?.[0];
  if (essValue && signerCertificate) {
    try {
      signingCertificateMatches = await essMatches(rawOf(essValue), v2.length > 0, signerCertificate, crypto);
    } catch (e) {
      signingCertificateMatches = false;
      problems.push((e as Error).message);
    }
  }

  /* adbe-revocationInfoArchival (Adobe; ISO 32000-1 §12.8.3.3.2):
   * RevocationInfoArchival ::= SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CRLs OPTIONAL,
   *   ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse OPTIONAL, otherRevInfo [2] EXPLICIT SEQUENCE OF OtherRevInfo OPTIONAL } */
  const archive = attributeValues(signedAttrs, OID.adbeRevocationInfoArchival)[0]?.[0];
  let archivedRevocation: SignerInfoFacts['archivedRevocation'];
  if (archive instanceof asn1js.Sequence) {
    const listAt = (tag: number) => {
      const wrapper = archive.valueBlock.value.find((n) => n.idBlock.tagClass === 3 && n.idBlock.tagNumber === tag) as
        asn1js.Constructed | undefined;
      const list = wrapper?.valueBlock.value[0];
      return list instanceof asn1js.Sequence ? list.valueBlock.value.map(rawOf) : [];
    };
    archivedRevocation = { crls: listAt(0), ocsps: listAt(1) };
  }

  const st = attributeValues(signedAttrs, OID.signingTime)[0]?.[0];
  const signingTime = st instanceof asn1js.UTCTime || st instanceof asn1js.GeneralizedTime ? st.toDate() : undefined;

  return {
    contentType,
    encapsulatedContent,
    signerInfoCount: sd.signerInfos.length,
    digestAlgorithmOid: si.digestAlgorithm.algorithmId,
    digestAlgorithm,
    signatureAlgorithmOid: si.signatureAlgorithm.algorithmId,
    signatureAlgorithm,
    cryptoProblem,
    certificates,
    crls,
    signerCertificate,
    signedAttributes,
    signatureValue,
    intact,
    signatureValid,
    contentTypeAttributeMatches,
    signingCertificateAttribute,
    signingCertificateMatches,
    signingTime,
    signedAttributeTypes: (signedAttrs?.attributes ?? []).map((a) => a.type),
    archivedRevocation,
    unsignedAttributes: (si.unsignedAttrs?.attributes ?? []).map((a) => ({
      type: a.type,
      values: (a.values as asn1js.AsnType[]).map(rawOf)
    })),
    problems
  };
}
