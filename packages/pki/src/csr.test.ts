import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCsr, readCsr } from './csr.ts';

const dir = mkdtempSync(join(tmpdir(), 'inkan-csr-'));

function opensslReq(der: Uint8Array, name: string): string {
  const f = join(dir, `${name}.der`);
  writeFileSync(f, der);
  const r = spawnSync(
    'openssl',
    ['req', '-in', f, '-inform', 'DER', '-verify', '-noout', '-subject', '-nameopt', 'utf8,sep_comma_plus'],
    { encoding: 'utf8' }
  );
  return r.stdout + r.stderr;
}

describe('CSR', () => {
  it('P-256 non-extractable key: openssl req -verify accepts it; Japanese UTF-8 CN and email read back', async () => {
    const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify'
    ])) as CryptoKeyPair;
    const der = await createCsr(keys, { commonName: '山田 太郎', emailAddress: 'taro@example.jp' });
    const out = opensslReq(der, 'p256');
    expect(out).toContain('verify OK');
    expect(out).toContain('CN=山田 太郎');
    const info = await readCsr(der);
    expect(info).toMatchObject({
      commonName: '山田 太郎',
      emailAddress: 'taro@example.jp',
      proofOfPossession: true,
      scheme: { name: 'ECDSA', namedCurve: 'P-256' }
    });
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
    expect(info.publicKey).toEqual(spki);
  });

  it('RSA-2048 PKCS#1: openssl accepts; a tampered request fails proof of possession', async () => {
    const keys = (await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      false,
      ['sign', 'verify']
    )) as CryptoKeyPair;
    const der = await createCsr(keys, { commonName: 'Sato' });
    expect(opensslReq(der, 'rsa')).toContain('verify OK');
    const bad = der.slice();
    const i = bad.indexOf(0x53); // 'S' of Sato, inside the signed part
    bad[i] = 0x54;
    expect((await readCsr(bad)).proofOfPossession).toBe(false);
    expect(opensslReq(bad, 'bad')).not.toContain('verify OK');
  });

  it('refuses RSA-1024 keys and garbage', async () => {
    const weak = (await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      false,
      ['sign', 'verify']
    )) as CryptoKeyPair;
    await expect(createCsr(weak, { commonName: 'Weak' })).rejects.toMatchObject({ code: 'PKI_WEAK_KEY' });
    await expect(readCsr(new Uint8Array([0x30, 0x00]))).rejects.toMatchObject({ code: 'PKI_MALFORMED' });
  });
});
