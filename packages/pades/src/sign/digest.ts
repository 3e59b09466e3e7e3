/**
 * The digest of the bytes a ByteRange covers — everything but the /Contents hole.
 *
 * A {@link Digester} hashes a list of chunks; inject one (STYLE §7). The default uses WebCrypto, which has no
 * streaming digest: it hashes in place — the tail is moved over the hole, the contiguous prefix is hashed,
 * the bytes are put back — so no second copy of a 50 MB file is made here. In Node, `nodeDigester` from
 * '@inkan/pades/node' streams the two ranges through node:crypto without moving anything.
 */
import type { DigestAlgorithm } from '@inkan/pki';

/** Hashes the concatenation of `chunks` (which it must not modify or keep). */
export type Digester = (hash: DigestAlgorithm, chunks: readonly Uint8Array[]) => Promise<Uint8Array>;

export async function digestOutsideHole(
  bytes: Uint8Array,
  hole: readonly [number, number],
  hash: DigestAlgorithm,
  digester?: Digester
): Promise<Uint8Array> {
  const [s, e] = hole;
  if (digester) return digester(hash, [bytes.subarray(0, s), bytes.subarray(e)]);
  const saved = bytes.slice(s, e);
  const n = bytes.length - (e - s);
  bytes.copyWithin(s, e);
  try {
    return new Uint8Array(await globalThis.crypto.subtle.digest(hash, bytes.subarray(0, n) as Uint8Array<ArrayBuffer>));
  } finally {
    bytes.copyWithin(e, s, n);
    bytes.set(saved, s);
  }
}
