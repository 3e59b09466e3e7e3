import { digestLength, digestOid, type DigestAlgorithm } from '../algorithms.ts';
import type { Bytes } from '../bytes.ts';
import { PkiError } from '../errors.ts';

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

/** One TLV: tag octet, contents [start, end). */
interface Tlv {
  tag: number;
  start: number;
  end: number;
}

class Malformed extends Error {}

/**
 * Reads the TLV at `pos` (X.690 §8.1): single-octet tags only (none of a TimeStampReq needs more),
 * definite lengths only (no BER indefinite form), contents within `limit`.
 */
function tlvAt(der: Uint8Array, pos: number, limit: number): Tlv {
  if (pos + 2 > limit) throw new Malformed('truncated');
  const tag = der[pos]!;
  if ((tag & 0x1f) === 0x1f) throw new Malformed('multi-octet tag');
  let len = der[pos + 1]!;
  let start = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3) throw new Malformed(n === 0 ? 'indefinite length' : 'length too large');
    if (start + n > limit) throw new Malformed('truncated length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i]!;
    start += n;
  }
  const end = start + len;
  if (end > limit) throw new Malformed('truncated contents');
  return { tag, start, end };
}

/** Dotted form of OBJECT IDENTIFIER contents (X.690 §8.19); malformed sub-identifiers are refused. */
function oidString(der: Uint8Array, t: Tlv): string {
  if (t.end === t.start) throw new Malformed('empty OID');
  const arcs: number[] = [];
  let v = 0;
  for (let i = t.start; i < t.end; i++) {
    const b = der[i]!;
    if (v === 0 && b === 0x80) throw new Malformed('OID sub-identifier with a leading 0x80');
    v = v * 128 + (b & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) throw new Malformed('OID arc too large');
    if (!(b & 0x80)) {
      arcs.push(v);
      v = 0;
    }
  }
  if (der[t.end - 1]! & 0x80) throw new Malformed('OID ends inside a sub-identifier');
  const first = arcs[0]!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

/** INTEGER contents; `allowEmpty` defers the length check (an empty nonce is answered with badRequest). */
function integerContents(der: Uint8Array, t: Tlv, allowEmpty = false): Bytes {
  if (t.tag !== 0x02 || (t.end === t.start && !allowEmpty)) throw new Malformed('INTEGER expected');
  return der.slice(t.start, t.end) as Bytes;
}

/** The fields of a TimeStampReq, structure checked, meaning not yet. */
interface RawRequest {
  version: Bytes;
  hashOid: string;
  /** Encoding of the AlgorithmIdentifier parameters when present. */
  hashParams?: { tag: number; length: number };
  hashedMessage: Bytes;
  reqPolicy?: string;
  nonce?: Bytes;
  certReq: boolean;
  extensions: boolean;
}

/**
 * ```asn1
 * TimeStampReq ::= SEQUENCE { version INTEGER { v1(1) }, messageImprint MessageImprint,
 *   reqPolicy TSAPolicyId OPTIONAL, nonce INTEGER OPTIONAL, certReq BOOLEAN DEFAULT FALSE,
 *   extensions [0] IMPLICIT Extensions OPTIONAL }
 * MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }
 * AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }
 * Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension
 * ```
 */
function parseRequest(der: Uint8Array): RawRequest {
  const outer = tlvAt(der, 0, der.length);
  if (outer.tag !== 0x30) throw new Malformed('SEQUENCE expected');
  if (outer.end !== der.length) throw new Malformed('trailing bytes');
  let pos = outer.start;
  const next = () => {
    const t = tlvAt(der, pos, outer.end);
    pos = t.end;
    return t;
  };
  const version = integerContents(der, next());
  const imprint = next();
  if (imprint.tag !== 0x30) throw new Malformed('MessageImprint expected');
  const alg = tlvAt(der, imprint.start, imprint.end);
  if (alg.tag !== 0x30) throw new Malformed('AlgorithmIdentifier expected');
  const oid = tlvAt(der, alg.start, alg.end);
  if (oid.tag !== 0x06) throw new Malformed('OID expected');
  let hashParams: RawRequest['hashParams'];
  if (oid.end < alg.end) {
    const p = tlvAt(der, oid.end, alg.end);
    if (p.end !== alg.end) throw new Malformed('AlgorithmIdentifier has extra elements');
    hashParams = { tag: der[oid.end]!, length: p.end - p.start };
  }
  const message = tlvAt(der, alg.end, imprint.end);
  if (message.tag !== 0x04 || message.end !== imprint.end) throw new Malformed('OCTET STRING expected');
  const raw: RawRequest = {
    version,
    hashOid: oidString(der, oid),
    hashParams,
    hashedMessage: der.slice(message.start, message.end) as Bytes,
    certReq: false,
    extensions: false
  };
  // The optional fields, each at most once and in the order of the definition.
  let t = pos < outer.end ? next() : undefined;
  if (t?.tag === 0x06) {
    raw.reqPolicy = oidString(der, t);
    t = pos < outer.end ? next() : undefined;
  }
  if (t?.tag === 0x02) {
    raw.nonce = integerContents(der, t, true);
    t = pos < outer.end ? next() : undefined;
  }
  if (t?.tag === 0x01) {
    if (t.end - t.start !== 1) throw new Malformed('BOOLEAN must be one octet');
    raw.certReq = der[t.start] !== 0;
    t = pos < outer.end ? next() : undefined;
  }
  if (t?.tag === 0xa0) {
    // Structure only: a non-empty SEQUENCE OF SEQUENCE. Any extension is refused afterwards.
    if (t.start === t.end) throw new Malformed('empty extensions');
    for (let p = t.start; p < t.end;) {
      const e = tlvAt(der, p, t.end);
      if (e.tag !== 0x30) throw new Malformed('Extension expected');
      p = e.end;
    }
    raw.extensions = true;
    t = pos < outer.end ? next() : undefined;
  }
  if (t) throw new Malformed(`unexpected element with tag 0x${t.tag.toString(16)}`);
  return raw;
}

/**
 * Parses and checks a DER TimeStampReq without building an object tree (the TSA's hot path). Throws
 * {@link TimeStampRejection} carrying the failInfo to answer with: malformed DER (truncated, trailing bytes,
 * indefinite lengths, wrong types or order) → badDataFormat; version ≠ 1 → badRequest; a hash outside `hashes`
 * (SHA-1 never) or parameters other than NULL → badAlg; an imprint of the wrong length → badDataFormat; a policy
 * outside `policies` → unacceptedPolicy; any extension → unacceptedExtension; a nonce that is empty or longer than 64 octets →
 * badRequest.
 */
export function readTimeStampRequest(
  der: Uint8Array,
  accept: {
    hashes?: DigestAlgorithm[];
    /** Offered policies, or 'any' (a proxy leaves policy to upstream). */ policies: string[] | 'any';
  }
): TimeStampRequestInfo {
  let req: RawRequest;
  try {
    req = parseRequest(der);
  } catch (e) {
    if (e instanceof Malformed) throw new TimeStampRejection('badDataFormat', 'malformed TimeStampReq');
    throw e;
  }
  if (req.version.length !== 1 || req.version[0] !== 1) {
    const v = req.version.length <= 6 ? String(signedInteger(req.version)) : 'out of range';
    throw new TimeStampRejection('badRequest', `unsupported version ${v}`);
  }
  const hash = HASHES.find((h) => digestOid(h) === req.hashOid);
  if (!hash || !(accept.hashes ?? HASHES).includes(hash))
    throw new TimeStampRejection('badAlg', `hash algorithm ${req.hashOid} not accepted`);
  if (req.hashParams && (req.hashParams.tag !== 0x05 || req.hashParams.length !== 0))
    throw new TimeStampRejection('badAlg', 'unexpected hash parameters');
  if (req.hashedMessage.length !== digestLength(hash))
    throw new TimeStampRejection('badDataFormat', `${hash} imprint must be ${digestLength(hash)} bytes`);
  if (req.reqPolicy !== undefined && accept.policies !== 'any' && !accept.policies.includes(req.reqPolicy))
    throw new TimeStampRejection('unacceptedPolicy', `policy ${req.reqPolicy} not offered`);
  if (req.extensions) throw new TimeStampRejection('unacceptedExtension', 'extensions are not supported');
  if (req.nonce && (req.nonce.length === 0 || req.nonce.length > 64))
    throw new TimeStampRejection('badRequest', 'nonce must be 1-64 octets');
  return {
    hashAlgorithm: hash,
    hashedMessage: req.hashedMessage,
    nonce: req.nonce,
    certReq: req.certReq,
    reqPolicy: req.reqPolicy
  };
}

/** Two's complement value of INTEGER contents of at most 6 octets. */
function signedInteger(b: Uint8Array): number {
  let v = b[0]! & 0x80 ? -1 : 0;
  for (const x of b) v = v * 256 + x;
  return v;
}
