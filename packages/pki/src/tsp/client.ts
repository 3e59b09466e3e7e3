import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PkiError, assertArg } from '../errors.ts';
import {
  digest,
  digestAlgorithmIdentifier,
  digestLength,
  isDigestAlgorithm,
  type DigestAlgorithm
} from '../algorithms.ts';
import { bytes, isBytes, toArrayBuffer, toHex } from '../bytes.ts';
import { encode, parseAsn1 } from '../der.ts';
import { verifyTimestampToken, type TimestampToken, type TimestampVerification } from './token.ts';

/** Raw HTTP exchange (RFC 3161 §3.4): POST `body` with `contentType`, get the answer. Inject it; never global. */
export type HttpTransport = (
  url: string,
  body: Uint8Array,
  contentType: string
) => Promise<{ status: number; contentType?: string; body: Uint8Array }>;

/** A transport on top of WHATWG `fetch` (the edge default; pass your own `fetch` in tests). */
export function fetchTransport(fetchFn: typeof fetch = globalThis.fetch): HttpTransport {
  return async (url, body, contentType) => {
    const res = await fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: toArrayBuffer(body)
    });
    return {
      status: res.status,
      contentType: res.headers.get('content-type') ?? undefined,
      body: new Uint8Array(await res.arrayBuffer())
    };
  };
}

export interface TimestampRequestInput {
  /** The data to time-stamp (hashed here) or its digest. For a CMS signature-time-stamp: the signature value. */
  readonly data?: Uint8Array;
  readonly digest?: Uint8Array;
  readonly hash?: DigestAlgorithm;
  readonly policy?: string;
  /** 8 random bytes when omitted (a 64-bit nonce, RFC 3161 §2.4.1). */
  readonly nonce?: Uint8Array;
  readonly crypto?: Crypto;
}

export interface TimestampRequest {
  readonly der: Uint8Array;
  readonly hash: DigestAlgorithm;
  readonly imprint: Uint8Array;
  readonly nonce: Uint8Array;
  readonly policy?: string;
}

/**
 * Build a TimeStampReq (RFC 3161 §2.4.1), certReq = TRUE:
 * ```asn1
 * TimeStampReq ::= SEQUENCE { version INTEGER { v1(1) }, messageImprint MessageImprint,
 *   reqPolicy TSAPolicyId OPTIONAL, nonce INTEGER OPTIONAL, certReq BOOLEAN DEFAULT FALSE,
 *   extensions [0] IMPLICIT Extensions OPTIONAL }
 * MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }
 * ```
 */
export async function createTimestampRequest(input: TimestampRequestInput): Promise<TimestampRequest> {
  const hash = input.hash ?? 'SHA-256';
  assertArg(isDigestAlgorithm(hash), 'hash must be SHA-256, SHA-384 or SHA-512');
  assertArg(isBytes(input.data) !== isBytes(input.digest), 'give exactly one of data or digest');
  const crypto = input.crypto ?? globalThis.crypto;
  const imprint = input.digest ?? (await digest(hash, input.data!, crypto));
  assertArg(imprint.length === digestLength(hash), `digest must be ${digestLength(hash)} bytes`);
  const nonce = input.nonce ?? crypto.getRandomValues(new Uint8Array(8));
  assertArg(isBytes(nonce) && nonce.length > 0 && nonce.length <= 32, 'nonce must be 1..32 bytes');
  // A positive INTEGER: clear the top bit so no sign byte is needed and the value round-trips.
  const n = nonce.slice();
  n[0] = (n[0]! & 0x7f) | 0x01;
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: digestAlgorithmIdentifier(hash),
      hashedMessage: new asn1js.OctetString({ valueHex: toArrayBuffer(imprint) })
    }),
    reqPolicy: input.policy,
    nonce: new asn1js.Integer({ valueHex: toArrayBuffer(n) }),
    certReq: true
  });
  return { der: encode(req.toSchema()), hash, imprint, nonce: n, policy: input.policy };
}

const PKI_STATUS = [
  'granted',
  'grantedWithMods',
  'rejection',
  'waiting',
  'revocationWarning',
  'revocationNotification'
];
const FAIL_INFO: Record<number, string> = {
  0: 'badAlg',
  2: 'badRequest',
  5: 'badDataFormat',
  14: 'timeNotAvailable',
  15: 'unacceptedPolicy',
  16: 'unacceptedExtension',
  17: 'addInfoNotAvailable',
  25: 'systemFailure'
};

/**
 * Check a TimeStampResp against its request (RFC 3161 §2.4.2): PKIStatus granted(0/1), a token whose
 * imprint, nonce and (if requested) policy match, a valid CMS signature by a certificate with the critical
 * timeStamping EKU, chaining to `anchors` if given. Any failure: `TSA_BAD_RESPONSE` with the reason.
 * ```asn1
 * TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }
 * ```
 */
export async function readTimestampResponse(
  respDer: Uint8Array,
  request: TimestampRequest,
  opts: { anchors?: readonly Uint8Array[]; crypto?: Crypto } = {}
): Promise<TimestampVerification> {
  const bad = (reason: string): never => {
    throw new PkiError('TSA_BAD_RESPONSE', `TSA answer refused: ${reason}`);
  };
  let resp: pkijs.TimeStampResp;
  try {
    resp = new pkijs.TimeStampResp({ schema: parseAsn1(respDer, 'TimeStampResp') });
  } catch (e) {
    return bad(`not a TimeStampResp (${(e as Error).message})`);
  }
  const status = resp.status.status as number;
  if (status !== 0 && status !== 1) {
    const text = (resp.status.statusStrings ?? []).map((s) => s.valueBlock.value).join('; ');
    const bits = resp.status.failInfo ? bytes(resp.status.failInfo.valueBlock.valueHexView) : new Uint8Array();
    const fails = Object.entries(FAIL_INFO)
      .filter(([bit]) => (bits[Math.floor(+bit / 8)] ?? 0) & (0x80 >> (+bit % 8)))
      .map(([, n]) => n);
    return bad(
      `status ${PKI_STATUS[status] ?? status}${fails.length ? ` (${fails.join(', ')})` : ''}${text ? `: ${text}` : ''}`
    );
  }
  if (!resp.timeStampToken) return bad('granted but no token');
  const tokenDer = encode(resp.timeStampToken.toSchema());
  let v: TimestampVerification;
  try {
    v = await verifyTimestampToken(tokenDer, {
      imprinted: { digest: request.imprint, hash: request.hash },
      anchors: opts.anchors,
      crypto: opts.crypto
    });
  } catch (e) {
    return bad((e as Error).message);
  }
  const t: TimestampToken = v.token;
  if (!v.imprintMatches) bad('message imprint differs from the request');
  if (t.nonce !== toHex(request.nonce).replace(/^(00)+(?=..)/, '')) bad('nonce differs from the request');
  if (request.policy && t.policy !== request.policy)
    bad(`policy ${t.policy} differs from the requested ${request.policy}`);
  if (!v.signatureValid) bad(`token signature invalid (${v.problems.join('; ') || 'bad signature'})`);
  if (!v.tsaCertificate) bad('token carries no TSA certificate although certReq was set');
  if (!v.tsaCertificateValid) bad('TSA certificate lacks the critical timeStamping EKU');
  if (opts.anchors && !v.chainsToAnchor) bad('TSA certificate does not chain to a trust anchor');
  return v;
}

export interface TimestampClientOptions {
  readonly url: string;
  readonly transport?: HttpTransport;
  readonly hash?: DigestAlgorithm;
  readonly policy?: string;
  /** Trust anchors the TSA must chain to (checked when given). */
  readonly anchors?: readonly Uint8Array[];
  readonly crypto?: Crypto;
}

/**
 * Ask a TSA for a token over `data` (RFC 3161 §3.4 HTTP). No answer / HTTP error → `TSA_UNAVAILABLE`;
 * an answer that is wrong in any way → `TSA_BAD_RESPONSE`.
 *
 * @example
 * const { token } = await requestTimestamp({ url: 'http://127.0.0.1:18778/tsa' }, { data: signatureValue });
 */
export async function requestTimestamp(
  client: TimestampClientOptions,
  what: { data: Uint8Array } | { digest: Uint8Array }
): Promise<TimestampVerification> {
  assertArg(client && typeof client.url === 'string' && /^https?:\/\//.test(client.url), 'TSA url must be http(s)');
  const request = await createTimestampRequest({
    ...what,
    hash: client.hash,
    policy: client.policy,
    crypto: client.crypto
  });
  const transport = client.transport ?? fetchTransport();
  let answer: Awaited<ReturnType<HttpTransport>>;
  try {
    answer = await transport(client.url, request.der, 'application/timestamp-query');
  } catch (cause) {
    throw new PkiError('TSA_UNAVAILABLE', `TSA ${client.url} did not answer: ${(cause as Error).message}`, { cause });
  }
  if (answer.status < 200 || answer.status > 299)
    throw new PkiError('TSA_UNAVAILABLE', `TSA ${client.url} answered HTTP ${answer.status}`);
  // RFC 3161 §3.4 names application/timestamp-reply; some TSAs still send the draft's timestamp-response.
  const type = answer.contentType?.split(';')[0]!.trim().toLowerCase();
  if (
    type &&
    !['application/timestamp-reply', 'application/timestamp-response', 'application/octet-stream'].includes(type)
  ) {
    throw new PkiError('TSA_BAD_RESPONSE', `TSA answered content-type ${answer.contentType}`);
  }
  return readTimestampResponse(answer.body, request, { anchors: client.anchors, crypto: client.crypto });
}
