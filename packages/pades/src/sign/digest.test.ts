import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeDigester } from '../node-digest.ts';
import { digestOutsideHole } from './digest.ts';

describe('ByteRange digest', () => {
  it.each(['SHA-256', 'SHA-384', 'SHA-512'] as const)(
    '%s: in-place WebCrypto and streaming node:crypto agree, bytes untouched',
    async (hash) => {
      const bytes = new Uint8Array(randomBytes(100_000));
      const before = bytes.slice();
      const hole: [number, number] = [60_000, 70_002];
      const expected = createHash(hash.replace('-', '').toLowerCase())
        .update(bytes.subarray(0, hole[0]))
        .update(bytes.subarray(hole[1]))
        .digest();
      const a = await digestOutsideHole(bytes, hole, hash);
      expect(Buffer.from(bytes).equals(Buffer.from(before))).toBe(true);
      const b = await digestOutsideHole(bytes, hole, hash, nodeDigester);
      expect(Buffer.from(a).equals(expected)).toBe(true);
      expect(Buffer.from(b).equals(expected)).toBe(true);
      // one chunk in a list: hashed in place too (bytes put back)
      expect(Buffer.from(await digestOutsideHole([bytes], hole, hash)).equals(expected)).toBe(true);
      expect(Buffer.from(bytes).equals(Buffer.from(before))).toBe(true);
      // the same file as chunks split before the hole: both digesters agree, no chunk modified
      const chunks = [bytes.slice(0, 50_000), bytes.slice(50_000)];
      expect(Buffer.from(await digestOutsideHole(chunks, hole, hash)).equals(expected)).toBe(true);
      expect(Buffer.from(await digestOutsideHole(chunks, hole, hash, nodeDigester)).equals(expected)).toBe(true);
      expect(Buffer.concat(chunks).equals(Buffer.from(before))).toBe(true);
    }
  );
});
