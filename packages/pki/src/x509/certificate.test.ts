import { describe, it, expect } from 'vitest';
import { sharedTestPki, TEST_URLS } from '../testing/index.ts';
import { issueCertificate } from '../authority/certificate.ts';
import { describeCertificate } from './certificate.ts';
import { OID } from '../oids.ts';

describe('describeCertificate', () => {
  it('reads Japanese UTF-8 names, serial, usages and URLs', async () => {
    const pki = await sharedTestPki();
    const der = await issueCertificate({
      subject: { country: 'JP', organization: '印鑑株式会社', commonName: '山田 太郎', email: 'taro@example.jp' },
      subjectPublicKey: pki.signers.rsa.key.spki,
      serialNumber: 0xa1b2n,
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2030-01-01T00:00:00Z'),
      issuer: { certificate: pki.ca.certificate, key: pki.ca.key },
      profile: {
        kind: 'signer',
        email: 'taro@example.jp',
        urls: { ocsp: TEST_URLS.ocsp, caIssuers: TEST_URLS.caIssuers, crl: TEST_URLS.crl }
      }
    });
    const info = describeCertificate(der);
    expect(info.subject).toContain('CN=山田 太郎');
    expect(info.subject).toContain('O=印鑑株式会社');
    expect(info.commonName).toBe('山田 太郎');
    expect(info.emailAddress).toBe('taro@example.jp');
    expect(info.issuer).toContain('CN=Inkan Test Issuing CA');
    expect(info.serialNumber).toBe('a1b2');
    expect(info.notAfter).toEqual(new Date('2030-01-01T00:00:00Z'));
    expect(info.keyUsage).toContain('digitalSignature');
    expect(info.keyUsageCritical).toBe(true);
    expect(info.crlUrls).toEqual([TEST_URLS.crl]);
    expect(info.ocspUrls).toEqual([TEST_URLS.ocsp]);
    expect(info.caIssuersUrls).toEqual([TEST_URLS.caIssuers]);
    expect(info.isCa).toBe(false);
    expect(info.selfIssued).toBe(false);
    expect(info.signatureAlgorithmOid).toBe(OID.sha256WithRSAEncryption);
    const root = describeCertificate(pki.root.certificate);
    expect(root.isCa).toBe(true);
    expect(root.selfIssued).toBe(true);
    expect(root.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
    const tsa = describeCertificate(pki.tsa.certificate);
    expect(tsa.extendedKeyUsage).toEqual([OID.kpTimeStamping]);
    expect(tsa.extendedKeyUsageCritical).toBe(true);
  });

  it('rejects garbage with PKI_MALFORMED', () => {
    expect(() => describeCertificate(new Uint8Array([0x30, 0x03, 1, 2, 3]))).toThrow(
      expect.objectContaining({ code: 'PKI_MALFORMED' })
    );
  });
});
