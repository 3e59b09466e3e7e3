import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestFromOid } from '../algorithms.ts';
import { toPem } from '../bytes.ts';
import { createTestPki, type TestPki } from '../testing/index.ts';
import {
  readTimeStampRequest,
  TimeStampIssuer,
  TimeStampRejection,
  type TimeStampRequestInfo,
  type TsaFailure
} from './timestamp.ts';

const POLICY = '1.3.6.1.4.1.55555.1.1';
let pki: TestPki;
let dir: string;
const file = (name: string, data: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};
const query = (...args: string[]) =>
  new Uint8Array(execFileSync('openssl', ['ts', '-query', '-data', join(dir, 'data.txt'), ...args]));
/** The judge: openssl, run with arguments, never a shell. */
function openssl(args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('openssl', args);
  return { ok: r.status === 0, out: `${r.stdout?.toString() ?? ''}${r.stderr?.toString() ?? ''}` };
}

beforeAll(async () => {
  pki = await createTestPki();
  dir = mkdtempSync(join(tmpdir(), 'inkan-tsp-'));
  file('data.txt', '契約書の本文');
  file('root.pem', pki.rootPem);
  file('ca.pem', toPem(pki.ca.certificate, 'CERTIFICATE'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What pkijs — a general ASN.1 parser, independent of the lean reader — makes of a request; null if it fails. */
function pkijsReading(der: Uint8Array): TimeStampRequestInfo | null {
  try {
    const parsed = asn1js.fromBER(der.slice().buffer);
    if (parsed.offset !== der.length || parsed.result.error) return null;
    const req = new pkijs.TimeStampReq({ schema: parsed.result });
    return {
      hashAlgorithm: digestFromOid(req.messageImprint.hashAlgorithm.algorithmId),
      hashedMessage: req.messageImprint.hashedMessage.valueBlock.valueHexView.slice(),
      nonce: req.nonce?.valueBlock.valueHexView.slice(),
      certReq: req.certReq ?? false,
      reqPolicy: req.reqPolicy
    };
  } catch {
    return null;
  }
}

function outcome(der: Uint8Array): TimeStampRequestInfo | TsaFailure {
  try {
    return readTimeStampRequest(der, { policies: [POLICY] });
  } catch (e) {
    if (e instanceof TimeStampRejection) return e.failInfo;
    throw e;
  }
}

describe('TimeStampReq reader', () => {
  it('reads what openssl ts -query writes exactly as pkijs does', () => {
    for (const args of [
      ['-sha256'],
      ['-sha384', '-cert'],
      ['-sha512', '-no_nonce'],
      ['-sha256', '-cert', '-tspolicy', POLICY]
    ]) {
      const q = query(...args);
      const ours = readTimeStampRequest(q, { policies: [POLICY] });
      expect(ours).toEqual(pkijsReading(q));
      expect(ours.certReq).toBe(args.includes('-cert'));
      expect(ours.nonce === undefined).toBe(args.includes('-no_nonce'));
    }
  });

  it('answers each kind of bad request with its failInfo', () => {
    const good = query('-sha256', '-no_nonce');
    // SEQUENCE { INTEGER 1, MessageImprint } rebuilt with one part changed at a time.
    const imprint = (alg: number[], digest: number[]) => [
      0x30,
      alg.length + digest.length + 4,
      0x30,
      alg.length,
      ...alg,
      0x04,
      digest.length,
      ...digest
    ];
    const sha256 = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
    const req = (...parts: number[][]) => {
      const body = parts.flat();
      return new Uint8Array([0x30, body.length, ...body]);
    };
    const v1 = [0x02, 0x01, 0x01];
    const d32 = Array<number>(32).fill(7);
    expect(outcome(req(v1, imprint(sha256, d32)))).toMatchObject({ hashAlgorithm: 'SHA-256', certReq: false });
    expect(outcome(req([0x02, 0x01, 0x02], imprint(sha256, d32)))).toBe('badRequest');
    expect(outcome(req(v1, imprint([...sha256, 0x05, 0x00], d32)))).toMatchObject({ hashAlgorithm: 'SHA-256' });
    expect(outcome(req(v1, imprint([...sha256, 0x02, 0x01, 0x00], d32)))).toBe('badAlg');
    const sha1 = [0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a];
    expect(outcome(req(v1, imprint(sha1, Array<number>(20).fill(1))))).toBe('badAlg');
    expect(outcome(req(v1, imprint(sha256, d32.slice(1))))).toBe('badDataFormat');
    expect(outcome(req(v1, imprint(sha256, d32), [0x06, 0x03, 0x2a, 0x03, 0x04]))).toBe('unacceptedPolicy');
    expect(outcome(req(v1, imprint(sha256, d32), [0xa0, 0x02, 0x30, 0x00]))).toBe('unacceptedExtension');
    expect(outcome(req(v1, imprint(sha256, d32), [0x02, 0x41, ...Array<number>(65).fill(1)]))).toBe('badRequest');
    expect(outcome(req(v1, imprint(sha256, d32), [0x02, 0x00]))).toBe('badRequest');
    // Structure: out of order, trailing bytes, indefinite length, truncation, unknown element.
    expect(outcome(req(v1, imprint(sha256, d32), [0x01, 0x01, 0xff], [0x02, 0x01, 0x05]))).toBe('badDataFormat');
    expect(outcome(new Uint8Array([...good, 0]))).toBe('badDataFormat');
    expect(outcome(new Uint8Array([0x30, 0x80, ...good.subarray(2), 0, 0]))).toBe('badDataFormat');
    expect(outcome(good.subarray(0, good.length - 1))).toBe('badDataFormat');
    expect(outcome(req(v1, imprint(sha256, d32), [0x04, 0x00]))).toBe('badDataFormat');
    expect(outcome(new Uint8Array([1, 2, 3]))).toBe('badDataFormat');
    expect(outcome(new Uint8Array(0))).toBe('badDataFormat');
  });

  it('never accepts what pkijs cannot read, and reads the same fields (20 000 mutated requests)', () => {
    const seeds = [query('-sha256', '-cert', '-tspolicy', POLICY), query('-sha512'), query('-sha384', '-no_nonce')];
    let state = 12345;
    const rnd = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < 20_000; i++) {
      let m = seeds[i % seeds.length]!.slice();
      const kind = rnd(4);
      if (kind === 0) m[rnd(m.length)] = rnd(256);
      else if (kind === 1) m = m.subarray(0, rnd(m.length));
      else if (kind === 2) {
        const at = rnd(m.length);
        m = new Uint8Array([...m.subarray(0, at), rnd(256), ...m.subarray(at)]);
      } else {
        m[rnd(m.length)] ^= 1 << rnd(8);
        m[rnd(m.length)] = rnd(256);
      }
      const ours = outcome(m); // throws anything but a rejection → the test fails
      if (typeof ours === 'string') {
        rejected++;
        continue;
      }
      accepted++;
      expect(ours).toEqual(pkijsReading(m));
    }
    expect(accepted).toBeGreaterThan(1000);
    expect(rejected).toBeGreaterThan(1000);
  });
});

describe('TimeStampIssuer (judged by openssl ts)', () => {
  let issuer: TimeStampIssuer;
  beforeAll(async () => {
    issuer = await TimeStampIssuer.create({
      tsa: { certificate: pki.tsa.certificate, key: pki.tsa.key, chain: [...pki.tsa.chain] },
      policy: POLICY,
      accuracy: { seconds: 1, millis: 500 }
    });
  });

  it.each([
    ['sha256', 1n, ['-cert']],
    ['sha384', 128n, ['-cert']],
    ['sha512', 2n ** 64n + 255n, ['-no_nonce']],
    ['sha256', 0x80_0000n, []]
  ] as const)('%s, serial %s: openssl reads our fields and verifies the token', async (h, serial, args) => {
    const q = query(`-${h}`, ...args);
    const req = readTimeStampRequest(q, { policies: [POLICY] });
    const { response } = await issuer.issue(req, serial, new Date('2026-06-01T12:34:56.789Z'));
    const name = `${h}-${serial}`;
    const text = openssl(['ts', '-reply', '-in', file(`${name}.tsr`, response), '-text']).out;
    expect(text).toContain('Status: Granted');
    expect(text).toContain(`Policy OID: ${POLICY}`);
    expect(text).toContain(`Hash Algorithm: ${h}`);
    const hexSerial = serial.toString(16).toUpperCase();
    expect(text).toContain(`Serial number: 0x${hexSerial.length % 2 ? '0' + hexSerial : hexSerial}\n`);
    expect(text).toContain('Time stamp: Jun  1 12:34:56 2026 GMT');
    expect(text).toContain('Accuracy: 0x01 seconds, 0x01F4 millis, unspecified micros');
    expect(text).toContain('TSA: DirName:');
    if (req.nonce) {
      const hex = Buffer.from(req.nonce)
        .toString('hex')
        .toUpperCase()
        .replace(/^(00)+(?=.)/, '');
      expect(text).toContain(`Nonce: 0x${hex}`);
    } else expect(text).toContain('Nonce: unspecified');
    const verify = [
      'ts',
      '-verify',
      '-queryfile',
      file(`${name}.tsq`, q),
      '-in',
      join(dir, `${name}.tsr`),
      '-CAfile',
      join(dir, 'root.pem'),
      '-attime',
      '1780000000'
    ];
    // Without certReq the token carries no certificate: openssl needs it (and the issuing CA) given.
    if (!req.certReq)
      verify.push('-untrusted', file(`${name}-chain.pem`, pki.chainPem + toPem(pki.tsa.certificate, 'CERTIFICATE')));
    else verify.push('-untrusted', join(dir, 'ca.pem'));
    expect(openssl(verify).out).toContain('Verification: OK');
  });

  it('echoes a nonce whose top bit is set byte for byte', async () => {
    const d32 = new Uint8Array(32).fill(9);
    for (const nonce of [new Uint8Array([0x00, 0x80, 0x01]), new Uint8Array([0x7f]), new Uint8Array(64).fill(0x11)]) {
      const { token } = await issuer.issue(
        { hashAlgorithm: 'SHA-256', hashedMessage: d32, nonce, certReq: false },
        7n,
        new Date()
      );
      const sd = new pkijs.SignedData({
        schema: new pkijs.ContentInfo({ schema: asn1js.fromBER(token.slice().buffer).result }).content
      });
      const tst = new pkijs.TSTInfo({
        schema: asn1js.fromBER(sd.encapContentInfo.eContent!.getValue().slice(0)).result
      });
      expect(new Uint8Array(tst.nonce!.valueBlock.valueHexView)).toEqual(nonce);
      expect(tst.serialNumber.valueBlock.valueDec).toBe(7);
    }
  });
});
