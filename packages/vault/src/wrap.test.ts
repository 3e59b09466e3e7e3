import { describe, expect, it } from 'vitest';
import {
  decrypt,
  encrypt,
  generateContentKey,
  generateDeviceKey,
  generateRecoveryKey,
  importPrivateKey,
  importPublicKey,
  keyId,
  newLinkSecret,
  unwrapWithLinkSecret,
  unwrapWithPrivateKey,
  VaultError,
  wrapForLinkSecret,
  wrapForPublicKey,
  type WrappedKey
} from './index.ts';

const text = new TextEncoder().encode('売買契約書 — 取引金額 ¥1,100,000');

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(VaultError);
    return (e as VaultError).code;
  }
  return 'no error';
}

describe('key wrapping', () => {
  it('opens a document with the device key, whose private half never leaves WebCrypto', async () => {
    const device = await generateDeviceKey();
    expect(device.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('pkcs8', device.privateKey)).rejects.toThrow();
    const key = await generateContentKey();
    const file = await encrypt(key, text);
    const wrapped = await wrapForPublicKey(key, device.publicKey, 'device');
    expect(wrapped).toMatchObject({ v: 1, kind: 'device', alg: 'ECDH-ES+HKDF-SHA256+A256KW' });
    expect(wrapped.kid).toBe(await keyId(device.publicKey));
    // Survives JSON (API, database) unchanged.
    const back = JSON.parse(JSON.stringify(wrapped)) as WrappedKey;
    const opened = await unwrapWithPrivateKey(back, device);
    expect(opened.extractable).toBe(false);
    expect(new TextDecoder().decode(await decrypt(opened, file))).toBe('売買契約書 — 取引金額 ¥1,100,000');
  });

  it('recovers a document with the offline organisation key after the device is lost', async () => {
    const recovery = await generateRecoveryKey();
    const key = await generateContentKey();
    const file = await encrypt(key, text);
    const wrapped = await wrapForPublicKey(key, await importPublicKey(recovery.publicKey), 'recovery');
    // Years later, on the offline machine: only the PKCS#8 text and the stored wrapped key.
    const pair = {
      privateKey: await importPrivateKey(recovery.privateKeyPkcs8),
      publicKey: await importPublicKey(recovery.publicKey)
    };
    expect(Buffer.from(await decrypt(await unwrapWithPrivateKey(wrapped, pair), file)).equals(text)).toBe(true);
  });

  it('opens with the link secret for that envelope only', async () => {
    const key = await generateContentKey();
    const file = await encrypt(key, text);
    const secret = newLinkSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const wrapped = await wrapForLinkSecret(key, secret, 'env_1');
    expect(JSON.stringify(wrapped)).not.toContain(secret);
    expect(Buffer.from(await decrypt(await unwrapWithLinkSecret(wrapped, secret, 'env_1'), file)).equals(text)).toBe(
      true
    );
    expect(await code(unwrapWithLinkSecret(wrapped, newLinkSecret(), 'env_1'))).toBe('VAULT_WRONG_KEY');
    expect(await code(unwrapWithLinkSecret(wrapped, secret, 'env_2'))).toBe('VAULT_WRONG_KEY');
    expect(await code(unwrapWithLinkSecret(wrapped, 'short', 'env_1'))).toBe('VAULT_INVALID_ARGUMENT');
    expect(await code(unwrapWithLinkSecret(wrapped, 'not base64url!', 'env_1'))).toBe('VAULT_INVALID_ARGUMENT');
  });

  it('refuses the wrong private key, a modified wrap and a mismatched kind', async () => {
    const key = await generateContentKey();
    const device = await generateDeviceKey();
    const other = await generateDeviceKey();
    const wrapped = await wrapForPublicKey(key, device.publicKey, 'device');
    expect(await code(unwrapWithPrivateKey(wrapped, other))).toBe('VAULT_WRONG_KEY');
    const bytes = Buffer.from(wrapped.wrapped, 'base64url');
    bytes[3] ^= 1;
    expect(await code(unwrapWithPrivateKey({ ...wrapped, wrapped: bytes.toString('base64url') }, device))).toBe(
      'VAULT_WRONG_KEY'
    );
    // A device wrap relabelled as a recovery wrap derives another key-encryption key (the kind is in HKDF info).
    expect(await code(unwrapWithPrivateKey({ ...wrapped, kind: 'recovery' }, device))).toBe('VAULT_WRONG_KEY');
    expect(await code(unwrapWithPrivateKey({ ...wrapped, kind: 'link' }, device))).toBe('VAULT_INVALID_ARGUMENT');
    expect(await code(unwrapWithPrivateKey({ ...wrapped, epk: 'AAAA' }, device))).toBe('VAULT_TAMPERED');
    expect(await code(wrapForPublicKey(key, device.privateKey, 'device'))).toBe('VAULT_INVALID_ARGUMENT');
    expect(await code(importPublicKey('AAAA'))).toBe('VAULT_INVALID_ARGUMENT');
  });

  it('keeps the content key extractable only when asked, so a new device can be added', async () => {
    const key = await generateContentKey();
    const device = await generateDeviceKey();
    const wrapped = await wrapForPublicKey(key, device.publicKey, 'device');
    const again = await unwrapWithPrivateKey(wrapped, device, { extractable: true });
    const second = await generateDeviceKey();
    const forSecond = await wrapForPublicKey(again, second.publicKey, 'device');
    const file = await encrypt(key, text);
    expect(Buffer.from(await decrypt(await unwrapWithPrivateKey(forSecond, second), file)).equals(text)).toBe(true);
  });
});
