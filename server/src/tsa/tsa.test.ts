import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../ratelimit/limiter.ts';
import { pem } from '../ca/http.ts';
import { parseEnv } from '../env.ts';
import { openssl, startTrustRig, STORE_KINDS, type TrustRig } from '../../test/trust-kit.ts';

const work = mkdtempSync(join(tmpdir(), 'inkan-tsa-judge-'));
const file = (name: string, data: string | Uint8Array) => {
  writeFileSync(join(work, name), data);
  return join(work, name);
};
const data = file('data.txt', '契約書 bytes');
const query = (...args: string[]): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(execFileSync('openssl', ['ts', '-query', '-data', data, ...args]));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(STORE_KINDS)('built-in TSA (%s keys)', (kind) => {
  let rig: TrustRig;
  const post = (body: Uint8Array<ArrayBuffer> | string, type = 'application/timestamp-query') =>
    rig.app.request('/api/tsa', { method: 'POST', headers: { 'content-type': type }, body });
  beforeAll(async () => {
    rig = await startTrustRig(kind, { env: { INKAN_TSA_POLICY: '1.3.6.1.4.1.55555.9.9' } });
    file(`root-${kind}.pem`, pem(rig.trust.ca.root.certificate));
  });
  afterAll(() => rig.close());

  it.each(['sha256', 'sha384', 'sha512'])('grants %s requests that openssl ts -verify accepts', async (h) => {
    const q = query(`-${h}`, '-cert');
    const res = await post(q);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/timestamp-reply');
    const reply = file(`r-${kind}-${h}.tsr`, new Uint8Array(await res.arrayBuffer()));
    const text = (await openssl(['ts', '-reply', '-in', reply, '-text'])).out;
    expect(text).toContain('Status: Granted');
    expect(text).toContain('Policy OID: 1.3.6.1.4.1.55555.9.9');
    expect(text).toContain('Accuracy: 0x01 seconds');
    const v = await openssl([
      'ts',
      '-verify',
      '-queryfile',
      file(`q-${kind}-${h}.tsq`, q),
      '-in',
      reply,
      '-CAfile',
      join(work, `root-${kind}.pem`)
    ]);
    expect(v.out).toContain('Verification: OK');
  });

  it('rejects SHA-1, a foreign policy and garbage with the right failInfo; wrong type 415; big body 413', async () => {
    const failInfo = async (body: Uint8Array<ArrayBuffer>) => {
      const res = await post(body);
      expect(res.status).toBe(200);
      return (await openssl(['ts', '-reply', '-in', file('rej.tsr', new Uint8Array(await res.arrayBuffer())), '-text']))
        .out;
    };
    expect(await failInfo(query('-sha1'))).toContain('unrecognized or unsupported algorithm');
    expect(await failInfo(query('-sha256', '-tspolicy', '1.2.3.4'))).toContain(
      'the requested TSA policy is not supported by the TSA'
    );
    expect(await failInfo(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]))).toContain(
      'the data submitted has the wrong format'
    );
    expect((await post(query('-sha256'), 'application/octet-stream')).status).toBe(415);
    expect((await post(new Uint8Array(10_000))).status).toBe(413);
  });

  it('over a socket: a declared Content-Length above 8 KiB or a longer chunked body gets 413, a real query 200', async () => {
    const origin = await rig.listen();
    const send = (body: BodyInit, extra: RequestInit = {}) =>
      fetch(`${origin}/api/tsa`, {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query' },
        body,
        ...extra
      });
    expect((await send(query('-sha256'))).status).toBe(200);
    expect((await send(new Uint8Array(9000))).status).toBe(413);
    const chunked = (n: number) =>
      new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < n; i++) c.enqueue(new Uint8Array(1000));
          c.close();
        }
      });
    const streamed = await send(chunked(9), { duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    const ok = await send(
      new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(query('-sha256'));
          c.close();
        }
      }),
      { duplex: 'half' } as RequestInit
    );
    expect(ok.status).toBe(200);
    const reply = file(`chunked-${kind}.tsr`, new Uint8Array(await ok.arrayBuffer()));
    expect((await openssl(['ts', '-reply', '-in', reply, '-text'])).out).toContain('Status: Granted');
  });

  it('numbers timestamps with serials that keep rising across restarts', async () => {
    const serialOf = async () => {
      const res = await post(query('-sha256'));
      const t = (
        await openssl(['ts', '-reply', '-in', file('s.tsr', new Uint8Array(await res.arrayBuffer())), '-text'])
      ).out;
      return parseInt(/Serial number: 0x([0-9A-F]+)/.exec(t)![1]!, 16);
    };
    const a = await serialOf();
    const b = await serialOf();
    expect(b).toBe(a + 1);
    await rig.restart();
    expect(await serialOf()).toBeGreaterThan(b);
  });
});

describe('built-in TSA with an RSA-3072 key (INKAN_TSA_KEY_ALG)', () => {
  let rig: TrustRig;
  beforeAll(async () => {
    rig = await startTrustRig('software', { env: { INKAN_TSA_KEY_ALG: 'RSA-3072' } });
  });
  afterAll(() => rig.close());

  it('signs tokens with RSA that openssl ts -verify accepts, and keeps that key across restarts', async () => {
    const stamp = async (name: string) => {
      const q = query('-sha256', '-cert');
      const res = await rig.app.request('/api/tsa', {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query' },
        body: q
      });
      expect(res.status).toBe(200);
      const reply = file(`${name}.tsr`, new Uint8Array(await res.arrayBuffer()));
      const v = await openssl([
        'ts',
        '-verify',
        '-queryfile',
        file(`${name}.tsq`, q),
        '-in',
        reply,
        '-CAfile',
        file('root-rsa-tsa.pem', pem(rig.trust.ca.root.certificate))
      ]);
      expect(v.out).toContain('Verification: OK');
      const token = file(`${name}.tst`, '');
      await openssl(['ts', '-reply', '-in', reply, '-token_out', '-out', token]);
      const certs = await openssl(['pkcs7', '-inform', 'DER', '-in', token, '-print_certs', '-text', '-noout']);
      expect(certs.out).toMatch(/Time-Stamping Authority[\s\S]*?Public Key Algorithm: rsaEncryption[\s\S]*?3072 bit/);
    };
    await stamp('rsa-1');
    await rig.restart();
    await stamp('rsa-2');
  });

  it('refuses to start on a data folder whose TSA key has the other algorithm', async () => {
    await expect(rig.restart({ INKAN_TSA_KEY_ALG: 'P-256' })).rejects.toMatchObject({
      code: 'KEY_ALGORITHM_UNSUPPORTED'
    });
    expect(() => parseEnv({ INKAN_TSA_KEY_ALG: 'RSA-1024' })).toThrow(/INKAN_TSA_KEY_ALG/);
  });
});

describe('TSA rate limit', () => {
  it('answers 429 once a client has used its burst', async () => {
    const rig = await startTrustRig('software', { tsaLimiter: new RateLimiter({ burst: 2, perSecond: 0 }) });
    const post = () =>
      rig.app.request('/api/tsa', {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query' },
        body: query('-sha256')
      });
    expect([(await post()).status, (await post()).status, (await post()).status]).toEqual([200, 200, 429]);
    await rig.close();
  });
});

function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

describe('TSA proxy in front of the reference openssl TSA', () => {
  const tools = join(work, 'tools');
  let port: number;
  beforeAll(async () => {
    cpSync('/work/shared/tools', tools, { recursive: true });
    execFileSync(join(tools, 'pki/make-pki.sh'), { stdio: 'pipe' });
    port = await freePort();
    execFileSync(join(tools, 'tsa/tsa-ctl.sh'), ['start', String(port)], { stdio: 'pipe' });
  });
  afterAll(() => {
    execFileSync(join(tools, 'tsa/tsa-ctl.sh'), ['stop', String(port)], { stdio: 'pipe' });
  });

  const proxied = async (upstreams: string[], q: Uint8Array<ArrayBuffer>) => {
    // anchors from configuration (INKAN_TSA_TRUST = the reference PKI's root PEM)
    const rig = await startTrustRig('software', {
      env: {
        INKAN_TSA_URLS: upstreams.join(','),
        INKAN_TSA_TIMEOUT_MS: '2000',
        INKAN_TSA_TRUST: join(tools, 'pki/root-ca.pem')
      }
    });
    try {
      const res = await rig.app.request('/api/tsa', {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query' },
        body: q
      });
      return { status: res.status, body: new Uint8Array(await res.arrayBuffer()), mode: rig.trust.tsa.mode };
    } finally {
      await rig.close();
    }
  };

  /** openssl ts -verify of a proxied reply against the reference PKI's root. */
  const verifiedByReferenceRoot = async (name: string, q: Uint8Array, reply: Uint8Array) =>
    (
      await openssl([
        'ts',
        '-verify',
        '-queryfile',
        file(`${name}.tsq`, q),
        '-in',
        file(`${name}.tsr`, reply),
        '-CAfile',
        join(tools, 'pki/root-ca.pem')
      ])
    ).out;

  it('fails over from a dead upstream to a good one and returns its verified reply', async () => {
    const dead = `http://127.0.0.1:${await freePort()}/tsa`;
    const q = query('-sha256', '-cert');
    const r = await proxied([dead, `http://127.0.0.1:${port}/tsa`], q);
    expect(r.mode).toBe('proxy');
    expect(r.status).toBe(200);
    expect(await verifiedByReferenceRoot('pq', q, r.body)).toContain('Verification: OK');
  });

  it('forwards a nonce whose top bit is set byte-for-byte (the reply must echo the client nonce)', async () => {
    const q = query('-sha256', '-cert', '-no_nonce');
    // Re-encode with nonce 0x00ff…: INTEGER content octets that a naive positive-ising copy would change.
    const asn1 = await import('asn1js');
    const pkijs = await import('pkijs');
    const req = new pkijs.TimeStampReq({ schema: asn1.fromBER(q.slice().buffer).result });
    req.nonce = new asn1.Integer({ valueHex: new Uint8Array([0x00, 0xff, 1, 2, 3, 4, 5, 6, 7]) });
    const withNonce = new Uint8Array(req.toSchema().toBER(false));
    const r = await proxied([`http://127.0.0.1:${port}/tsa`], withNonce);
    expect(r.status).toBe(200);
    expect(await verifiedByReferenceRoot('nq', withNonce, r.body)).toContain('Verification: OK');
  });

  it('times out an upstream that accepts but never answers, then fails over', async () => {
    const sockets: import('node:net').Socket[] = [];
    const hanging = createServer((sock) => void sockets.push(sock)).listen(0, '127.0.0.1');
    await new Promise((ok) => hanging.once('listening', ok));
    const slow = `http://127.0.0.1:${(hanging.address() as { port: number }).port}/tsa`;
    const rig = await startTrustRig('software', {
      env: {
        INKAN_TSA_URLS: `${slow},http://127.0.0.1:${port}/tsa`,
        INKAN_TSA_TIMEOUT_MS: '300',
        INKAN_TSA_TRUST: join(tools, 'pki/root-ca.pem')
      }
    });
    try {
      const res = await rig.app.request('/api/tsa', {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query' },
        body: query('-sha256')
      });
      expect(res.status).toBe(200);
      expect(sockets.length).toBeGreaterThan(0); // the hanging upstream was really tried first
    } finally {
      await rig.close();
      sockets.forEach((s) => s.destroy());
      hanging.close();
    }
  });

  it('never invents a time: a rejecting or lying upstream gives 503 TSA_UNAVAILABLE', async () => {
    const r = await proxied(
      [`http://127.0.0.1:${port}/tsa/reject`, `http://127.0.0.1:${port}/tsa/bad-imprint`],
      query('-sha256')
    );
    expect(r.status).toBe(503);
    expect(JSON.parse(Buffer.from(r.body).toString()).error.code).toBe('TSA_UNAVAILABLE');
  });

  it('refuses a reply whose TSA does not chain to the configured anchors', async () => {
    // Anchors = a platform root of our own, which did not issue the reference TSA's certificate.
    const other = await startTrustRig('software');
    const strict = await startTrustRig('software', {
      env: { INKAN_TSA_URLS: `http://127.0.0.1:${port}/tsa` },
      tsaAnchors: [other.trust.ca.root.certificate]
    });
    const res = await strict.app.request('/api/tsa', {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: query('-sha256')
    });
    expect(res.status).toBe(503);
    await other.close();
    await strict.close();
  });
});
