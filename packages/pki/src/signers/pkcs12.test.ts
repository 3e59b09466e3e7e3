import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

import { makeReferencePki, type ReferencePki } from '../test-support/reference-tsa.ts';
import { createPkcs12Signer, readPkcs12 } from './pkcs12.ts';
import { createPemSigner } from './pem.ts';
import { signCms } from '../cms/signed-data.ts';
import { verifyCms } from '../cms/verify.ts';
import { digest } from '../algorithms.ts';
import { describeCertificate } from '../x509/certificate.ts';

let pki: ReferencePki;
const content = new TextEncoder().encode('contract');

beforeAll(() => {
  pki = makeReferencePki();
  const f = pki.file;
  const env = { ...process.env, OPENSSL_CONF: '/dev/null' };
  // OpenSSL 3 defaults: PBES2 + PBKDF2(HMAC-SHA256) + AES-256-CBC, MAC SHA-256
  execFileSync(
    'openssl',
    [
      'pkcs12',
      '-export',
      '-inkey',
      f('signer.key'),
      '-in',
      f('signer.pem'),
      '-certfile',
      f('root-ca.pem'),
      '-passout',
      'pass:pässwörd',
      '-out',
      f('modern.p12')
    ],
    { env }
  );
  // legacy RC2-40 certificates + 3DES key, SHA-1 MAC (the pre-3.0 default, via -legacy when the provider exists)
  try {
    execFileSync(
      'openssl',
      [
        'pkcs12',
        '-export',
        '-legacy',
        '-inkey',
        f('signer.key'),
        '-in',
        f('signer.pem'),
        '-passout',
        'pass:test',
        '-out',
        f('legacy.p12')
      ],
      { env, stdio: 'pipe' }
    );
  } catch {
    writeFileSync(f('legacy.p12'), new Uint8Array());
  }
});

async function signsVerifiably(signer: Awaited<ReturnType<typeof createPkcs12Signer>>) {
  const cms = await signCms({ signer, contentDigest: await digest('SHA-256', content) });
  const v = await verifyCms(cms, { content: [content] });
  return v.intact && v.signatureValid;
}

describe('PKCS#12 signer', () => {
  it('reads make-pki.sh output (PBE-SHA1-3DES, SHA-1 MAC) and signs', async () => {
    const signer = await createPkcs12Signer({ pfx: readFileSync(pki.file('signer.p12')), password: 'test' });
    expect(describeCertificate(signer.certificate).commonName).toBe('Test Signer');
    expect(signer.chain.map((c) => describeCertificate(c).commonName)).toEqual(['Validator Test Root CA']);
    expect(await signsVerifiably(signer)).toBe(true);
  });

  it('reads the OpenSSL 3 default (PBES2/AES-256, SHA-256 MAC) with a non-ASCII password', async () => {
    const signer = await createPkcs12Signer({ pfx: readFileSync(pki.file('modern.p12')), password: 'pässwörd' });
    expect(describeCertificate(signer.certificate).commonName).toBe('Test Signer');
    expect(await signsVerifiably(signer)).toBe(true);
  });

  it('reads the -legacy (RC2-40 + 3DES) form when openssl can write it', async (ctx) => {
    const der = readFileSync(pki.file('legacy.p12'));
    if (der.length === 0) ctx.skip();
    const c = await readPkcs12(der, 'test');
    expect(c.privateKeys).toHaveLength(1);
    expect(c.certificates).toHaveLength(1);
  });

  it('wrong password → PKI_BAD_PASSWORD; garbage → PKI_MALFORMED', async () => {
    await expect(
      createPkcs12Signer({ pfx: readFileSync(pki.file('signer.p12')), password: 'nope' })
    ).rejects.toMatchObject({ code: 'PKI_BAD_PASSWORD' });
    await expect(
      createPkcs12Signer({ pfx: readFileSync(pki.file('modern.p12')), password: 'test' })
    ).rejects.toMatchObject({ code: 'PKI_BAD_PASSWORD' });
    await expect(createPkcs12Signer({ pfx: new Uint8Array([0x30, 0x01, 0x00]), password: 'x' })).rejects.toMatchObject({
      code: 'PKI_MALFORMED'
    });
  });
});

describe('PEM signer', () => {
  it('PKCS#8 key + certificate chain PEM', async () => {
    const signer = await createPemSigner({
      key: readFileSync(pki.file('signer.key'), 'utf8'),
      certificates: readFileSync(pki.file('signer-chain.pem'), 'utf8')
    });
    expect(signer.chain).toHaveLength(1);
    expect(await signsVerifiably(signer)).toBe(true);
  });

  it('a key that does not belong to the certificate → PKI_KEY_MISMATCH', async () => {
    await expect(
      createPemSigner({ key: readFileSync(pki.file('tsa.key'), 'utf8'), certificates: pki.pem('signer') })
    ).rejects.toMatchObject({ code: 'PKI_KEY_MISMATCH' });
  });

  it('encrypted PKCS#8 (PBES2/AES-256) with its password; wrong or missing password → PKI_BAD_PASSWORD', async () => {
    execFileSync(
      'openssl',
      [
        'pkcs8',
        '-topk8',
        '-v2',
        'aes-256-cbc',
        '-in',
        pki.file('signer.key'),
        '-passout',
        'pass:秘密',
        '-out',
        pki.file('signer.enc.key')
      ],
      { stdio: 'pipe' }
    );
    const key = readFileSync(pki.file('signer.enc.key'), 'utf8');
    expect(key).toContain('ENCRYPTED PRIVATE KEY');
    const certificates = pki.pem('signer');
    expect(await signsVerifiably(await createPemSigner({ key, password: '秘密', certificates }))).toBe(true);
    await expect(createPemSigner({ key, password: 'wrong', certificates })).rejects.toMatchObject({
      code: 'PKI_BAD_PASSWORD'
    });
    await expect(createPemSigner({ key, certificates })).rejects.toMatchObject({ code: 'PKI_BAD_PASSWORD' });
  });

  it('traditional RSA PRIVATE KEY and EC PRIVATE KEY', async () => {
    execFileSync(
      'openssl',
      ['rsa', '-traditional', '-in', pki.file('signer.key'), '-out', pki.file('signer.rsa.key')],
      { stdio: 'pipe' }
    );
    const rsaKey = readFileSync(pki.file('signer.rsa.key'), 'utf8');
    expect(rsaKey).toContain('BEGIN RSA PRIVATE KEY');
    expect(await signsVerifiably(await createPemSigner({ key: rsaKey, certificates: pki.pem('signer') }))).toBe(true);
    execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', pki.file('ec.key')], {
      stdio: 'pipe'
    });
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-x509',
        '-key',
        pki.file('ec.key'),
        '-subj',
        '/CN=EC Traditional',
        '-days',
        '30',
        '-out',
        pki.file('ec.pem')
      ],
      { stdio: 'pipe', env: { ...process.env, OPENSSL_CONF: '/dev/null' } }
    );
    const ecKey = readFileSync(pki.file('ec.key'), 'utf8');
    expect(ecKey).toContain('BEGIN EC PRIVATE KEY');
    const signer = await createPemSigner({ key: ecKey, certificates: pki.pem('ec') });
    expect(signer.algorithm).toEqual({ name: 'ECDSA', namedCurve: 'P-256' });
    expect(await signsVerifiably(signer)).toBe(true);
  });
});
