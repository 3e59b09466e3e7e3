import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { makeReferencePki, type ReferencePki } from '../test-support/reference-tsa.ts';
import { verifyCms } from './verify.ts';
import { OID } from '../oids.ts';

let pki: ReferencePki;
const content = new TextEncoder().encode('bytes signed by openssl, verified by us');

function opensslSign(name: string, extra: string[]): Uint8Array {
  const out = pki.file(`${name}.cms`);
  execFileSync(
    'openssl',
    [
      'cms',
      '-sign',
      '-binary',
      '-in',
      pki.file('content.bin'),
      '-signer',
      pki.file('signer.pem'),
      '-inkey',
      pki.file('signer.key'),
      '-outform',
      'DER',
      '-out',
      out,
      ...extra
    ],
    {
      env: { ...process.env, OPENSSL_CONF: '/dev/null' },
      stdio: 'pipe'
    }
  );
  return readFileSync(out);
}

beforeAll(() => {
  pki = makeReferencePki();
  writeFileSync(pki.file('content.bin'), content);
});

describe('verifyCms on CMS made by openssl (a producer nobody here wrote)', () => {
  it('SHA-256 RSA detached: intact, valid, signing-time read, no ESS attribute', async () => {
    const v = await verifyCms(opensslSign('sha256', ['-md', 'sha256']), { content: [content] });
    expect(v).toMatchObject({
      intact: true,
      signatureValid: true,
      hasEncapsulatedContent: false,
      signingCertificateAttribute: 'none',
      contentTypeAttributeMatches: true
    });
    expect(v.signingTime).toBeInstanceOf(Date);
    expect(v.signer?.commonName).toBe('Test Signer');
  });

  it('RSA-PSS made by openssl (maximum salt) verifies; a salt shorter than the hash is refused', async () => {
    const v = await verifyCms(opensslSign('pss', ['-md', 'sha256', '-keyopt', 'rsa_padding_mode:pss']), {
      content: [content]
    });
    expect(v.cryptoProblem).toBeUndefined();
    expect(v.signatureAlgorithm).toMatchObject({ name: 'RSA-PSS', hash: 'SHA-256', saltLength: 222 });
    expect(v.signatureValid).toBe(true);
    const short = await verifyCms(
      opensslSign('pss16', ['-md', 'sha256', '-keyopt', 'rsa_padding_mode:pss', '-keyopt', 'rsa_pss_saltlen:16']),
      { content: [content] }
    );
    expect(short.cryptoProblem).toMatch(/salt/);
    expect(short.signatureValid).toBe(false);
  });

  it('SHA-1 is refused as a crypto constraint, not verified', async () => {
    const v = await verifyCms(opensslSign('sha1', ['-md', 'sha1']), { content: [content] });
    expect(v.digestAlgorithmOid).toBe(OID.sha1);
    expect(v.cryptoProblem).toMatch(/not allowed/);
    expect(v.signatureValid).toBe(false);
    expect(v.intact).toBe(false);
  });

  it('encapsulated content in what should be detached is detected', async () => {
    const v = await verifyCms(opensslSign('attached', ['-md', 'sha256', '-nodetach']));
    expect(v.hasEncapsulatedContent).toBe(true);
    expect(v.encapsulatedContent).toEqual(content);
    expect(v.problems).toContain('encapsulated content present in a detached signature');
  });

  it('no signed attributes (openssl -noattr): verified over the content when the content is given', async () => {
    const cms = opensslSign('noattr', ['-md', 'sha256', '-noattr']);
    const v = await verifyCms(cms, { content: [content] });
    expect(v).toMatchObject({ intact: true, signatureValid: true, signedAttributes: undefined });
    const changed = await verifyCms(cms, { content: [new TextEncoder().encode('other')] });
    expect(changed).toMatchObject({ intact: false, signatureValid: false });
  });

  it('SignerIdentifier by subjectKeyIdentifier (openssl -keyid): the signer is still found', async () => {
    const v = await verifyCms(opensslSign('keyid', ['-md', 'sha384', '-keyid']), { content: [content] });
    expect(v.signer?.commonName).toBe('Test Signer');
    expect(v).toMatchObject({ intact: true, signatureValid: true, digestAlgorithm: 'SHA-384' });
  });
});
