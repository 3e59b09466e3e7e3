/**
 * The digest of the bytes a ByteRange covers — everything but the /Contents hole.
 *
 * A {@link Digester} hashes a list of chunks; inject one (STYLE §7). The default uses WebCrypto, which has no
 * streaming digest: on one array it hashes in place — the tail is moved over the hole, the contiguous prefix
 * is hashed, the bytes are put back — so no second copy of a 50 MB file is made here; on chunks it has to
 * join them once. In Node, `nodeDigester` from '@inkan/pades/node' streams the chunks through node:crypto
 * without moving or copying anything.
 */
import { bytesOutside, joinChunks, type ByteChunks } from '@inkan/pdf';
import type { DigestAlgorithm } from '@inkan/pki';

/** Hashes the concatenation of `chunks` (which it must not modify or keep). */
export type Digester = (hash: DigestAlgorithm, chunks: readonly Uint8Array[]) => Promise<Uint8Array>;

export async function digestOutsideHole(
  bytes: ByteChunks,
  hole: readonly [number, number],
  hash: DigestAlgorithm,
  digester?: Digester
): Promise<Uint8Array> {
  if (digester) return digester(hash, bytesOutside(bytes, hole));
  const webDigest = async (b: Uint8Array): Promise<Uint8Array> =>
    new Uint8Array(await globalThis.crypto.subtle.digest(hash, b as Uint8Array<ArrayBuffer>));
  if (!(bytes instanceof Uint8Array)) {
    if (bytes.length !== 1) return webDigest(joinChunks(bytesOutside(bytes, hole)));
    bytes = bytes[0]; // one chunk: hash it in place like a plain array, no copy
  }
  const [s, e] = hole;
  const saved = bytes.slice(s, e);
  const n = bytes.length - (e - s);
  bytes.copyWithin(s, e);
  try {
    return await webDigest(bytes.subarray(0, n));
  } finally {
    bytes.copyWithin(e, s, n);
    bytes.set(saved, s);
  }
}
