/** Node-only: a streaming {@link Digester} on node:crypto (no copy of the document, unlike WebCrypto). */
import { createHash } from 'node:crypto';
import type { Digester } from './sign/digest.ts';

const NODE_NAMES = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as const;

export const nodeDigester: Digester = async (hash, chunks) => {
  const h = createHash(NODE_NAMES[hash]);
  for (const c of chunks) h.update(c);
  return new Uint8Array(h.digest());
};
