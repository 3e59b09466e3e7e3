import { describe, it, expect, beforeAll } from 'vitest';
import { sharedTestPki, TEST_NOW, type TestPki } from '../testing/index.ts';
import { collectValidationData } from './collect.ts';
import { validatePath } from './path.ts';

let pki: TestPki;
beforeAll(async () => {
  pki = await sharedTestPki();
});

describe('collectValidationData', () => {
  it('fetches the CA by AIA, an OCSP answer for the signer, and the data validates offline', async () => {
    const data = await collectValidationData({
      certificates: [pki.signers.p256.certificate],
      pool: [pki.root.certificate],
      fetch: pki.fetch
    });
    expect(data.certs).toContainEqual(pki.ca.certificate);
    expect(data.certs).toContainEqual(pki.root.certificate);
    expect(data.ocsps.length).toBe(1);
    const v = await validatePath(pki.signers.p256.certificate, {
      anchors: [pki.root.certificate],
      intermediates: data.certs,
      ocsps: data.ocsps,
      crls: data.crls,
      at: TEST_NOW
    });
    expect(v.indication).toBe('PASSED');
  });

  it('falls back to the CRL when OCSP fails; nothing reachable → PKI_FETCH_FAILED', async () => {
    const noOcsp: typeof fetch = async (input, init) =>
      String(input).includes('/ocsp') ? new Response('down', { status: 503 }) : pki.fetch(input, init);
    const data = await collectValidationData({
      certificates: [pki.signers.rsa.certificate],
      pool: [pki.ca.certificate, pki.root.certificate],
      fetch: noOcsp
    });
    expect(data.ocsps).toEqual([]);
    expect(data.crls).toEqual([pki.crl]);
    const down: typeof fetch = async () => new Response('down', { status: 503 });
    await expect(
      collectValidationData({
        certificates: [pki.signers.rsa.certificate],
        pool: [pki.ca.certificate, pki.root.certificate],
        fetch: down
      })
    ).rejects.toMatchObject({ code: 'PKI_FETCH_FAILED' });
    const lenient = await collectValidationData({
      certificates: [pki.signers.rsa.certificate],
      pool: [pki.ca.certificate, pki.root.certificate],
      fetch: down,
      strict: false
    });
    expect(lenient.problems.length).toBeGreaterThan(0);
  });

  it('an issuer that cannot be found → PKI_CHAIN_NOT_FOUND (or a problem when not strict)', async () => {
    const noAia: typeof fetch = async () => new Response('gone', { status: 404 });
    await expect(
      collectValidationData({ certificates: [pki.signers.p256.certificate], fetch: noAia })
    ).rejects.toMatchObject({ code: 'PKI_CHAIN_NOT_FOUND' });
    const lenient = await collectValidationData({
      certificates: [pki.signers.p256.certificate],
      fetch: noAia,
      strict: false
    });
    expect(lenient.problems.join(' ')).toMatch(/issuer of .* not found/);
  });
});
