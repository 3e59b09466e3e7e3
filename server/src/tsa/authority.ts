import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { randomBytes } from 'node:crypto';
import {
  readTimeStampRequest,
  readTimestampResponse,
  rejectTimeStamp,
  TimeStampIssuer,
  TimeStampRejection,
  type AuthorityKey,
  type TimeStampRequestInfo,
  type TimestampRequest
} from '@inkan/pki';
import type { Db } from '../db/sqlite.ts';
import { nodeHash } from '../keys/store.ts';
import { TsaLedger } from './ledger.ts';

/** Answers a DER TimeStampReq with a DER TimeStampResp. */
export interface TimeStampService {
  readonly mode: 'builtin' | 'proxy';
  respond(request: Uint8Array, client: string): Promise<Uint8Array<ArrayBuffer>>;
  /** Finishes pending work (the built-in TSA's token log); called when the server stops. */
  close?(): void;
}

export class TsaUnavailable extends Error {
  readonly code = 'TSA_UNAVAILABLE';
  constructor(readonly attempts: string[]) {
    super(`no upstream TSA answered verifiably: ${attempts.join('; ')}`);
    this.name = 'TsaUnavailable';
  }
}

export interface BuiltinTsaOptions {
  db: Db;
  clock: () => Date;
  certificate: Uint8Array<ArrayBuffer>;
  key: AuthorityKey;
  /** Certificates above the TSA certificate included with certReq (issuing CA). */
  chain: Uint8Array<ArrayBuffer>[];
  policy: string;
  accuracySeconds?: number;
  /** Serials reserved per synced write (see {@link TsaLedger}). */
  serialBlock?: number;
}

/**
 * The built-in RFC 3161 TSA. Serials are unique across restarts and crashes, handed out from durably reserved
 * blocks, and every token is in `tsa_tokens` (group commit) before its reply leaves ({@link TsaLedger});
 * SHA-256/384/512 imprints only; the request's policy must be ours; bad requests get a rejection PKIStatus with
 * the matching failInfo (RFC 3161 §2.4.2). The constant parts of every token are encoded once
 * ({@link TimeStampIssuer}).
 */
export class BuiltinTsa implements TimeStampService {
  readonly mode = 'builtin';
  private readonly issuer: Promise<TimeStampIssuer>;
  private readonly ledger: TsaLedger;
  private readonly policies: string[];
  constructor(private readonly o: BuiltinTsaOptions) {
    this.ledger = new TsaLedger(o.db, o.clock, o.serialBlock);
    this.policies = [o.policy];
    this.issuer = TimeStampIssuer.create({
      tsa: { certificate: o.certificate, key: o.key, chain: o.chain },
      policy: o.policy,
      accuracy: { seconds: o.accuracySeconds ?? 1 },
      digest: nodeHash
    });
  }

  async respond(request: Uint8Array, client: string): Promise<Uint8Array<ArrayBuffer>> {
    let req;
    try {
      req = readTimeStampRequest(request, { policies: this.policies });
    } catch (e) {
      if (e instanceof TimeStampRejection) return rejectTimeStamp(e.failInfo, e.message);
      throw e;
    }
    const issuer = await this.issuer;
    const genTime = this.o.clock();
    const serial = this.ledger.nextSerial();
    const { response } = await issuer.issue(req, BigInt(serial), genTime);
    await this.ledger.record({
      serial,
      genTime: genTime.toISOString(),
      hashAlg: req.hashAlgorithm,
      imprint: Buffer.from(req.hashedMessage).toString('hex'),
      client
    });
    return response;
  }

  /** Records the tokens still waiting for their commit; the TSA answers nothing afterwards. */
  close(): void {
    this.ledger.close();
  }
}

export interface TsaProxyOptions {
  /** Upstream TSA URLs, tried in order. */
  upstreams: string[];
  timeoutMs: number;
  /** Trust anchors the upstream TSA certificate must chain to (none: EKU and signature checked only). */
  anchors?: Uint8Array[];
  fetch?: typeof fetch;
}

/**
 * Proxy mode: the client's imprint, policy and nonce are forwarded (with certReq set) to each upstream in turn;
 * a reply is returned only once it verifies (status, imprint, nonce, policy, signature, TSA certificate with
 * the critical timeStamping EKU, chain to the anchors when given). Timeouts and bad replies fail over to the
 * next URL; when all fail the caller gets {@link TsaUnavailable} — never a locally invented time.
 */
export class TsaProxy implements TimeStampService {
  readonly mode = 'proxy';
  constructor(private readonly o: TsaProxyOptions) {}

  async respond(request: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
    let req;
    try {
      // Policies are the upstream's business; the rest is checked before anything leaves this server.
      req = readTimeStampRequest(request, { policies: 'any' });
    } catch (e) {
      if (e instanceof TimeStampRejection) return rejectTimeStamp(e.failInfo, e.message);
      throw e;
    }
    const upstreamReq = upstreamRequest(req);
    const attempts: string[] = [];
    const f = this.o.fetch ?? fetch;
    for (const url of this.o.upstreams) {
      try {
        const res = await f(url, {
          method: 'POST',
          headers: { 'content-type': 'application/timestamp-query' },
          body: upstreamReq.der.slice(),
          signal: AbortSignal.timeout(this.o.timeoutMs)
        });
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
        const body = new Uint8Array(await res.arrayBuffer());
        if (body.length > 64 * 1024) throw new Error('reply too large');
        await readTimestampResponse(body, upstreamReq, { anchors: this.o.anchors });
        return body;
      } catch (e) {
        attempts.push(`${url}: ${(e as Error).message}`);
      }
    }
    throw new TsaUnavailable(attempts);
  }
}

const HASH_OID = {
  'SHA-256': '2.16.840.1.101.3.4.2.1',
  'SHA-384': '2.16.840.1.101.3.4.2.2',
  'SHA-512': '2.16.840.1.101.3.4.2.3'
};

/**
 * The request sent upstream: the client's imprint, policy and nonce byte-for-byte (so the reply matches what the
 * client asked), certReq set (the proxy must see the TSA certificate to verify it). Without a client nonce a
 * fresh 64-bit one protects the proxy's own exchange.
 */
function upstreamRequest(req: TimeStampRequestInfo): TimestampRequest {
  const nonce = req.nonce ?? Uint8Array.from(randomBytes(8), (b, i) => (i === 0 ? (b & 0x7f) | 0x01 : b));
  const der = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({
        algorithmId: HASH_OID[req.hashAlgorithm],
        algorithmParams: new asn1js.Null()
      }),
      hashedMessage: new asn1js.OctetString({ valueHex: req.hashedMessage })
    }),
    ...(req.reqPolicy && { reqPolicy: req.reqPolicy }),
    nonce: new asn1js.Integer({ valueHex: nonce }),
    certReq: true
  })
    .toSchema()
    .toBER(false);
  return {
    der: new Uint8Array(der),
    hash: req.hashAlgorithm,
    imprint: req.hashedMessage,
    nonce,
    policy: req.reqPolicy
  };
}
