import type { Bytes } from './bytes.ts';
import { VaultError } from './errors.ts';
import {
  DEFAULT_CHUNK_SIZE,
  HEADER_SIZE,
  MAX_CHUNKS,
  TAG_SIZE,
  chunkAad,
  newHeader,
  nonce,
  readHeader,
  type Header
} from './format.ts';
import { ExactReader, type ByteSource } from './source.ts';

export interface EncryptOptions {
  /** Plaintext bytes per chunk, 1–4 MiB; default 1 MiB. */
  chunkSize?: number;
}

/** A fresh random AES-256-GCM content key for one document. Extractable only so that it can be wrapped. */
export async function generateContentKey(): Promise<CryptoKey> {
  return globalThis.crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
}

function checkContentKey(key: CryptoKey, usage: KeyUsage): void {
  const alg = key?.algorithm as AesKeyAlgorithm | undefined;
  if (!alg || alg.name !== 'AES-GCM' || alg.length !== 256 || !key.usages.includes(usage))
    throw new VaultError('VAULT_INVALID_ARGUMENT', `content key must be an AES-256-GCM key usable to ${usage}`);
}

async function seal(key: CryptoKey, h: Header, index: number, final: boolean, plain: Bytes): Promise<Bytes> {
  const iv = nonce(h, index);
  const additionalData = chunkAad(h, index, final);
  return new Uint8Array(await globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData }, key, plain));
}

async function open(key: CryptoKey, h: Header, index: number, final: boolean, sealed: Bytes): Promise<Bytes | null> {
  try {
    const iv = nonce(h, index);
    const additionalData = chunkAad(h, index, final);
    return new Uint8Array(await globalThis.crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData }, key, sealed));
  } catch {
    return null;
  }
}

/**
 * Encrypts a byte stream: yields the header, then one sealed chunk per `chunkSize` plaintext bytes.
 * One chunk is held back so the last can carry the final flag; memory stays at about two chunks.
 *
 * ```ts
 * const blob = new Blob(await Array.fromAsync(encryptStream(key, file.stream())));
 * ```
 */
export async function* encryptStream(
  key: CryptoKey,
  source: ByteSource,
  options: EncryptOptions = {}
): AsyncGenerator<Bytes> {
  checkContentKey(key, 'encrypt');
  const { header, bytes } = await newHeader(key, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  yield bytes;
  const reader = new ExactReader(source);
  let pending = await reader.next(header.chunkSize);
  for (let index = 0; ; index++) {
    if (index >= MAX_CHUNKS) throw new VaultError('VAULT_INVALID_ARGUMENT', 'document too large for one vault file');
    // A short piece is necessarily the last; a full one is the last only if nothing follows it.
    const next = pending.length === header.chunkSize ? await reader.next(header.chunkSize) : new Uint8Array(0);
    const final = next.length === 0;
    yield await seal(key, header, index, final, pending);
    if (final) return;
    pending = next;
  }
}

/**
 * Decrypts a vault file, yielding plaintext chunk by chunk after each one authenticates.
 * Truncation is only known at the end: a consumer must treat the output as complete only once iteration
 * finished without a `VaultError` (`VAULT_TAMPERED` for modified, reordered, dropped or appended chunks,
 * `VAULT_WRONG_KEY` when the key check in the header fails, `VAULT_FORMAT` for a foreign file).
 */
export async function* decryptStream(key: CryptoKey, source: ByteSource): AsyncGenerator<Bytes> {
  checkContentKey(key, 'decrypt');
  const reader = new ExactReader(source);
  try {
    const header = await readHeader(key, await reader.next(HEADER_SIZE));
    const sealedSize = header.chunkSize + TAG_SIZE;
    let pending = await reader.next(sealedSize);
    if (pending.length === 0) throw new VaultError('VAULT_TAMPERED', 'the document is truncated: no chunks');
    for (let index = 0; ; index++) {
      if (index >= MAX_CHUNKS) throw new VaultError('VAULT_TAMPERED', 'too many chunks');
      const next = pending.length === sealedSize ? await reader.next(sealedSize) : new Uint8Array(0);
      const final = next.length === 0;
      const plain = await open(key, header, index, final, pending);
      if (!plain) {
        const asOther = final ? await open(key, header, index, false, pending) : null;
        throw new VaultError(
          'VAULT_TAMPERED',
          asOther
            ? `the document is truncated after chunk ${index}`
            : `chunk ${index} does not authenticate (modified, reordered, or the file was cut or extended)`
        );
      }
      yield plain;
      if (final) return;
      pending = next;
    }
  } finally {
    await reader.close();
  }
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<Bytes> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const p of it) {
    parts.push(p);
    n += p.length;
  }
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** One-shot encryption of bytes already in memory. */
export function encrypt(key: CryptoKey, plaintext: Uint8Array, options?: EncryptOptions): Promise<Bytes> {
  return collect(encryptStream(key, [plaintext], options));
}

/**
 * Decryption into one buffer, from bytes in memory or any byte source (e.g. a download's body); nothing is returned
 * unless the whole file authenticates.
 */
export function decrypt(key: CryptoKey, ciphertext: Uint8Array | ByteSource): Promise<Bytes> {
  return collect(decryptStream(key, ciphertext instanceof Uint8Array ? [ciphertext] : ciphertext));
}

/** Ciphertext size for `plainLength` bytes, e.g. to announce an upload's size. */
export function encryptedSize(plainLength: number, chunkSize = DEFAULT_CHUNK_SIZE): number {
  const chunks = Math.max(1, Math.ceil(plainLength / chunkSize));
  return HEADER_SIZE + plainLength + chunks * TAG_SIZE;
}
