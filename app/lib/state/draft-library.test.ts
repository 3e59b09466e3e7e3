import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DraftStore } from '../drafts/store.ts';
import { DraftLibrary } from './draft-library.svelte.ts';

const draft = (id: string, createdAt: number) => ({
  id,
  title: id,
  fileName: `${id}.pdf`,
  createdAt,
  size: 1,
  pageCount: 1,
  sha256: '0'.repeat(64)
});

describe('DraftLibrary', () => {
  it('lists newest first and removes a draft with its PDF', async () => {
    const store = new DraftStore('library-1');
    await store.add(draft('old', 1), new Blob(['%PDF-']));
    await store.add(draft('new', 2), new Blob(['%PDF-']));
    const library = new DraftLibrary(store);
    await library.refresh();
    expect(library.items.map((d) => d.id)).toEqual(['new', 'old']);
    await library.remove('new');
    expect(library.items.map((d) => d.id)).toEqual(['old']);
    expect(await store.get('new')).toBeUndefined();
    expect(await store.pdf('new')).toBeUndefined();
    store.close();
  });

  it('says so when the browser refuses storage instead of failing silently', async () => {
    const broken = { list: () => Promise.reject(new DOMException('denied', 'SecurityError')) } as unknown as DraftStore;
    const library = new DraftLibrary(broken);
    await library.refresh();
    expect([library.loaded, library.unavailable, library.items]).toEqual([true, true, []]);
  });
});
