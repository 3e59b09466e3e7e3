import { describe, it, expect, beforeAll } from 'vitest';
import { sharedTestPki, TEST_NOW, TEST_REVOKED_AT, type TestPki } from '../testing/index.ts';
import { validatePath } from './path.ts';
import { checkCrl, checkOcsp, createOcspRequest } from './revocation.ts';
import { issueCertificate } from '../authority/certificate.ts';

let pki: TestPki;
beforeAll(async () => {
  pki = await sharedTestPki();
});
const anchors = () => [pki.root.certificate];
const pool = () => [pki.ca.certificate];

describe('validatePath', () => {
  it('PASSED for a good signer, revocation fetched online by OCSP', async () => {
    const v = await validatePath(pki.signers.p256.certificate, {
      anchors: anchors(),
      intermediates: pool(),
      at: TEST_NOW,
      fetch: pki.fetch
    });
    expect(v.problems).toEqual([]);
    expect(v.indication).toBe('PASSED');
    expect(v.chain).toHaveLength(3);
    expect(v.anchor).toEqual(pki.root.certificate);
    expect(v.revocation[0]!.status).toBe('good');
    expect(v.fetched.ocsps.length).toBe(1);
    expect(v.fetched.crls.length).toBe(0); // OCSP settled it: no CRL download
  });

  it('OCSP down → falls back to the CRL', async () => {
    const noOcsp: typeof fetch = async (input, init) =>
      String(input).includes('/ocsp') ? new Response('down', { status: 503 }) : pki.fetch(input, init);
    const v = await validatePath(pki.signers.p256.certificate, {
      anchors: anchors(),
      intermediates: pool(),
      at: TEST_NOW,
      fetch: noOcsp
    });
    expect(v.indication).toBe('PASSED');
    expect(v.fetched).toEqual({ ocsps: [], crls: [pki.crl] });
    expect(v.problems.join(' ')).toMatch(/503/);
  });

  it('revoked signer: REVOKED_NO_POE, REVOKED with a later claimed time, PASSED before the revocation', async () => {
    const cert = pki.signers.revoked.certificate;
    const base = { anchors: anchors(), intermediates: pool(), fetch: pki.fetch };
    const a = await validatePath(cert, { ...base, at: TEST_NOW });
    expect([a.indication, a.subIndication]).toEqual(['INDETERMINATE', 'REVOKED_NO_POE']);
    expect(a.revocation[0]!.revokedAt).toEqual(TEST_REVOKED_AT);
    expect(a.revocation[0]!.reason).toBe('keyCompromise');
    const b = await validatePath(cert, { ...base, at: TEST_NOW, claimedSigningTime: TEST_NOW });
    expect([b.indication, b.subIndication]).toEqual(['FAILED', 'REVOKED']);
    const c = await validatePath(cert, { ...base, at: new Date('2025-12-01T00:00:00Z') });
    expect(c.indication).toBe('PASSED');
    expect(c.revocation[0]!.status).toBe('revoked');
  });

  it('offline: a supplied CRL is used; nothing supplied → TRY_LATER unless if-available', async () => {
    const cert = pki.signers.revoked.certificate;
    const withCrl = await validatePath(cert, {
      anchors: anchors(),
      intermediates: pool(),
      at: TEST_NOW,
      crls: [pki.crl]
    });
    expect(withCrl.subIndication).toBe('REVOKED_NO_POE');
    expect(withCrl.revocation[0]!.facts[0]!.source).toBe('crl');
    const none = await validatePath(pki.signers.rsa.certificate, {
      anchors: anchors(),
      intermediates: pool(),
      at: TEST_NOW
    });
    expect([none.indication, none.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
    const lenient = await validatePath(pki.signers.rsa.certificate, {
      anchors: anchors(),
      intermediates: pool(),
      at: TEST_NOW,
      revocation: 'if-available'
    });
    expect(lenient.indication).toBe('PASSED');
  });

  it('no chain, not yet valid, out of bounds', async () => {
    const cert = pki.signers.p256.certificate;
    const noChain = await validatePath(cert, {
      anchors: [pki.signers.rsa.certificate],
      intermediates: pool(),
      at: TEST_NOW
    });
    expect(noChain.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    const noIntermediate = await validatePath(cert, { anchors: anchors(), at: TEST_NOW });
    expect(noIntermediate.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    const early = await validatePath(cert, {
      anchors: anchors(),
      intermediates: pool(),
      at: new Date('2024-06-01T00:00:00Z'),
      revocation: 'skip'
    });
    expect(early.subIndication).toBe('NOT_YET_VALID');
    const late = await validatePath(cert, {
      anchors: anchors(),
      intermediates: pool(),
      at: new Date('2036-01-01T00:00:00Z'),
      revocation: 'skip'
    });
    expect(late.subIndication).toBe('OUT_OF_BOUNDS_NO_POE');
  });

  it('a certificate issued by an end entity → CHAIN_CONSTRAINTS_FAILURE', async () => {
    const issuer = pki.signers.p256;
    const rogue = await issueCertificate({
      subject: { commonName: 'Rogue' } as never,
      subjectPublicKey: pki.signers.rsa.key.spki,
      serialNumber: 0x9999n,
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2030-01-01T00:00:00Z'),
      issuer: { certificate: issuer.certificate, key: issuer.key },
      profile: { kind: 'signer' }
    });
    const v = await validatePath(rogue, {
      anchors: anchors(),
      intermediates: [pki.ca.certificate, issuer.certificate],
      at: TEST_NOW,
      revocation: 'skip'
    });
    expect([v.indication, v.subIndication]).toEqual(['FAILED', 'CHAIN_CONSTRAINTS_FAILURE']);
  });
});

describe('checkOcsp / checkCrl', () => {
  it('delegated responder answer verifies; tampered answer does not; other certificate → undefined', async () => {
    const cert = pki.signers.p256.certificate;
    const resp = await pki.ocspRespond(await createOcspRequest(cert, pki.ca.certificate));
    const f = await checkOcsp(cert, pki.ca.certificate, resp);
    expect(f?.status).toBe('good');
    expect(f?.signatureValid).toBe(true);
    expect(f?.responderCertificate).toEqual(pki.ocsp.certificate);
    expect(await checkOcsp(pki.signers.rsa.certificate, pki.ca.certificate, resp)).toBeUndefined();
    const bad = resp.slice();
    bad[bad.length - 400]! ^= 0x01;
    const g = await checkOcsp(cert, pki.ca.certificate, bad).catch(() => undefined);
    expect(g?.signatureValid ?? false).toBe(false);
  });

  it('CRL: revoked entry with reason; a CRL signature by the wrong key is not valid', async () => {
    const f = await checkCrl(pki.signers.revoked.certificate, pki.ca.certificate, pki.crl);
    expect(f).toMatchObject({ status: 'revoked', reason: 'keyCompromise', signatureValid: true });
    const g = await checkCrl(pki.signers.p256.certificate, pki.ca.certificate, pki.crl);
    expect(g).toMatchObject({ status: 'good', signatureValid: true });
    const bad = pki.crl.slice();
    bad[bad.length - 5]! ^= 0x01;
    const h = await checkCrl(pki.signers.p256.certificate, pki.ca.certificate, bad);
    expect(h?.signatureValid).toBe(false);
  });
});
