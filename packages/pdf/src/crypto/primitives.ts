/**
 * The symmetric primitives the standard security handler needs (ISO 32000-2 §7.6.3–§7.6.4): MD5 and SHA-2
 * from @noble/hashes, AES-CBC/ECB from @noble/ciphers (synchronous, so object access stays synchronous in
 * browsers and Node alike), RC4 written out (it is 15 lines).
 */
import { cbc, ecb } from '@noble/ciphers/aes.js';
import { md5 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { concatBytes } from '../core/bytes.ts';
import { PdfError } from '../core/errors.ts';

export { md5, sha256, sha384, sha512 };

/** RC4 (§7.6.3.2, "V2"): encryption and decryption are the same operation. */
export function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i] + key[i % key.length]) & 0xff;
    [s[i], s[j]] = [s[j], s[i]];
  }
  const out = new Uint8Array(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]) & 0xff;
    [s[i], s[j]] = [s[j], s[i]];
    out[k] = data[k] ^ s[(s[i] + s[j]) & 0xff];
  }
  return out;
}

/** §7.6.3.2 AESV2/AESV3 decryption: 16-byte IV prefix, CBC, PKCS#5 padding (tolerated when malformed). */
export function aesDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length < 16) return new Uint8Array(0);
  const iv = data.subarray(0, 16);
  const body = data.subarray(16, 16 + ((data.length - 16) & ~15));
  if (body.length === 0) return new Uint8Array(0);
  const plain = cbc(key, iv, { disablePadding: true }).decrypt(body);
  const pad = plain[plain.length - 1];
  if (pad >= 1 && pad <= 16 && plain.subarray(plain.length - pad).every((x) => x === pad))
    return plain.subarray(0, plain.length - pad);
  return plain;
}

/** §7.6.3.2 AES encryption with a fresh random IV, PKCS#5 padded; IV prepended. */
export function aesEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const enc = cbc(key, iv).encrypt(data);
  const out = new Uint8Array(16 + enc.length);
  out.set(iv);
  out.set(enc, 16);
  return out;
}

/** AES-CBC without padding (Algorithm 2.B and the UE/OE key unwrap of §7.6.4.3.3). */
export function aesCbcRaw(key: Uint8Array, iv: Uint8Array, data: Uint8Array, decrypt: boolean): Uint8Array {
  if (data.length % 16) throw new PdfError('PDF_MALFORMED', 'AES data is not a multiple of 16 bytes');
  const c = cbc(key, iv, { disablePadding: true });
  return decrypt ? c.decrypt(data) : c.encrypt(data);
}

/** AES-256-ECB decryption of one block (/Perms, §7.6.4.4.12). */
export function aesEcbDecryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  return ecb(key, { disablePadding: true }).decrypt(block);
}

/** `concatBytes` for a few parts written inline. */
export const concat = (...parts: Uint8Array[]): Uint8Array => concatBytes(parts);
