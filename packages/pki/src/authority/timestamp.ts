import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { digest, digestAlgorithmIdentifier, digestLength, digestOid, type DigestAlgorithm } from '../algorithms.ts';
import { concatBytes, type Bytes } from '../bytes.ts';
import { encodeAttribute, signingCertificateV2 } from '../cms/signed-attributes.ts';
import { certificateFields, derSetOf, encode, oidDer, tlv } from '../der.ts';
import { OID } from '../oids.ts';
import { type AuthorityKey, authorityAlgorithm } from './key.ts';
import { TSA_FAILURE, type TimeStampRequestInfo, type TsaFailure } from './timestamp-request.ts';

export * from './timestamp-request.ts';

/** Minimal DER INTEGER contents of a non-negative bigint (X.690 §8.3). */
function integerContents(n: bigint): Bytes {
  if (n < 0n) throw new RangeError('negative serial number');
  const out: number[] = [];
  for (let v = n; ; v >>= 8n) {
    out.unshift(Number(v & 0xffn));
    if (v < 0x100n) break;
  }
  if (out[0]! & 0x80) out.unshift(0);
  return new Uint8Array(out);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** GeneralizedTime `YYYYMMDDHHMMSSZ` (whole seconds, no fraction: RFC 3161 §2.4.2 allows either). */
function generalizedTime(d: Date): Bytes {
  const s =
    pad(d.getUTCFullYear(), 4) +
    pad(d.getUTCMonth() + 1) +
    pad(d.getUTCDate()) +
    pad(d.getUTCHours()) +
    pad(d.getUTCMinutes()) +
    pad(d.getUTCSeconds()) +
    'Z';
  const out = new Uint8Array(2 + s.length);
  out[0] = 0x18;
  out[1] = s.length;
  for (let i = 0; i < s.length; i++) out[i + 2] = s.charCodeAt(i);
  return out;
}

/** Hashes for the issuer; the default is WebCrypto, a server may pass a synchronous one (node:crypto). */
export type TimeStampDigest = (hash: DigestAlgorithm, data: Uint8Array) => Uint8Array | Promise<Uint8Array>;

export interface TimeStampIssuerOptions {
  /** TSA certificate (critical EKU timeStamping), its key, and optionally its chain (DER, issuer first). */
  tsa: { certificate: Bytes; key: AuthorityKey; chain?: Bytes[] };
  /** TSA policy OID written into TSTInfo. */
  policy: string;
  accuracy?: { seconds?: number; millis?: number; micros?: number };
  crypto?: Crypto;
  digest?: TimeStampDigest;
}

/**
 * A DER element to be written: already-encoded bytes, or a tag around parts whose total length is known. The token
 * is assembled as such a tree and written once into a buffer of its exact size (nesting with `tlv` would copy the
 * certificates once per enclosing level).
 */
type Der = Uint8Array | { tag: number; parts: Der[]; length: number };
const sizeOf = (d: Der) => (d instanceof Uint8Array ? d.length : headerSize(d.length) + d.length);
const headerSize = (length: number) => (length < 0x80 ? 2 : length < 0x100 ? 3 : length < 0x10000 ? 4 : 5);
function el(tag: number, ...parts: Der[]): Der {
  let length = 0;
  for (const p of parts) length += sizeOf(p);
  return { tag, parts, length };
}
function writeDer(d: Der, out: Uint8Array, at: number): number {
  if (d instanceof Uint8Array) {
    out.set(d, at);
    return at + d.length;
  }
  out[at++] = d.tag;
  const n = d.length;
  if (n < 0x80) out[at++] = n;
  else {
    const bytes = headerSize(n) - 2;
    out[at++] = 0x80 | bytes;
    for (let i = bytes - 1; i >= 0; i--) out[at++] = (n >>> (8 * i)) & 0xff;
  }
  for (const p of d.parts) at = writeDer(p, out, at);
  return at;
}
function toBytes(d: Der): Bytes {
  const out = new Uint8Array(sizeOf(d));
  writeDer(d, out, 0);
  return out;
}

const VERSION = (n: number) => new Uint8Array([0x02, 0x01, n]);
const NULL = new Uint8Array([0x05, 0x00]);

/**
 * The built-in TSA's token factory. Everything that is the same in every token of one TSA — certificates,
 * the ESS signing-certificate-v2 attribute, algorithm identifiers, policy, accuracy, the TSA name, the
 * order of the signed attributes — is encoded once by {@link TimeStampIssuer.create}; {@link issue} then
 * writes only what varies (imprint, serial, genTime, nonce, message digest, signature) around those bytes.
 *
 * The token is a CMS SignedData (RFC 5652 §5) over a TSTInfo (RFC 3161 §2.4.2):
 * ```asn1
 * TSTInfo ::= SEQUENCE { version INTEGER { v1(1) }, policy TSAPolicyId, messageImprint MessageImprint,
 *   serialNumber INTEGER, genTime GeneralizedTime, accuracy Accuracy OPTIONAL,
 *   ordering BOOLEAN DEFAULT FALSE, nonce INTEGER OPTIONAL, tsa [0] GeneralName OPTIONAL,
 *   extensions [1] IMPLICIT Extensions OPTIONAL }
 * Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] INTEGER (1..999) OPTIONAL,
 *   micros [1] INTEGER (1..999) OPTIONAL }
 * ```
 * genTime has whole seconds; tsa is the directoryName of the TSA certificate. The signed attributes —
 * contentType id-ct-TSTInfo, messageDigest, ESS signing-certificate-v2 — are DER-sorted; the TSA certificate
 * (and chain) is included only if certReq.
 */
export class TimeStampIssuer {
  private constructor(
    private readonly key: AuthorityKey,
    private readonly digest: TimeStampDigest,
    /** version + policy: the start of every TSTInfo. */
    private readonly tstHead: Bytes,
    /** accuracy + (nonce goes between) + tsa name: what follows genTime. */
    private readonly accuracy: Bytes,
    private readonly tsaName: Bytes,
    /** AlgorithmIdentifier (with NULL parameters) of each imprint hash, as TSTInfo carries it. */
    private readonly imprintAlg: Record<DigestAlgorithm, Bytes>,
    /** The DER SET of signed attributes with a zero message digest, and where the digest goes. */
    private readonly signedAttrs: Bytes,
    private readonly digestAt: number,
    /** Length of the SET's tag + length octets. */
    private readonly signedAttrsHeader: number,
    /** SignedData before eContent: version, digestAlgorithms. */
    private readonly sdHead: Bytes,
    /** `[0] IMPLICIT CertificateSet` with the TSA certificate and chain (certReq). */
    private readonly certificates: Bytes,
    /** SignerInfo before signedAttrs: version, sid, digestAlgorithm. */
    private readonly siHead: Bytes,
    private readonly signatureAlg: Bytes
  ) {}

  static async create(o: TimeStampIssuerOptions): Promise<TimeStampIssuer> {
    const { certificate, key, chain = [] } = o.tsa;
    const hash = key.hash;
    const crypto = o.crypto;
    const f = certificateFields(certificate);
    const essAttribute = encodeAttribute(OID.signingCertificateV2, await signingCertificateV2(certificate, crypto));
    const zero = new Uint8Array(digestLength(hash));
    const mdAttribute = encodeAttribute(OID.messageDigest, tlv(0x04, zero));
    const signedAttrs = derSetOf([encodeAttribute(OID.contentType, oidDer(OID.tstInfo)), mdAttribute, essAttribute]);
    // The attributes differ in their OIDs, before the digest, so their DER order does not depend on its value.
    const digestAt = indexOf(signedAttrs, mdAttribute) + mdAttribute.length - zero.length;
    const a = o.accuracy;
    const accuracy = a
      ? tlv(
          0x30,
          ...(a.seconds !== undefined ? [tlv(0x02, integerContents(BigInt(a.seconds)))] : []),
          ...(a.millis !== undefined ? [tlv(0x80, integerContents(BigInt(a.millis)))] : []),
          ...(a.micros !== undefined ? [tlv(0x81, integerContents(BigInt(a.micros)))] : [])
        )
      : new Uint8Array(0);
    const digestAlg = encode(digestAlgorithmIdentifier(hash).toSchema());
    const imprintAlg = Object.fromEntries(
      (['SHA-256', 'SHA-384', 'SHA-512'] as const).map((h) => [h, tlv(0x30, oidDer(digestOid(h)), NULL)])
    ) as Record<DigestAlgorithm, Bytes>;
    return new TimeStampIssuer(
      key,
      o.digest ?? ((h, data) => digest(h, data, crypto)),
      concatBytes(VERSION(1), oidDer(o.policy)),
      accuracy,
      tlv(0xa0, tlv(0xa4, f.subject)),
      imprintAlg,
      signedAttrs,
      digestAt,
      signedAttrs[1]! < 0x80 ? 2 : 2 + (signedAttrs[1]! & 0x7f),
      concatBytes(VERSION(3), tlv(0x31, digestAlg)),
      tlv(0xa0, certificate, ...chain),
      concatBytes(VERSION(1), tlv(0x30, f.issuer, f.serialNumber), digestAlg),
      encode(authorityAlgorithm(key).toSchema())
    );
  }

  /** A granted TimeStampResp and its token for an accepted request. */
  async issue(
    req: TimeStampRequestInfo,
    serialNumber: bigint,
    genTime: Date
  ): Promise<{ response: Bytes; token: Bytes }> {
    const tstInfo = toBytes(
      el(
        0x30,
        this.tstHead,
        el(0x30, this.imprintAlg[req.hashAlgorithm], el(0x04, req.hashedMessage)),
        el(0x02, integerContents(serialNumber)),
        generalizedTime(genTime),
        this.accuracy,
        req.nonce ? el(0x02, req.nonce) : EMPTY,
        this.tsaName
      )
    );
    const signedAttrs = this.signedAttrs.slice();
    signedAttrs.set(await this.digest(this.key.hash, tstInfo), this.digestAt);
    const signature = await this.key.sign(signedAttrs);
    // signedAttrs is [0] IMPLICIT in SignerInfo: the same contents under another tag.
    const signerInfo = el(
      0x30,
      this.siHead,
      el(0xa0, signedAttrs.subarray(this.signedAttrsHeader)),
      this.signatureAlg,
      el(0x04, signature)
    );
    const signedData = el(
      0x30,
      this.sdHead,
      el(0x30, TST_INFO_OID, el(0xa0, el(0x04, tstInfo))),
      req.certReq ? this.certificates : EMPTY,
      el(0x31, signerInfo)
    );
    // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }
    const token = el(0x30, SIGNED_DATA_OID, el(0xa0, signedData));
    const response = toBytes(el(0x30, GRANTED, token));
    return { response, token: response.slice(headerSize(GRANTED.length + sizeOf(token)) + GRANTED.length) };
  }
}

const EMPTY = new Uint8Array(0);
const GRANTED = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]);
const TST_INFO_OID = oidDer(OID.tstInfo);
const SIGNED_DATA_OID = oidDer(OID.signedData);

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new RangeError('attribute not found');
}

function failInfoBits(bit: number): asn1js.BitString {
  const bytes = new Uint8Array((bit >> 3) + 1);
  bytes[bit >> 3] = 0x80 >> (bit & 7);
  return new asn1js.BitString({ valueHex: bytes, unusedBits: 7 - (bit & 7) });
}

/** A TimeStampResp with status rejection (2), one failure bit and an optional text. */
export function rejectTimeStamp(failInfo: TsaFailure, text?: string): Bytes {
  const resp = new pkijs.TimeStampResp({
    status: new pkijs.PKIStatusInfo({
      status: 2,
      failInfo: failInfoBits(TSA_FAILURE[failInfo]),
      ...(text && { statusStrings: [new asn1js.Utf8String({ value: text })] })
    })
  });
  return encode(resp.toSchema());
}
