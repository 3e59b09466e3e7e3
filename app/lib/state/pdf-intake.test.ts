import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { IntakeError } from '../drafts/intake-error.ts';
import { readPdf } from '../drafts/read.ts';
import { DraftStore } from '../drafts/store.ts';
import { PdfIntake, type IntakeDeps } from './pdf-intake.svelte.ts';

const pdfFile = (name = '業務委託契約書.pdf', body = '%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n') =>
  new File([body], name, { type: 'application/pdf' });

let store: DraftStore;
let n = 0;
function setup(overrides: Partial<IntakeDeps> = {}) {
  store = new DraftStore(`test-${++n}`);
  const deps: IntakeDeps = {
    read: (file, onProgress) => readPdf(file, { onProgress }),
    inspect: async () => ({ pageCount: 2 }),
    now: () => 1_764_000_000_000,
    newId: () => `draft-${n}`,
    ...overrides
  };
  return new PdfIntake(store, deps);
}
afterEach(() => store.close());

describe('PdfIntake', () => {
  it('stores a valid PDF as a draft with its title, size, page count and SHA-256', async () => {
    const intake = setup();
    // fake-indexeddb cannot clone Blobs under Node, so look at what the store is handed (the e2e suite reads the
    // real IndexedDB back in Chromium).
    const added: Blob[] = [];
    const add = store.add.bind(store);
    store.add = (d, pdf) => (added.push(pdf), add(d, pdf));
    const file = pdfFile();
    const draft = await intake.accept(file);
    expect(draft).toMatchObject({ title: '業務委託契約書', fileName: file.name, size: file.size, pageCount: 2 });
    expect(draft!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await store.list()).toEqual([draft]);
    expect(new Uint8Array(await added[0]!.arrayBuffer())).toEqual(new Uint8Array(await file.arrayBuffer()));
    expect(added[0]!.type).toBe('application/pdf');
    expect(intake.phase).toBe('idle');
    expect(intake.error).toBeNull();
  });

  it.each([
    ['a non-PDF', pdfFile('memo.txt', 'plain text'), {}, 'NOT_PDF'],
    ['an empty file', pdfFile('empty.pdf', ''), {}, 'EMPTY_FILE'],
    [
      'a PDF that pdf.js cannot parse',
      pdfFile(),
      {
        inspect: async () => {
          throw new IntakeError('CORRUPT_PDF');
        }
      },
      'CORRUPT_PDF'
    ]
  ] as const)('refuses %s and stores nothing', async (_, file, deps, code) => {
    const intake = setup(deps);
    expect(await intake.accept(file)).toBeNull();
    expect(intake.error).toBe(code);
    expect(await store.list()).toEqual([]);
  });

  it('stores nothing when cancelled while parsing', async () => {
    let release!: () => void;
    const intake = setup({
      inspect: () => new Promise((ok) => (release = () => ok({ pageCount: 1 })))
    });
    const pending = intake.accept(pdfFile());
    await expect.poll(() => intake.phase).toBe('parsing');
    intake.cancel();
    release();
    expect(await pending).toBeNull();
    expect(intake.cancelled).toBe(true);
    expect(intake.error).toBeNull();
    expect(await store.list()).toEqual([]);
  });
});
