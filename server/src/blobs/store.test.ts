import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { FileBlobStore } from './store.ts';

describe('FileBlobStore', () => {
  it('stores content-addressed blobs and reads them back', () => {
    const store = new FileBlobStore(mkdtempSync(join(tmpdir(), 'inkan-blobs-')));
    const bytes = new TextEncoder().encode('ciphertext');
    const id = store.put(bytes);
    expect(id).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(Buffer.from(store.get(id)).toString()).toBe('ciphertext');
    expect(store.put(bytes)).toBe(id);
    expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
  });
  it('refuses ids that are not hashes and reports missing blobs', () => {
    const store = new FileBlobStore(mkdtempSync(join(tmpdir(), 'inkan-blobs-')));
    expect(() => store.get('../etc/passwd')).toThrow(expect.objectContaining({ code: 'BLOB_INVALID_ID' }));
    expect(() => store.get('0'.repeat(64))).toThrow(expect.objectContaining({ code: 'BLOB_NOT_FOUND' }));
  });
});

describe('FileBlobStore streaming', () => {
  async function* pieces(n: number, size: number) {
    for (let i = 0; i < n; i++) yield new Uint8Array(size).fill(i);
  }
  it('streams a body in, hashes it, and streams it back', async () => {
    const store = new FileBlobStore(mkdtempSync(join(tmpdir(), 'inkan-blobs-')));
    const { id, size } = await store.putStream(pieces(8, 100_000), 1_000_000);
    const whole = Buffer.concat([...Array(8).keys()].map((i) => Buffer.alloc(100_000, i)));
    expect(size).toBe(800_000);
    expect(id).toBe(createHash('sha256').update(whole).digest('hex'));
    expect(store.put(whole)).toBe(id);
    const back = store.openStream(id);
    expect(back.size).toBe(800_000);
    const chunks: Uint8Array[] = [];
    for await (const c of back.stream) chunks.push(c);
    expect(Buffer.concat(chunks).equals(whole)).toBe(true);
    expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
  });
  it('refuses a body above the limit and leaves no file behind', async () => {
    const store = new FileBlobStore(mkdtempSync(join(tmpdir(), 'inkan-blobs-')));
    await expect(store.putStream(pieces(11, 100_000), 1_000_000)).rejects.toMatchObject({ code: 'BLOB_TOO_LARGE' });
    expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
    expect(readdirSync(store.root)).toEqual(['tmp']);
    expect(() => store.openStream('f'.repeat(64))).toThrow(expect.objectContaining({ code: 'BLOB_NOT_FOUND' }));
  });
});
