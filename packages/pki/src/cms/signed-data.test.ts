import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeRoot, issue, type Issued, type KeyKind } from '../test-support/temp-pki.ts';
import { createCryptoKeySigner } from '../signers/cryptokey.ts';
import { signCms, assembleSignedData } from './signed-data.ts';
import { prepareSignedAttributes } from './signed-attributes.ts';
import { digest } from '../algorithms.ts';
import { toPem } from '../bytes.ts';
import { PkiError } from '../errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'inkan-pki-cms-'));
let root: Issued;
const content = new TextEncoder().encode('%PDF-1.7 signed bytes 契約');

function opensslVerify(cms: Uint8Array, name: string): string {
  const f = join(dir, `${name}.der`);
  writeFileSync(f, cms);
  writeFileSync(join(dir, 'content.bin'), content);
  writeFileSync(join(dir, 'root.pem'), toPem(root.der, 'CERTIFICATE'));
  return execFileSync(
    'openssl',
    [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      f,
      '-content',
      join(dir, 'content.bin'),
      '-CAfile',
      join(dir, 'root.pem'),
      '-purpose',
      'any',
      '-out',
      '/dev/null'
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }
  );
}

beforeAll(async () => {
  root = await makeRoot();
});

describe('signCms (detached PAdES CMS)', () => {
  for (const [kind, hash] of [
    ['rsa', 'SHA-256'],
    ['rsa-pss', 'SHA-256'],
    ['p256', 'SHA-256'],
    ['p384', 'SHA-384']
  ] as [KeyKind, 'SHA-256' | 'SHA-384'][]) {
    it(`${kind}/${hash}: openssl cms -verify accepts it`, async () => {
      const ee = await issue(root, `CN=Signer ${kind}`, { kind });
      const signer = createCryptoKeySigner({ privateKey: ee.keys.privateKey, certificate: ee.der, chain: [root.der] });
      const cms = await signCms({ signer, contentDigest: await digest(hash, content), hash });
      expect(() => opensslVerify(cms, kind)).not.toThrow();
    });
  }

  it('openssl rejects it when the content changes (the judge can fail)', async () => {
    const ee = await issue(root, 'CN=Signer x');
    const signer = createCryptoKeySigner({ privateKey: ee.keys.privateKey, certificate: ee.der });
    const cms = await signCms({ signer, contentDigest: await digest('SHA-256', new TextEncoder().encode('other')) });
    expect(() => opensslVerify(cms, 'tampered')).toThrow();
  });

  it('signed attributes are content-type, message-digest, signing-certificate-v2 only, DER-sorted', async () => {
    const ee = await issue(root, 'CN=Signer attrs');
    const prepared = await prepareSignedAttributes({
      contentDigest: await digest('SHA-256', content),
      hash: 'SHA-256',
      certificate: ee.der
    });
    const f = join(dir, 'attrs.der');
    writeFileSync(f, prepared.der);
    const dump = execFileSync('openssl', ['asn1parse', '-inform', 'DER', '-in', f], { encoding: 'utf8' });
    expect(dump).toContain(':contentType');
    expect(dump).toContain(':messageDigest');
    expect(dump).toMatch(/id-smime-aa-signingCertificateV2|1\.2\.840\.113549\.1\.9\.16\.2\.47/);
    expect(dump).not.toContain('signingTime');
    expect(prepared.digest).toEqual(await digest('SHA-256', prepared.der));
  });

  it('dry run gives a full-size CMS without using the key', async () => {
    const ee = await issue(root, 'CN=Signer dry', { kind: 'p256' });
    const signer = createCryptoKeySigner({ privateKey: ee.keys.privateKey, certificate: ee.der });
    const d = await digest('SHA-256', content);
    const dry = await signCms({ signer, contentDigest: d, dryRun: true });
    for (let i = 0; i < 5; i++) {
      const real = await signCms({ signer, contentDigest: d });
      expect(real.length).toBeLessThanOrEqual(dry.length);
    }
  });

  it('staged remote flow: a wrong signature value fails closed', async () => {
    const ee = await issue(root, 'CN=Signer staged');
    const prepared = await prepareSignedAttributes({
      contentDigest: await digest('SHA-256', content),
      hash: 'SHA-256',
      certificate: ee.der
    });
    const bogus = new Uint8Array(256).fill(7);
    await expect(assembleSignedData(prepared, bogus)).rejects.toMatchObject({ code: 'PKI_SIGNING_FAILED' });
    const good = new Uint8Array(
      await crypto.subtle.sign('RSASSA-PKCS1-v1_5', ee.keys.privateKey, new Uint8Array(prepared.der))
    );
    const cms = await assembleSignedData(prepared, good);
    expect(() => opensslVerify(cms, 'staged')).not.toThrow();
  });

  it('refuses a wrong-length digest', async () => {
    const ee = await issue(root, 'CN=Signer bad');
    await expect(
      prepareSignedAttributes({ contentDigest: new Uint8Array(20), hash: 'SHA-256', certificate: ee.der })
    ).rejects.toBeInstanceOf(PkiError);
    await expect(
      prepareSignedAttributes({ contentDigest: new Uint8Array(20), hash: 'SHA-1' as 'SHA-256', certificate: ee.der })
    ).rejects.toMatchObject({ code: 'PKI_INVALID_ARGUMENT' });
  });
});
