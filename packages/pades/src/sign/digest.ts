/**
 * The digest of the bytes a ByteRange covers — everything but the /Contents hole — hashed in place:
 * the tail is moved over the hole, the contiguous prefix is hashed (WebCrypto has no streaming digest), and
 * the bytes are put back. No second copy of a 50 MB file is made here.
 */
import type { DigestAlgorithm } from '@inkan/pki';

export async function digestOutsideHole(
  bytes: Uint8Array,
  hole: readonly [number, number],
  hash: DigestAlgorithm,
  crypto: Crypto = globalThis.crypto
): Promise<Uint8Array> {
  const [s, e] = hole;
  const saved = bytes.slice(s, e);
  const n = bytes.length - (e - s);
  bytes.copyWithin(s, e);
  try {
    return new Uint8Array(await crypto.subtle.digest(hash, bytes.subarray(0, n) as Uint8Array<ArrayBuffer>));
  } finally {
    bytes.copyWithin(e, s, n);
    bytes.set(saved, s);
  }
}
