import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteSigner, signCms } from '@inkan/pki';
import { opensslCmsVerify } from '@inkan/pki/testing';
import { createSession } from '../envelopes/auth.ts';
import { pem } from '../ca/http.ts';
import { openssl, startTrustRig, STORE_KINDS, type TrustRig } from '../../test/trust-kit.ts';

describe.each(STORE_KINDS)('witness signing, CSC signHash (%s keys)', (kind) => {
  let rig: TrustRig;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    rig.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body)
    });
  const codeFor = async (email: string) => {
    expect((await post('/api/sign/code', { email })).status).toBe(202);
    const mail = rig.mailbox.last(email);
    return /(\d{6})/.exec(mail.subject)![1]!;
  };
  const authorize = async (email: string) => {
    const r = await post('/api/sign/authorize', { email, code: await codeFor(email) });
    expect(r.status).toBe(200);
    return ((await r.json()) as { SAD: string }).SAD;
  };
  const fetchApp = ((url: string | URL | Request, init?: RequestInit) =>
    rig.app.request(url as string, init)) as typeof fetch;

  beforeAll(async () => {
    rig = await startTrustRig(kind);
  });
  afterAll(async () => {
    await rig.close();
  });

  it('signs a CMS through createRemoteSigner after an e-mail code; openssl cms -verify accepts it; the call is audited', async () => {
    const sad = await authorize('hanako@example.jp');
    const signer = await createRemoteSigner({
      baseUrl: 'http://inkan.test/api/csc/v2',
      credentialID: 'witness',
      sad,
      fetch: fetchApp
    });
    const content = new TextEncoder().encode('the PDF byte ranges');
    const cms = await signCms({ signer, contentDigest: createHash('sha256').update(content).digest() });
    // openssl cms -verify over the content, trusting only our root; throws when openssl refuses.
    expect(() => opensslCmsVerify(cms, content, pem(rig.trust.ca.root.certificate))).not.toThrow();
    const subject = (
      await openssl(['x509', '-inform', 'DER', '-noout', '-subject', '-nameopt', 'utf8'], signer.certificate)
    ).out;
    expect(subject).toContain('契約印');
    const audit = rig.db.prepare('SELECT principal, email, hash_alg, digest FROM witness_signatures').all() as {
      email: string;
      principal: string;
    }[];
    expect(audit.at(-1)).toMatchObject({ principal: 'sad', email: 'hanako@example.jp', hash_alg: 'SHA-256' });
    expect(() => rig.db.prepare('DELETE FROM witness_signatures').run()).toThrow(/append-only/);
    if (kind === 'pkcs11') expect(await (await rig.trust.keys.find('witness'))!.isExtractable()).toBe(false);
  });

  it('accepts a bearer session of the envelope flow instead of a SAD', async () => {
    rig.db
      .prepare("INSERT INTO senders (id, name, email, created_at) VALUES ('snd_w', 'S', 'sender@example.jp', ?)")
      .run(new Date().toISOString());
    const token = createSession(rig.db, { senderId: 'snd_w' }, new Date(), null);
    const r = await post(
      '/api/sign/hash',
      {
        credentialID: 'witness',
        hashes: [Buffer.alloc(32, 7).toString('base64')],
        hashAlgorithmOID: '2.16.840.1.101.3.4.2.1',
        signAlgo: '1.2.840.113549.1.1.1'
      },
      { authorization: `Bearer ${token}` }
    );
    expect(r.status).toBe(200);
    const body = (await r.json()) as { signatures: string[]; certificates: string[] };
    expect(body.signatures).toHaveLength(1);
    expect(body.certificates).toHaveLength(3);
  });

  it('refuses: no credentials, bad digests, unknown algorithms, a used-up SAD', async () => {
    const hashReq = (extra: object = {}) => ({
      credentialID: 'witness',
      hashes: [Buffer.alloc(32, 1).toString('base64')],
      hashAlgorithmOID: '2.16.840.1.101.3.4.2.1',
      signAlgo: '1.2.840.113549.1.1.1',
      ...extra
    });
    const code = async (r: Response) => ((await r.json()) as { error: { code: string } }).error.code;
    const before = (rig.db.prepare('SELECT count(*) AS n FROM witness_signatures').get() as { n: number }).n;
    expect(await code(await post('/api/sign/hash', hashReq()))).toBe('UNAUTHENTICATED');
    expect(await code(await post('/api/sign/hash', hashReq({ SAD: 'x'.repeat(43) })))).toBe('SAD_INVALID');
    const sad = await authorize('taro@example.jp');
    expect(
      await code(await post('/api/sign/hash', hashReq({ SAD: sad, hashes: [Buffer.alloc(20).toString('base64')] })))
    ).toBe('INVALID_REQUEST');
    expect(await code(await post('/api/sign/hash', hashReq({ SAD: sad, signAlgo: '1.2.840.10045.4.3.2' })))).toBe(
      'SIGN_ALGORITHM_UNSUPPORTED'
    );
    expect(await code(await post('/api/sign/hash', hashReq({ SAD: sad, hashAlgorithmOID: '1.3.14.3.2.26' })))).toBe(
      'SIGN_ALGORITHM_UNSUPPORTED'
    );
    expect((rig.db.prepare('SELECT count(*) AS n FROM witness_signatures').get() as { n: number }).n).toBe(before);
    // 5 uses in all (the 3 refused above already spent theirs): 2 more succeed, then the SAD is gone
    expect((await post('/api/sign/hash', hashReq({ SAD: sad }))).status).toBe(200);
    expect((await post('/api/sign/hash', hashReq({ SAD: sad }))).status).toBe(200);
    expect(await code(await post('/api/sign/hash', hashReq({ SAD: sad })))).toBe('SAD_INVALID');
  });

  it('stops after five wrong codes, and a used code cannot be replayed', async () => {
    const email = 'jiro@example.jp';
    const good = await codeFor(email);
    const wrong = good === '000000' ? '111111' : '000000';
    const statuses: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await post('/api/sign/authorize', { email, code: wrong });
      statuses.push(((await r.json()) as { error: { code: string } }).error.code);
    }
    expect(statuses).toEqual([
      'OTP_INVALID',
      'OTP_INVALID',
      'OTP_INVALID',
      'OTP_INVALID',
      'OTP_INVALID',
      'OTP_TOO_MANY_ATTEMPTS'
    ]);
    expect((await post('/api/sign/authorize', { email, code: good })).status).toBe(429);
    const fresh = await codeFor(email);
    expect((await post('/api/sign/authorize', { email, code: fresh })).status).toBe(200);
    expect((await post('/api/sign/authorize', { email, code: fresh })).status).toBe(400);
  });

  it('limits code mails per client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post('/api/sign/code', { email: `x${i}@example.jp` })).status);
    // 4 codes were mailed by the tests above: the 5th passes, then the client is refused
    expect(statuses).toEqual([202, 429, 429]);
  });
});
