import { describe, it, expect } from 'vitest';
import { makeRoot, issue } from '../test-support/temp-pki.ts';
import { describeCertificate } from './certificate.ts';
import { OID } from '../oids.ts';

describe('describeCertificate', () => {
  it('reads Japanese UTF-8 names, serial, usages and URLs', async () => {
    const root = await makeRoot('CN=テスト ルート,O=印鑑株式会社');
    const ee = await issue(root, 'CN=山田 太郎,E=taro@example.jp', {
      serial: '00a1b2',
      eku: [OID.kpEmailProtection],
      ekuCritical: false,
      crl: ['http://127.0.0.1/crl.crl'],
      ocsp: ['http://127.0.0.1/ocsp'],
      caIssuers: ['http://127.0.0.1/ca.cer']
    });
    const info = describeCertificate(ee.der);
    expect(info.subject).toContain('CN=山田 太郎');
    expect(info.commonName).toBe('山田 太郎');
    expect(info.emailAddress).toBe('taro@example.jp');
    expect(info.issuer).toContain('O=印鑑株式会社');
    expect(info.serialNumber).toBe('a1b2');
    expect(info.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(info.keyUsageCritical).toBe(true);
    expect(info.extendedKeyUsage).toEqual([OID.kpEmailProtection]);
    expect(info.crlUrls).toEqual(['http://127.0.0.1/crl.crl']);
    expect(info.ocspUrls).toEqual(['http://127.0.0.1/ocsp']);
    expect(info.caIssuersUrls).toEqual(['http://127.0.0.1/ca.cer']);
    expect(info.isCa).toBe(false);
    expect(info.selfIssued).toBe(false);
    expect(info.signatureAlgorithmOid).toBe(OID.sha256WithRSAEncryption);
    const r = describeCertificate(root.der);
    expect(r.isCa).toBe(true);
    expect(r.selfIssued).toBe(true);
    expect(r.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
  });

  it('rejects garbage with PKI_MALFORMED', () => {
    expect(() => describeCertificate(new Uint8Array([0x30, 0x03, 1, 2, 3]))).toThrow(
      expect.objectContaining({ code: 'PKI_MALFORMED' })
    );
  });
});
