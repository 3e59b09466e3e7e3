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
