import { concat, u32be, utf8, randomBytes, type Bytes } from './bytes.ts';
import { VaultError } from './errors.ts';

/**
 * Inkan vault file format, version 1 — a fixed 52-byte header followed by chunks.
 *
 * ```
 * offset size field
 *  0      4   magic "INKV"
 *  4      1   version = 1
 *  5      1   algorithm = 1 (AES-256-GCM, 96-bit nonce, 128-bit tag)
 *  6      2   reserved, zero
 *  8      4   chunk size (plaintext bytes per chunk, big-endian), 1 MiB … 4 MiB
 * 12     16   file id (random)
 * 28      8   nonce prefix (random)
 * 36     16   key check: GCM tag of the empty text under nonce prefix ‖ FFFFFFFF, AAD "inkan-vault-v1 key-check"
 * 52      …   chunks: every chunk but the last holds exactly `chunk size` plaintext bytes + 16 tag bytes
 * ```
 *
 * Chunk i is AES-GCM with nonce = nonce prefix ‖ u32be(i) and AAD = header[0..36] ‖ u32be(i) ‖ final (0|1),
 * the STREAM construction of Hoang–Reyhanitabar–Rogaway–Vizár (2015), also used by age and Tink: a chunk moved to
 * another position, a chunk from another file, a dropped tail or an appended chunk all fail authentication.
 */
export const MAGIC = utf8('INKV');
export const VERSION = 1;
export const ALG_AES_256_GCM = 1;
export const HEADER_SIZE = 52;
export const AUTHENTICATED_HEADER_SIZE = 36;
export const TAG_SIZE = 16;
export const MIB = 1024 * 1024;
export const MIN_CHUNK_SIZE = MIB;
export const MAX_CHUNK_SIZE = 4 * MIB;
export const DEFAULT_CHUNK_SIZE = MIB;
/** The last nonce counter is reserved for the key check. */
export const MAX_CHUNKS = 0xffff_ffff;
const KEY_CHECK_AAD = utf8('inkan-vault-v1 key-check');

export interface Header {
  chunkSize: number;
  fileId: Bytes;
  noncePrefix: Bytes;
  /** header[0..36], bound into every chunk's AAD. */
  authenticated: Bytes;
  keyCheck: Bytes;
}

export function checkChunkSize(chunkSize: number): void {
  if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE)
    throw new VaultError('VAULT_INVALID_ARGUMENT', `chunk size must be 1–4 MiB, got ${chunkSize}`);
}

export function nonce(h: Pick<Header, 'noncePrefix'>, index: number): Bytes {
  return concat(h.noncePrefix, u32be(index));
}

export function chunkAad(h: Pick<Header, 'authenticated'>, index: number, final: boolean): Bytes {
  return concat(h.authenticated, u32be(index), new Uint8Array([final ? 1 : 0]));
}

async function keyCheck(key: CryptoKey, noncePrefix: Bytes): Promise<Bytes> {
  const tag = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: concat(noncePrefix, u32be(MAX_CHUNKS)), additionalData: KEY_CHECK_AAD },
    key,
    new Uint8Array(0)
  );
  return new Uint8Array(tag);
}

export async function newHeader(key: CryptoKey, chunkSize: number): Promise<{ header: Header; bytes: Bytes }> {
  checkChunkSize(chunkSize);
  const fileId = randomBytes(16);
  const noncePrefix = randomBytes(8);
  const fixed = new Uint8Array(8);
  fixed.set(MAGIC, 0);
  fixed[4] = VERSION;
  fixed[5] = ALG_AES_256_GCM;
  const authenticated = concat(fixed, u32be(chunkSize), fileId, noncePrefix);
  const check = await keyCheck(key, noncePrefix);
  return {
    header: { chunkSize, fileId, noncePrefix, authenticated, keyCheck: check },
    bytes: concat(authenticated, check)
  };
}

/** Parses and checks a header; the key check proves `key` is the one the file was encrypted with. */
export async function readHeader(key: CryptoKey, bytes: Uint8Array): Promise<Header> {
  if (bytes.length < HEADER_SIZE) throw new VaultError('VAULT_FORMAT', 'not an Inkan vault file (too short)');
  for (let i = 0; i < MAGIC.length; i++)
    if (bytes[i] !== MAGIC[i]) throw new VaultError('VAULT_FORMAT', 'not an Inkan vault file (bad magic)');
  if (bytes[4] !== VERSION) throw new VaultError('VAULT_FORMAT', `unsupported vault format version ${bytes[4]}`);
  if (bytes[5] !== ALG_AES_256_GCM) throw new VaultError('VAULT_FORMAT', `unsupported algorithm ${bytes[5]}`);
  if (bytes[6] !== 0 || bytes[7] !== 0) throw new VaultError('VAULT_FORMAT', 'reserved header bytes are not zero');
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_SIZE);
  const chunkSize = view.getUint32(8);
  if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE)
    throw new VaultError('VAULT_TAMPERED', `header names an impossible chunk size ${chunkSize}`);
  const header: Header = {
    chunkSize,
    fileId: bytes.slice(12, 28),
    noncePrefix: bytes.slice(28, 36),
    authenticated: bytes.slice(0, AUTHENTICATED_HEADER_SIZE),
    keyCheck: bytes.slice(36, HEADER_SIZE)
  };
  const expected = await keyCheck(key, header.noncePrefix);
  let diff = 0;
  for (let i = 0; i < TAG_SIZE; i++) diff |= expected[i] ^ header.keyCheck[i];
  if (diff !== 0) throw new VaultError('VAULT_WRONG_KEY', 'this key did not encrypt this document');
  return header;
}
