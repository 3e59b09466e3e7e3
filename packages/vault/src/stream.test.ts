import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  decrypt,
  decryptStream,
  encrypt,
  encryptStream,
  encryptedSize,
  generateContentKey,
  HEADER_SIZE,
  VaultError
} from './index.ts';

const MIB = 1024 * 1024;
const SEALED = MIB + 16;

/** Splits a 1 MiB-chunk vault file into its header and sealed chunks. */
function parts(file: Uint8Array): { header: Uint8Array; chunks: Uint8Array[] } {
  const chunks: Uint8Array[] = [];
  for (let off = HEADER_SIZE; off < file.length; off += SEALED) chunks.push(file.slice(off, off + SEALED));
  return { header: file.slice(0, HEADER_SIZE), chunks };
}

function join(...p: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(p));
}

async function refusal(promise: Promise<unknown>): Promise<VaultError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(VaultError);
    return e as VaultError;
  }
  throw new Error('expected a VaultError, got success');
}

describe('vault stream format', () => {
  it('round-trips sizes around the chunk boundaries', async () => {
    const key = await generateContentKey();
    for (const n of [0, 1, MIB - 1, MIB, MIB + 1, 2 * MIB + 5]) {
      const plain = randomBytes(n);
      const sealed = await encrypt(key, plain);
      expect(sealed.length).toBe(encryptedSize(n));
      expect(Buffer.from(await decrypt(key, sealed)).equals(plain)).toBe(true);
    }
  });

  it('encrypts the same bytes differently each time and honours the chunk size', async () => {
    const key = await generateContentKey();
    const plain = randomBytes(5 * MIB);
    const a = await encrypt(key, plain, { chunkSize: 4 * MIB });
    const b = await encrypt(key, plain, { chunkSize: 4 * MIB });
    expect(a.length).toBe(encryptedSize(plain.length, 4 * MIB));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(Buffer.from(await decrypt(key, b)).equals(plain)).toBe(true);
    for (const chunkSize of [0, 1024, MIB - 1, 4 * MIB + 1, 1.5])
      expect((await refusal(encrypt(key, plain, { chunkSize }))).code).toBe('VAULT_INVALID_ARGUMENT');
  });

  it('reads ReadableStreams and arbitrarily cut sources', async () => {
    const key = await generateContentKey();
    const plain = randomBytes(3 * MIB + 777);
    const pieces: Uint8Array[] = [];
    for (let off = 0, step = 1; off < plain.length; off += step, step = (step * 7 + 13) % 300_000)
      pieces.push(plain.subarray(off, off + step));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const p of pieces) controller.enqueue(p);
        controller.close();
      }
    });
    const sealed: Uint8Array[] = [];
    for await (const c of encryptStream(key, stream)) sealed.push(c);
    const out: Uint8Array[] = [];
    for await (const c of decryptStream(key, sealed)) out.push(c);
    expect(Buffer.concat(out).equals(plain)).toBe(true);
    // The one-shot form takes a byte source as well as bytes.
    expect(Buffer.from(await decrypt(key, sealed)).equals(plain)).toBe(true);
  });

  it('refuses modified, reordered, dropped, duplicated, truncated and extended chunks', async () => {
    const key = await generateContentKey();
    const file = await encrypt(key, randomBytes(3 * MIB + 10));
    const { header, chunks } = parts(file);
    expect(chunks.length).toBe(4);
    const flipped = file.slice();
    flipped[HEADER_SIZE + SEALED + 100] ^= 1;
    const other = parts(await encrypt(key, randomBytes(3 * MIB + 10)));
    const cases: Record<string, Uint8Array> = {
      'bit flip in chunk 1': flipped,
      'chunks 0 and 1 swapped': join(header, chunks[1], chunks[0], chunks[2], chunks[3]),
      'chunk 1 dropped': join(header, chunks[0], chunks[2], chunks[3]),
      'chunk 1 duplicated': join(header, chunks[0], chunks[1], chunks[1], chunks[2], chunks[3]),
      'final chunk dropped': join(header, chunks[0], chunks[1], chunks[2]),
      'cut inside the final chunk': file.slice(0, file.length - 5),
      'cut inside a middle chunk': file.slice(0, HEADER_SIZE + SEALED + 500),
      'only the header': header,
      'final chunk appended twice': join(file, chunks[3]),
      'a byte appended': join(file, new Uint8Array([0])),
      'a chunk from another file with the same key': join(header, chunks[0], other.chunks[1], chunks[2], chunks[3]),
      'header chunk size changed': (() => {
        const f = file.slice();
        f[9] ^= 0x01;
        return f;
      })()
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const e = await refusal(decrypt(key, bytes));
      expect(e.code, name).toBe('VAULT_TAMPERED');
    }
    expect((await refusal(decrypt(key, cases['final chunk dropped']))).message).toMatch(/truncated/);
  });

  it('streams authenticated chunks but still fails at the end of a truncated file', async () => {
    const key = await generateContentKey();
    const file = await encrypt(key, randomBytes(2 * MIB + 3));
    const cut = file.slice(0, HEADER_SIZE + 2 * SEALED);
    const seen: number[] = [];
    const e = await refusal(
      (async () => {
        for await (const c of decryptStream(key, [cut])) seen.push(c.length);
      })()
    );
    expect(e.code).toBe('VAULT_TAMPERED');
    expect(seen).toEqual([MIB]);
  });

  it('tells a wrong key and a foreign file apart from tampering', async () => {
    const key = await generateContentKey();
    const file = await encrypt(key, new TextEncoder().encode('契約書'));
    expect((await refusal(decrypt(await generateContentKey(), file))).code).toBe('VAULT_WRONG_KEY');
    expect((await refusal(decrypt(key, new TextEncoder().encode('%PDF-1.7 not encrypted at all, really')))).code).toBe(
      'VAULT_FORMAT'
    );
    const v2 = file.slice();
    v2[4] = 2;
    expect((await refusal(decrypt(key, v2))).message).toMatch(/version 2/);
    const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    expect((await refusal(decrypt(hmac, file))).code).toBe('VAULT_INVALID_ARGUMENT');
  });

  it('streams 64 MiB with bounded memory: nothing read ahead, nothing retained', async () => {
    const key = await generateContentKey();
    const total = 64 * MIB;
    const piece = 256 * 1024;
    let pulled = 0;
    let decrypted = 0;
    let maxLead = 0;
    let maxAlive = 0;
    const inHash = createHash('sha256');
    const outHash = createHash('sha256');
    // Every buffer that passes through is watched weakly; after a full collection, a buffer still alive is one
    // the pipeline holds. (Byte counters such as process.memoryUsage() lag behind V8's concurrent sweeper.)
    const watched: WeakRef<Uint8Array>[] = [];
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // Deterministic but non-repeating content, produced lazily: nothing holds the whole input.
    async function* source() {
      for (let i = 0; i < total / piece; i++) {
        const p = createHash('sha512').update(`piece ${i}`).digest();
        const buf = new Uint8Array(piece);
        for (let off = 0; off < piece; off += p.length) buf.set(p, off);
        buf[0] = i & 0xff;
        inHash.update(buf);
        pulled += buf.length;
        watched.push(new WeakRef(buf));
        yield buf;
      }
    }
    for await (const plain of decryptStream(key, encryptStream(key, source()))) {
      decrypted += plain.length;
      outHash.update(plain);
      watched.push(new WeakRef(plain));
      maxLead = Math.max(maxLead, pulled - decrypted);
      if (decrypted % (8 * MIB) === 0) {
        await new Promise((r) => setImmediate(r));
        gc();
        maxAlive = Math.max(maxAlive, watched.filter((w) => w.deref() !== undefined).length);
      }
    }
    expect(decrypted).toBe(total);
    expect(outHash.digest('hex')).toBe(inHash.digest('hex'));
    // Encrypt holds one chunk back, decrypt one sealed chunk: the lead never exceeds a few chunks.
    expect(maxLead).toBeLessThanOrEqual(3 * MIB);
    // Of 320 buffers, only the one being read and the plaintext chunk in hand may be alive.
    expect(watched.length).toBe(256 + 64);
    expect(maxAlive).toBeLessThanOrEqual(4);
  });
});
