import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedTestPki, type TestPki } from '../testing/index.ts';
import { opensslCmsVerify } from '../test-support/openssl.ts';
import { signCms, assembleSignedData } from './signed-data.ts';
import { prepareSignedAttributes } from './signed-attributes.ts';
import { digest } from '../algorithms.ts';
import { PkiError } from '../errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'inkan-pki-cms-'));
let pki: TestPki;
const content = new TextEncoder().encode('%PDF-1.7 signed bytes 契約');

function opensslVerify(cms: Uint8Array): void {
  opensslCmsVerify(cms, content, pki.rootPem);
}

beforeAll(async () => {
  pki = await sharedTestPki();
});

describe('signCms (detached PAdES CMS)', () => {
  for (const [kind, hash] of [
    ['rsa', 'SHA-256'],
    ['pss', 'SHA-256'],
    ['p256', 'SHA-256'],
    ['p384', 'SHA-384']
  ] as const) {
    it(`${kind}/${hash}: openssl cms -verify accepts it (chain embedded)`, async () => {
      const signer = await pki.signers[kind].signer();
      const cms = await signCms({ signer, contentDigest: await digest(hash, content), hash });
      expect(() => opensslVerify(cms)).not.toThrow();
    });
  }

  it('openssl rejects it when the content changes (the judge can fail)', async () => {
    const signer = await pki.signers.rsa.signer();
    const cms = await signCms({ signer, contentDigest: await digest('SHA-256', new TextEncoder().encode('other')) });
    expect(() => opensslVerify(cms)).toThrow();
  });

  it('signed attributes are content-type, message-digest, signing-certificate-v2 only, DER-sorted', async () => {
    const prepared = await prepareSignedAttributes({
      contentDigest: await digest('SHA-256', content),
      hash: 'SHA-256',
      certificate: pki.signers.p256.certificate
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
    const signer = await pki.signers.p256.signer();
    const d = await digest('SHA-256', content);
    const dry = await signCms({ signer, contentDigest: d, dryRun: true });
    for (let i = 0; i < 5; i++) {
      const real = await signCms({ signer, contentDigest: d });
      expect(real.length).toBeLessThanOrEqual(dry.length);
    }
  });

  it('staged remote flow: a wrong signature value fails closed, the right one assembles', async () => {
    const signer = await pki.signers.rsa.signer();
    const prepared = await prepareSignedAttributes({
      contentDigest: await digest('SHA-256', content),
      hash: 'SHA-256',
      certificate: signer.certificate,
      chain: signer.chain
    });
    await expect(assembleSignedData(prepared, new Uint8Array(256).fill(7))).rejects.toMatchObject({
      code: 'PKI_SIGNING_FAILED'
    });
    const cms = await assembleSignedData(prepared, await signer.signRaw({ data: prepared.der }, 'SHA-256'));
    expect(() => opensslVerify(cms)).not.toThrow();
  });

  it('refuses a wrong-length digest and SHA-1', async () => {
    const certificate = pki.signers.rsa.certificate;
    await expect(
      prepareSignedAttributes({ contentDigest: new Uint8Array(20), hash: 'SHA-256', certificate })
    ).rejects.toBeInstanceOf(PkiError);
    await expect(
      prepareSignedAttributes({ contentDigest: new Uint8Array(20), hash: 'SHA-1' as 'SHA-256', certificate })
    ).rejects.toMatchObject({ code: 'PKI_INVALID_ARGUMENT' });
  });
});
