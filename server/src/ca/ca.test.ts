import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCsr } from '@inkan/pki';
import { createSession } from '../envelopes/auth.ts';
import { openssl, startTrustRig, STORE_KINDS, type TrustRig } from '../../test/trust-kit.ts';
import { pem } from './http.ts';

const b64 = (d: Uint8Array) => Buffer.from(d).toString('base64');

describe.each(STORE_KINDS)('certificate authority (%s keys)', (kind) => {
  let rig: TrustRig;
  let dir: string;
  let admin: string;
  const json = (path: string, body: unknown, token?: string) =>
    rig.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify(body)
    });
  const file = (name: string, data: string | Uint8Array) => {
    writeFileSync(join(dir, name), data);
    return join(dir, name);
  };
  const enroll = async (email: string) => {
    const r = await json('/api/ca/enrollments', { email, name: 'Hanako Yamada' }, admin);
    expect(r.status).toBe(201);
    return ((await r.json()) as { token: string }).token;
  };
  const csr = async () => {
    const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify'
    ])) as CryptoKeyPair;
    return createCsr(keys, { commonName: 'ignored by the CA' });
  };

  beforeAll(async () => {
    rig = await startTrustRig(kind);
    dir = mkdtempSync(join(tmpdir(), 'inkan-ca-judge-'));
    rig.db
      .prepare("INSERT INTO senders (id, name, email, created_at) VALUES ('snd_admin', 'Admin', 'admin@example.jp', ?)")
      .run(new Date().toISOString());
    admin = createSession(rig.db, { senderId: 'snd_admin' }, new Date(), null);
    const roots = (await (await rig.app.request('/api/ca/roots')).json()) as {
      roots: string[];
      intermediates: string[];
    };
    file('root.pem', pem(Buffer.from(roots.roots[0]!, 'base64')));
    file('ca.pem', pem(Buffer.from(roots.intermediates[0]!, 'base64')));
  });
  afterAll(async () => {
    await rig.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the trust services in /api/health', async () => {
    const h = (await (await rig.app.request('/api/health')).json()) as {
      trust: { keys: string; tsa: string; rootSha256: string };
    };
    expect(h.trust).toEqual({ keys: kind, tsa: 'builtin', rootSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('keeps its keys in the store: non-extractable when the store is an HSM', async () => {
    const k = await rig.trust.keys.find('ca-issuing');
    expect(await k!.isExtractable()).toBe(kind === 'software');
  });

  it('issues a signer certificate for a CSR + one-time token; openssl verifies the chain and the profile', async () => {
    const token = await enroll('hanako@example.jp');
    const r = await json('/api/ca/issue', { csr: b64(await csr()), token });
    expect(r.status).toBe(201);
    const body = (await r.json()) as { certificate: string; chain: string[]; serial: string };
    const leaf = file('leaf.pem', pem(Buffer.from(body.certificate, 'base64')));
    const v = await openssl([
      'verify',
      '-CAfile',
      join(dir, 'root.pem'),
      '-untrusted',
      join(dir, 'ca.pem'),
      '-purpose',
      'smimesign',
      leaf
    ]);
    expect(v.out).toContain(': OK');
    const text = (await openssl(['x509', '-in', leaf, '-noout', '-text'])).out;
    expect(text).toContain('CN = Hanako Yamada'); // the enrolled identity, not the CSR's subject
    expect(text).not.toContain('ignored by the CA');
    expect(text).toMatch(/Digital Signature, Non Repudiation/);
    expect(text).toContain('1.3.6.1.5.5.7.3.36');
    expect(text).toContain(`OCSP - URI:${rig.config.publicUrl}/api/ca/ocsp`);
    expect(text).toContain(`URI:${rig.config.publicUrl}/api/ca/crl`);
    // the token was one-time
    const again = await json('/api/ca/issue', { csr: b64(await csr()), token });
    expect(again.status).toBe(403);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('CA_ENROLLMENT_INVALID');
  });

  it('refuses a CSR whose signature does not prove possession, and malformed DER, issuing nothing', async () => {
    const good = await csr();
    const forged = good.slice();
    forged[forged.length - 5]! ^= 0xff;
    const before = rig.db.prepare('SELECT count(*) AS n FROM ca_certificates').get() as { n: number };
    const kept = await enroll('a@example.jp');
    const pop = await json('/api/ca/issue', { csr: b64(forged), token: kept });
    expect(pop.status).toBe(400);
    expect(((await pop.json()) as { error: { code: string } }).error.code).toBe('CA_POP_FAILED');
    const junk = await json('/api/ca/issue', {
      csr: b64(new Uint8Array([0x30, 0x82, 1, 2, 3])),
      token: await enroll('b@example.jp')
    });
    expect(((await junk.json()) as { error: { code: string } }).error.code).toBe('CA_CSR_INVALID');
    expect(rig.db.prepare('SELECT count(*) AS n FROM ca_certificates').get()).toEqual(before);
    // a refused CSR does not burn the token
    expect((await json('/api/ca/issue', { csr: b64(good), token: kept })).status).toBe(201);
    const big = await rig.app.request('/api/ca/issue', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(40_000)
    });
    expect(big.status).toBe(413);
  });

  it('only the sender grants enrollments and revokes', async () => {
    expect((await json('/api/ca/enrollments', { email: 'x@example.jp', name: 'X' })).status).toBe(401);
    expect((await json('/api/ca/revoke', { serial: '01' })).status).toBe(401);
    expect((await json('/api/ca/revoke', { serial: '01' }, admin)).status).toBe(404);
  });

  it('revokes; openssl ocsp over a real socket says good then revoked, and the CRL verifies and lists it', async () => {
    const origin = await rig.listen();
    const r = await json('/api/ca/issue', { csr: b64(await csr()), token: await enroll('taro@example.jp') });
    const { certificate, serial } = (await r.json()) as { certificate: string; serial: string };
    const leaf = file('taro.pem', pem(Buffer.from(certificate, 'base64')));
    const ask = () =>
      openssl([
        'ocsp',
        '-issuer',
        join(dir, 'ca.pem'),
        '-cert',
        leaf,
        '-url',
        `${origin}/api/ca/ocsp`,
        '-CAfile',
        join(dir, 'root.pem')
      ]);
    const good = await ask();
    expect(good.out).toContain('Response verify OK');
    expect(good.out).toMatch(/taro\.pem: good/);
    expect((await json('/api/ca/revoke', { serial, reason: 'keyCompromise' }, admin)).status).toBe(200);
    expect((await json('/api/ca/revoke', { serial }, admin)).status).toBe(409);
    const revoked = await ask();
    expect(revoked.out).toContain('Response verify OK');
    expect(revoked.out).toMatch(/taro\.pem: revoked/);
    expect(revoked.out).toContain('Reason: keyCompromise');
    const crl = new Uint8Array(await (await fetch(`${origin}/api/ca/crl`)).arrayBuffer());
    const chain = file(
      'chain.pem',
      pem(Buffer.from((await rig.trust.ca.chain)[0]!)) + pem(rig.trust.ca.root.certificate)
    );
    const c = await openssl([
      'crl',
      '-inform',
      'DER',
      '-in',
      file('ca.crl', crl),
      '-CAfile',
      chain,
      '-verify',
      '-noout',
      '-text'
    ]);
    expect(c.out).toContain('verify OK');
    expect(c.out.toLowerCase()).toContain(
      `serial number: ${serial.toUpperCase().padStart(serial.length + (serial.length % 2), '0')}`.toLowerCase()
    );
    // GET form of OCSP (RFC 6960 Appendix A.1) answers too
    const req = await openssl([
      'ocsp',
      '-issuer',
      join(dir, 'ca.pem'),
      '-cert',
      leaf,
      '-reqout',
      join(dir, 'req.der'),
      '-no_nonce'
    ]);
    expect(req.ok).toBe(true);
    const { readFileSync } = await import('node:fs');
    const get = await fetch(
      `${origin}/api/ca/ocsp/${encodeURIComponent(readFileSync(join(dir, 'req.der')).toString('base64'))}`
    );
    expect(get.headers.get('content-type')).toBe('application/ocsp-response');
    const wrongType = await rig.app.request('/api/ca/ocsp', {
      method: 'POST',
      body: 'x',
      headers: { 'content-type': 'text/plain' }
    });
    expect(wrongType.status).toBe(415);
  });

  it('keeps the CA across restarts: same root, serials stay unique', async () => {
    const root = rig.trust.ca.root.certificate;
    await rig.restart();
    expect(rig.trust.ca.root.certificate).toEqual(root);
    const serials = rig.db.prepare('SELECT serial FROM ca_certificates').all() as { serial: string }[];
    expect(new Set(serials.map((s) => s.serial)).size).toBe(serials.length);
  });

  it('replaces its root by an imported chain: the issuing key is certified by an external CA (openssl as the judge)', async () => {
    expect((await rig.app.request('/api/ca/issuing.csr')).status).toBe(401);
    const csrRes = await rig.app.request('/api/ca/issuing.csr', { headers: { authorization: `Bearer ${admin}` } });
    expect(csrRes.headers.get('content-type')).toBe('application/pkcs10');
    file('issuing.csr', new Uint8Array(await csrRes.arrayBuffer()));
    const run = async (args: string[]) => {
      const r = await openssl(args);
      expect(r.ok, r.out).toBe(true);
      return r.out;
    };
    await run([
      'req',
      '-inform',
      'DER',
      '-in',
      join(dir, 'issuing.csr'),
      '-verify',
      '-out',
      join(dir, 'issuing.csr.pem')
    ]);
    // A "commercial" root nobody here wrote, certifying our issuing CA key.
    await run([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      join(dir, 'croot.key'),
      '-out',
      join(dir, 'croot.pem'),
      '-subj',
      '/C=JP/O=Commercial Trust/CN=Commercial Root',
      '-days',
      '3650',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign'
    ]);
    file(
      'ext.cnf',
      '[v3]\nbasicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n'
    );
    await run([
      'x509',
      '-req',
      '-in',
      join(dir, 'issuing.csr.pem'),
      '-CA',
      join(dir, 'croot.pem'),
      '-CAkey',
      join(dir, 'croot.key'),
      '-set_serial',
      '4242',
      '-days',
      '1000',
      '-extfile',
      join(dir, 'ext.cnf'),
      '-extensions',
      'v3',
      '-out',
      join(dir, 'issuing.pem')
    ]);
    const { readFileSync } = await import('node:fs');
    file(
      'imported-chain.pem',
      readFileSync(join(dir, 'issuing.pem'), 'utf8') + readFileSync(join(dir, 'croot.pem'), 'utf8')
    );
    await rig.restart({ INKAN_CA_CHAIN: join(dir, 'imported-chain.pem') });

    const roots = (await (await rig.app.request('/api/ca/roots')).json()) as { pem: string };
    expect(roots.pem.replace(/\s/g, '')).toBe(readFileSync(join(dir, 'croot.pem'), 'utf8').replace(/\s/g, ''));
    const r = await json('/api/ca/issue', { csr: b64(await csr()), token: await enroll('imported@example.jp') });
    expect(r.status).toBe(201);
    const issued = (await r.json()) as { certificate: string; chain: string[] };
    expect(issued.chain).toHaveLength(2);
    const leaf = file('imported-leaf.pem', pem(Buffer.from(issued.certificate, 'base64')));
    const v = await openssl([
      'verify',
      '-CAfile',
      join(dir, 'croot.pem'),
      '-untrusted',
      join(dir, 'issuing.pem'),
      leaf
    ]);
    expect(v.out).toContain(': OK');
    // The OCSP responder was re-certified under the imported issuing CA certificate and still verifies.
    const origin = await rig.listen();
    const o = await openssl([
      'ocsp',
      '-issuer',
      join(dir, 'issuing.pem'),
      '-cert',
      leaf,
      '-url',
      `${origin}/api/ca/ocsp`,
      '-CAfile',
      join(dir, 'croot.pem')
    ]);
    expect(o.out).toContain('Response verify OK');
    expect(o.out).toMatch(/imported-leaf\.pem: good/);
  });
});
