import { createPublicKey, createVerify, verify as nodeVerify, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSoftHsmToken } from '../../test/softhsm.ts';
import { Pkcs11KeyStore, SoftwareKeyStore, type KeyStore } from './index.ts';

const stores: [string, () => { store: KeyStore; reopen(): KeyStore; cleanup(): void }][] = [
  [
    'software',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'inkan-keys-'));
      return {
        store: new SoftwareKeyStore(dir),
        reopen: () => new SoftwareKeyStore(dir),
        cleanup: () => rmSync(dir, { recursive: true, force: true })
      };
    }
  ],
  [
    'pkcs11',
    () => {
      const t = createSoftHsmToken();
      return { store: new Pkcs11KeyStore(t), reopen: () => new Pkcs11KeyStore(t), cleanup: t.cleanup };
    }
  ]
];

const pem = (spki: Uint8Array) => createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });

describe.each(stores)('%s key store', (kind, make) => {
  const env = make();
  afterAll(() => {
    env.store.close();
    env.cleanup();
  });

  it('generates a P-256 key once, finds it again after reopening, signs data verifiably', async () => {
    const k = await env.store.ensure('tsa-p256', 'P-256');
    expect(k.algorithm).toBe('P-256');
    expect(await env.store.ensure('tsa-p256', 'P-256')).toBe(k);
    const data = new TextEncoder().encode('to be signed');
    const sig = await k.authority().sign(data);
    expect(nodeVerify('sha256', data, { key: pem(k.spki), dsaEncoding: 'der' }, sig)).toBe(true);
    expect(nodeVerify('sha256', new TextEncoder().encode('other'), { key: pem(k.spki), dsaEncoding: 'der' }, sig)).toBe(
      false
    );
    if (kind === 'pkcs11') {
      env.store.close();
      env.store = env.reopen();
    } else env.store = env.reopen();
    const again = await env.store.find('tsa-p256');
    expect(again?.spki).toEqual(k.spki);
    expect(await env.store.find('nope')).toBeNull();
  });

  it('signs a bare SHA-256 digest with RSA (PKCS#1 v1.5 over DigestInfo)', async () => {
    const k = await env.store.ensure('witness-rsa', 'RSA-2048');
    const data = Buffer.from('signed attributes');
    const sig = await k.signDigest(createHash('sha256').update(data).digest(), 'SHA-256');
    expect(createVerify('sha256').update(data).verify(pem(k.spki), Buffer.from(sig))).toBe(true);
    await expect(k.signDigest(new Uint8Array(20), 'SHA-256')).rejects.toMatchObject({ code: 'KEY_STORE_FAILED' });
  });

  it(
    kind === 'pkcs11'
      ? 'signs a bare SHA-256 digest with P-256 inside the token (CKM_ECDSA)'
      : 'refuses a bare digest for P-256 with a typed error (node:crypto always hashes what ECDSA signs)',
    async () => {
      const k = await env.store.ensure('tsa-p256', 'P-256');
      const data = Buffer.from('signed attributes');
      const digest = createHash('sha256').update(data).digest();
      if (kind === 'software') {
        await expect(k.signDigest(digest, 'SHA-256')).rejects.toMatchObject({ code: 'PKI_ALGORITHM_NOT_ALLOWED' });
        return;
      }
      const sig = await k.signDigest(digest, 'SHA-256');
      expect(nodeVerify('sha256', data, { key: pem(k.spki), dsaEncoding: 'der' }, sig)).toBe(true);
    }
  );

  it('refuses to hand back a key of another algorithm under the same label', async () => {
    await expect(env.store.ensure('tsa-p256', 'RSA-2048')).rejects.toMatchObject({ code: 'KEY_ALGORITHM_UNSUPPORTED' });
  });

  it(
    kind === 'pkcs11'
      ? 'proves the token keys non-extractable by asking the token'
      : 'reports software keys as extractable',
    async () => {
      const k = await env.store.ensure('tsa-p256', 'P-256');
      expect(await k.isExtractable()).toBe(kind === 'software');
    }
  );
});

describe('software key files', () => {
  it('are PKCS#8 encrypted under a generated 0600 passphrase file, and a wrong passphrase is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inkan-keys-'));
    const s = new SoftwareKeyStore(dir);
    await s.ensure('ca', 'P-256');
    expect(statSync(join(dir, 'passphrase')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'ca.p8')).mode & 0o777).toBe(0o600);
    // EncryptedPrivateKeyInfo with PBES2 (1.2.840.113549.1.5.13), not a plain PrivateKeyInfo
    expect(readFileSync(join(dir, 'ca.p8')).includes(Buffer.from('2a864886f70d01050d', 'hex'))).toBe(true);
    await expect(new SoftwareKeyStore(dir, 'wrong').find('ca')).rejects.toMatchObject({ code: 'KEY_PASSPHRASE_WRONG' });
    rmSync(dir, { recursive: true, force: true });
  });
});
