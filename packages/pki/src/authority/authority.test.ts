import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPem } from '../bytes.ts';
import {
  createTestPki,
  serveTestPki,
  TEST_TSA_POLICY,
  type ServedTestPki,
  type TestIdentity,
  type TestPki
} from '../testing/index.ts';
import { issueCertificate } from './certificate.ts';
import { rejectTimeStamp } from './timestamp.ts';
import { ocspErrorResponse } from './ocsp.ts';

/** The judge: openssl, run with arguments, never a shell. */
function openssl(args: string[], input?: Uint8Array): { ok: boolean; out: string } {
  const r = spawnSync('openssl', args, { input });
  return { ok: r.status === 0, out: `${r.stdout?.toString() ?? ''}${r.stderr?.toString() ?? ''}` };
}

/** Async variant, for judges that talk to a server in this very process (a sync call would deadlock). */
function opensslAsync(args: string[]): Promise<{ ok: boolean; out: string }> {
  return new Promise((ok) =>
    execFile('openssl', args, (err, stdout, stderr) => ok({ ok: !err, out: stdout + stderr }))
  );
}

let pki: TestPki;
let dir: string;
const file = (name: string, data: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};
const pemOf = (id: TestIdentity) => toPem(id.certificate, 'CERTIFICATE');

beforeAll(async () => {
  pki = await createTestPki();
  dir = mkdtempSync(join(tmpdir(), 'inkan-authority-'));
  file('root.pem', pki.rootPem);
  file('ca.pem', pemOf(pki.ca));
  file('chain.pem', pki.chainPem);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('test PKI certificates (judged by openssl)', () => {
  it('builds the same bytes on every run', async () => {
    const again = await createTestPki();
    expect(again.root.certificate).toEqual(pki.root.certificate);
    expect(again.signers.p256.certificate).toEqual(pki.signers.p256.certificate);
    expect(again.tsa.certificate).toEqual(pki.tsa.certificate);
    expect(again.crl).toEqual(pki.crl);
  });

  it.each(['p256', 'rsa', 'pss', 'p384', 'digitalSignatureOnly', 'revoked'] as const)(
    'signer %s chains to the root',
    (k) => {
      const leaf = file(`${k}.pem`, pemOf(pki.signers[k]));
      const r = openssl([
        'verify',
        '-attime',
        '1780000000',
        '-CAfile',
        join(dir, 'root.pem'),
        '-untrusted',
        join(dir, 'ca.pem'),
        leaf
      ]);
      expect(r.out).toContain(': OK');
    }
  );

  it('gives signers digitalSignature + nonRepudiation, emailProtection + documentSigning, AIA, CRLDP, SAN', () => {
    const text = openssl(['x509', '-noout', '-text'], Buffer.from(pemOf(pki.signers.p256))).out;
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation/);
    expect(text).toMatch(/E-mail Protection, 1\.3\.6\.1\.5\.5\.7\.3\.36/);
    expect(text).toContain('OCSP - URI:http://pki.inkan.test/ocsp');
    expect(text).toContain('CA Issuers - URI:http://pki.inkan.test/ca.crt');
    expect(text).toContain('URI:http://pki.inkan.test/ca.crl');
    expect(text).toContain('email:p256@signer.inkan.test');
    expect(text).toMatch(/Signature Algorithm: sha256WithRSAEncryption/);
    const ds = openssl(['x509', '-noout', '-text'], Buffer.from(pemOf(pki.signers.digitalSignatureOnly))).out;
    expect(ds).toMatch(/Key Usage: critical\s+Digital Signature\n/);
  });

  it('gives the TSA a critical timeStamping EKU and the responder OCSPSigning + ocsp-nocheck', () => {
    const tsa = openssl(['x509', '-noout', '-text'], Buffer.from(pemOf(pki.tsa))).out;
    expect(tsa).toMatch(/Extended Key Usage: critical\s+Time Stamping/);
    const ocsp = openssl(['x509', '-noout', '-text'], Buffer.from(pemOf(pki.ocsp))).out;
    expect(ocsp).toMatch(/Extended Key Usage:\s+OCSP Signing/);
    expect(ocsp).toContain('OCSP No Check');
    const ca = openssl(['x509', '-noout', '-text'], Buffer.from(pemOf(pki.ca))).out;
    expect(ca).toMatch(/CA:TRUE, pathlen:0/);
    expect(ca).toMatch(/Certificate Sign, CRL Sign/);
  });

  it('refuses a self-signed non-root and an issuer key that does not match', async () => {
    const base = { subject: { commonName: 'x' }, serialNumber: 5n, notBefore: new Date(0), notAfter: new Date(1e12) };
    await expect(
      issueCertificate({ ...base, issuer: { key: pki.ca.key }, profile: { kind: 'signer' } })
    ).rejects.toMatchObject({
      code: 'PKI_INVALID_ARGUMENT'
    });
    await expect(
      issueCertificate({
        ...base,
        subjectPublicKey: pki.signers.p256.key.spki,
        issuer: { certificate: pki.ca.certificate, key: pki.root.key },
        profile: { kind: 'signer' }
      })
    ).rejects.toMatchObject({ code: 'PKI_INVALID_ARGUMENT' });
  });
});

describe('CRL', () => {
  it('verifies with openssl and lists the revoked signer with its reason', () => {
    const crl = file('ca.crl', pki.crl);
    const r = openssl([
      'crl',
      '-inform',
      'DER',
      '-in',
      crl,
      '-CAfile',
      join(dir, 'chain.pem'),
      '-verify',
      '-noout',
      '-text'
    ]);
    expect(r.out).toContain('verify OK');
    expect(r.out).toContain('Serial Number: 1006');
    expect(r.out).toContain('Key Compromise');
    expect(r.out).toMatch(/X509v3 CRL Number:\s+1/);
  });
});

describe('OCSP responder over loopback (openssl ocsp)', () => {
  let served: ServedTestPki;
  beforeAll(async () => {
    served = await serveTestPki(pki);
  });
  afterAll(() => served.close());

  const ask = (k: 'p256' | 'revoked') =>
    opensslAsync([
      'ocsp',
      '-issuer',
      join(dir, 'ca.pem'),
      '-cert',
      file(`ask-${k}.pem`, pemOf(pki.signers[k])),
      '-url',
      served.ocsp,
      '-CAfile',
      join(dir, 'root.pem'),
      '-attime',
      '1780000000',
      '-resp_text'
    ]);

  it('answers good, signed by the delegated responder, nonce echoed', async () => {
    const r = await ask('p256');
    expect(r.out).toContain('Response verify OK');
    expect(r.out).toMatch(/: good/);
    expect(r.out).toContain('OCSP Nonce');
    expect(r.out).toContain('Responder Id: C = JP, O = Inkan Test PKI, CN = Inkan Test OCSP Responder');
  });

  it('answers revoked with time and reason', async () => {
    const r = await ask('revoked');
    expect(r.out).toContain('Response verify OK');
    expect(r.out).toMatch(/: revoked/);
    expect(r.out).toMatch(/Reason: keyCompromise/);
  });

  it('answers malformed requests with malformedRequest, never throwing', async () => {
    const res = await pki.ocspRespond(new Uint8Array([0x30, 0x03, 0x02, 0x01]));
    expect(res).toEqual(ocspErrorResponse('malformedRequest'));
  });
});

describe('in-process TSA (openssl ts)', () => {
  it.each(['sha256', 'sha384', 'sha512'])(
    'issues a %s timestamp that openssl ts -verify accepts, nonce echoed',
    async (h) => {
      const data = file(`data-${h}.txt`, 'contract bytes');
      const query = openssl(['ts', '-query', '-data', data, `-${h}`, '-cert']);
      const q = file(
        `q-${h}.tsq`,
        new Uint8Array(execFileSync('openssl', ['ts', '-query', '-data', data, `-${h}`, '-cert']))
      );
      expect(query.ok).toBe(true);
      const reply = await pki.timestamp(new Uint8Array(execFileSync('cat', [q])));
      const rp = file(`r-${h}.tsr`, reply);
      const text = openssl(['ts', '-reply', '-in', rp, '-text']).out;
      expect(text).toContain('Status: Granted');
      expect(text).toContain(`Policy OID: ${TEST_TSA_POLICY}`);
      expect(text).toContain('Time stamp: Jun  1 00:00:00 2026 GMT');
      const v = openssl([
        'ts',
        '-verify',
        '-queryfile',
        q,
        '-in',
        rp,
        '-CAfile',
        join(dir, 'root.pem'),
        '-untrusted',
        join(dir, 'ca.pem'),
        '-attime',
        '1780000000'
      ]);
      expect(v.out).toContain('Verification: OK');
    }
  );

  it('leaves the certificate out unless certReq, and rejects SHA-1 with badAlg', async () => {
    const data = file('d.txt', 'x');
    const noCert = new Uint8Array(execFileSync('openssl', ['ts', '-query', '-data', data, '-sha256', '-no_nonce']));
    const reply = await pki.timestamp(noCert);
    const resp = new pkijs.TimeStampResp({ schema: asn1js.fromBER(reply.slice().buffer).result });
    const sd = new pkijs.SignedData({ schema: resp.timeStampToken!.content });
    expect(sd.certificates).toBeUndefined();
    const sha1 = new Uint8Array(execFileSync('openssl', ['ts', '-query', '-data', data, '-sha1']));
    const rej = await pki.timestamp(sha1);
    expect(rej).toEqual(rejectTimeStamp('badAlg', 'hash algorithm 1.3.14.3.2.26 not accepted'));
    const t = openssl(['ts', '-reply', '-in', file('rej.tsr', rej), '-text']).out;
    expect(t).toContain('Status: Rejected');
    expect(t).toContain('unrecognized or unsupported algorithm');
  });

  it('answers garbage with badDataFormat', async () => {
    const t = openssl([
      'ts',
      '-reply',
      '-in',
      file('bad.tsr', await pki.timestamp(new Uint8Array([1, 2, 3]))),
      '-text'
    ]).out;
    expect(t).toContain('Status: Rejected');
    expect(t).toContain('the data submitted has the wrong format');
  });
});
