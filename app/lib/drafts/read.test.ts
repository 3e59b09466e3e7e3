import { describe, expect, it } from 'vitest';
import { IntakeError } from './intake-error.ts';
import { hasPdfHeader, readPdf, type ReadProgress } from './read.ts';

const enc = new TextEncoder();
const pdfLike = (size: number) => {
  const b = new Uint8Array(size).fill(0x20);
  b.set(enc.encode('%PDF-1.7\n'));
  return b;
};
const hex = async (b: Uint8Array<ArrayBuffer>) =>
  Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', b)), (x) => x.toString(16).padStart(2, '0')).join('');

describe('readPdf', () => {
  it('reads in chunks, reports progress and hashes the exact bytes', async () => {
    const bytes = pdfLike(10_000);
    const seen: ReadProgress[] = [];
    const out = await readPdf(new Blob([bytes]), { chunkSize: 3000, onProgress: (p) => seen.push(p) });
    expect(out.bytes).toEqual(bytes);
    expect(out.sha256).toBe(await hex(bytes));
    expect(seen.map((p) => `${p.phase}:${p.loaded}`)).toEqual([
      'reading:0',
      'reading:3000',
      'reading:6000',
      'reading:9000',
      'reading:10000',
      'hashing:10000'
    ]);
  });

  it.each([
    ['an empty file', new Uint8Array(0), 'EMPTY_FILE'],
    ['a text file', enc.encode('hello, this is not a PDF'), 'NOT_PDF'],
    ['a file over the limit', pdfLike(2048), 'TOO_LARGE']
  ])('refuses %s', async (_, bytes, code) => {
    const err = await readPdf(new Blob([bytes]), { maxBytes: 1024 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntakeError);
    expect((err as IntakeError).code).toBe(code);
  });

  it('stops after the first chunk of a non-PDF instead of reading it all', async () => {
    const seen: ReadProgress[] = [];
    const junk = new Uint8Array(50_000).fill(0x41);
    await expect(readPdf(new Blob([junk]), { chunkSize: 4096, onProgress: (p) => seen.push(p) })).rejects.toThrow(
      'NOT_PDF'
    );
    expect(Math.max(...seen.map((p) => p.loaded))).toBe(0);
  });
});

describe('hasPdfHeader', () => {
  it('accepts %PDF- at the start or after a little junk, within the first KB only', () => {
    expect(hasPdfHeader(enc.encode('%PDF-2.0'))).toBe(true);
    expect(hasPdfHeader(enc.encode('\xef\xbb\xbfjunk%PDF-1.4'))).toBe(true);
    expect(hasPdfHeader(new Uint8Array([...new Uint8Array(1100), ...enc.encode('%PDF-1.4')]))).toBe(false);
    expect(hasPdfHeader(enc.encode('%PDF'))).toBe(false);
  });
});
