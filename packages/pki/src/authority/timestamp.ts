import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { digest, digestAlgorithmIdentifier, digestLength, digestOid, type DigestAlgorithm } from '../algorithms.ts';
import { concatBytes, type Bytes } from '../bytes.ts';
import { encodeAttribute, signingCertificateV2 } from '../cms/signed-attributes.ts';
import { certificateFields, derSetOf, encode, oidDer, parseCertificate, parsePkijs, tlv } from '../der.ts';
import { PkiError } from '../errors.ts';
import { OID } from '../oids.ts';
import { wholeSeconds } from './der.ts';
import { type AuthorityKey, authorityAlgorithm } from './key.ts';

/** PKIFailureInfo bits (RFC 3161 §2.4.2). */
export const TSA_FAILURE = {
  badAlg: 0,
  badRequest: 2,
  badDataFormat: 5,
  timeNotAvailable: 14,
  unacceptedPolicy: 15,
  unacceptedExtension: 16,
  addInfoNotAvailable: 17,
  systemFailure: 25
} as const;
export type TsaFailure = keyof typeof TSA_FAILURE;

/** A request the TSA refuses; `failInfo` is what the rejection response reports. */
export class TimeStampRejection extends PkiError {
  constructor(
    readonly failInfo: TsaFailure,
    message: string
  ) {
    super(failInfo === 'badAlg' ? 'PKI_ALGORITHM_NOT_ALLOWED' : 'PKI_MALFORMED', message);
  }
}

/** A parsed, accepted TimeStampReq (RFC 3161 §2.4.1). */
export interface TimeStampRequestInfo {
  hashAlgorithm: DigestAlgorithm;
  hashedMessage: Bytes;
  /** INTEGER contents octets of the nonce, echoed verbatim. */
  nonce?: Bytes;
  certReq: boolean;
  reqPolicy?: string;
}

const HASHES: DigestAlgorithm[] = ['SHA-256', 'SHA-384', 'SHA-512'];

/**
 * Parses and checks a DER TimeStampReq. Throws {@link TimeStampRejection} carrying the failInfo to answer
 * with: malformed DER → badDataFormat; version ≠ 1 → badRequest; a hash outside `hashes` (SHA-1 never) →
 * badAlg; an imprint of the wrong length → badDataFormat; a policy outside `policies` → unacceptedPolicy;
 * any extension → unacceptedExtension.
 *
 * ```asn1
 * TimeStampReq ::= SEQUENCE { version INTEGER { v1(1) }, messageImprint MessageImprint,
 *   reqPolicy TSAPolicyId OPTIONAL, nonce INTEGER OPTIONAL, certReq BOOLEAN DEFAULT FALSE,
 *   extensions [0] IMPLICIT Extensions OPTIONAL }
 * ```
 */
export function readTimeStampRequest(
  der: Uint8Array,
  accept: {
    hashes?: DigestAlgorithm[];
    /** Offered policies, or 'any' (a proxy leaves policy to upstream). */ policies: string[] | 'any';
  }
): TimeStampRequestInfo {
  let req: pkijs.TimeStampReq;
  try {
    req = parsePkijs(der, pkijs.TimeStampReq, 'TimeStampReq');
  } catch {
    throw new TimeStampRejection('badDataFormat', 'malformed TimeStampReq');
  }
  if (req.version !== 1) throw new TimeStampRejection('badRequest', `unsupported version ${req.version}`);
  const oid = req.messageImprint.hashAlgorithm.algorithmId;
  const hash = HASHES.find((h) => digestOid(h) === oid);
  if (!hash || !(accept.hashes ?? HASHES).includes(hash))
    throw new TimeStampRejection('badAlg', `hash algorithm ${oid} not accepted`);
  const params = req.messageImprint.hashAlgorithm.algorithmParams;
  if (params !== undefined && !(params instanceof asn1js.Null))
    throw new TimeStampRejection('badAlg', 'unexpected hash parameters');
  const hashedMessage = req.messageImprint.hashedMessage.valueBlock.valueHexView.slice();
  if (hashedMessage.length !== digestLength(hash))
    throw new TimeStampRejection('badDataFormat', `${hash} imprint must be ${digestLength(hash)} bytes`);
  if (req.reqPolicy !== undefined && accept.policies !== 'any' && !accept.policies.includes(req.reqPolicy))
    throw new TimeStampRejection('unacceptedPolicy', `policy ${req.reqPolicy} not offered`);
  if (req.extensions?.length) throw new TimeStampRejection('unacceptedExtension', 'extensions are not supported');
  const nonce = req.nonce?.valueBlock.valueHexView.slice();
  if (nonce && (nonce.length === 0 || nonce.length > 64))
    throw new TimeStampRejection('badRequest', 'nonce must be 1-64 octets');
  return { hashAlgorithm: hash, hashedMessage, nonce, certReq: req.certReq ?? false, reqPolicy: req.reqPolicy };
}

/** PKIFailureInfo with one named bit, DER (trailing zero bits dropped). */
/** Minimal DER INTEGER contents of a non-negative bigint (X.690 §8.3). */
function integerContents(n: bigint): Bytes {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  const b = Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
  return b[0]! & 0x80 ? concatBytes(new Uint8Array([0]), b) : b;
}

const policyDer = new Map<string, Bytes>();

/**
 * TSTInfo (RFC 3161 §2.4.2), encoded directly as DER — the TSA's hot path, so no object tree is built:
 * ```asn1
 * TSTInfo ::= SEQUENCE { version INTEGER { v1(1) }, policy TSAPolicyId, messageImprint MessageImprint,
 *   serialNumber INTEGER, genTime GeneralizedTime, accuracy Accuracy OPTIONAL,
 *   ordering BOOLEAN DEFAULT FALSE, nonce INTEGER OPTIONAL, tsa [0] GeneralName OPTIONAL,
 *   extensions [1] IMPLICIT Extensions OPTIONAL }
 * Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] INTEGER (1..999) OPTIONAL,
 *   micros [1] INTEGER (1..999) OPTIONAL }
 * ```
 * genTime has whole seconds (`YYYYMMDDHHMMSSZ`, no fraction); tsa is the directoryName of the TSA certificate.
 */
function encodeTstInfo(req: TimeStampRequestInfo, o: IssueTimeStampOptions, tsaSubject: Uint8Array): Bytes {
  let policy = policyDer.get(o.policy);
  if (!policy) policyDer.set(o.policy, (policy = oidDer(o.policy)));
  const time = wholeSeconds(o.genTime).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  const a = o.accuracy;
  const accuracy = a
    ? [
        tlv(
          0x30,
          ...(a.seconds !== undefined ? [tlv(0x02, integerContents(BigInt(a.seconds)))] : []),
          ...(a.millis !== undefined ? [tlv(0x80, integerContents(BigInt(a.millis)))] : []),
          ...(a.micros !== undefined ? [tlv(0x81, integerContents(BigInt(a.micros)))] : [])
        )
      ]
    : [];
  return tlv(
    0x30,
    new Uint8Array([0x02, 0x01, 0x01]),
    policy,
    tlv(
      0x30,
      tlv(0x30, oidDer(digestOid(req.hashAlgorithm)), new Uint8Array([0x05, 0x00])),
      tlv(0x04, req.hashedMessage)
    ),
    tlv(0x02, integerContents(o.serialNumber)),
    tlv(0x18, new TextEncoder().encode(time)),
    ...accuracy,
    ...(req.nonce ? [tlv(0x02, req.nonce)] : []),
    tlv(0xa0, tlv(0xa4, tsaSubject))
  );
}

/** What every token of one TSA certificate repeats, computed once per certificate (a TSA answers many requests). */
const tsaInfoCache = new WeakMap<
  Uint8Array,
  Promise<{
    subject: pkijs.RelativeDistinguishedNames;
    essAttribute: Bytes;
    fields: ReturnType<typeof certificateFields>;
  }>
>();
function tsaCertificateInfo(certificate: Bytes, crypto?: Crypto) {
  let info = tsaInfoCache.get(certificate);
  if (!info) {
    info = (async () => ({
      subject: parseCertificate(certificate).subject,
      essAttribute: encodeAttribute(OID.signingCertificateV2, await signingCertificateV2(certificate, crypto)),
      fields: certificateFields(certificate)
    }))();
    tsaInfoCache.set(certificate, info);
  }
  return info;
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

export interface IssueTimeStampOptions {
  /** TSA certificate (critical EKU timeStamping), its key, and optionally its chain (DER, issuer first). */
  tsa: { certificate: Bytes; key: AuthorityKey; chain?: Bytes[] };
  /** TSA policy OID written into TSTInfo. */
  policy: string;
  serialNumber: bigint;
  genTime: Date;
  accuracy?: { seconds?: number; millis?: number; micros?: number };
  crypto?: Crypto;
}

/**
 * Issues a granted TimeStampResp (RFC 3161 §2.4.2) for an accepted request. TSTInfo: policy, serial,
 * genTime (whole seconds), accuracy, the echoed nonce, the TSA name. The token is a CMS SignedData
 * (RFC 5652 §5) whose signed attributes — contentType id-ct-TSTInfo, messageDigest, ESS
 * signing-certificate-v2 — are DER-sorted; the TSA certificate (and chain) is included only if certReq.
 */
export async function issueTimeStamp(
  req: TimeStampRequestInfo,
  o: IssueTimeStampOptions
): Promise<{ response: Bytes; token: Bytes }> {
  const tsaInfo = await tsaCertificateInfo(o.tsa.certificate, o.crypto);
  const tstDer = encodeTstInfo(req, o, tsaInfo.fields.subject);
  const hash = o.tsa.key.hash;
  const signedAttrs = derSetOf([
    encodeAttribute(OID.contentType, oidDer(OID.tstInfo)),
    encodeAttribute(OID.messageDigest, tlv(0x04, await digest(hash, tstDer, o.crypto))),
    tsaInfo.essAttribute
  ]);
  const signature = await o.tsa.key.sign(signedAttrs);
  const f = tsaInfo.fields;
  const version = (n: number) => new Uint8Array([0x02, 0x01, n]);
  const digestAlg = encode(digestAlgorithmIdentifier(hash).toSchema());
  const signerInfo = tlv(
    0x30,
    version(1),
    tlv(0x30, f.issuer, f.serialNumber),
    digestAlg,
    concatBytes(new Uint8Array([0xa0]), signedAttrs.subarray(1)),
    encode(authorityAlgorithm(o.tsa.key).toSchema()),
    tlv(0x04, signature)
  );
  const certificates = req.certReq ? [tlv(0xa0, o.tsa.certificate, ...(o.tsa.chain ?? []))] : [];
  const signedData = tlv(
    0x30,
    version(3),
    tlv(0x31, digestAlg),
    tlv(0x30, oidDer(OID.tstInfo), tlv(0xa0, tlv(0x04, tstDer))),
    ...certificates,
    tlv(0x31, signerInfo)
  );
  const token = tlv(0x30, oidDer(OID.signedData), tlv(0xa0, signedData));
  // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }
  const response = tlv(0x30, tlv(0x30, new Uint8Array([0x02, 0x01, 0x00])), token);
  return { response, token };
}
