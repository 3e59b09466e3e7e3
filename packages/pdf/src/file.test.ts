import { describe, expect, it } from 'vitest';
import { MINIMAL, handPdf, makePdf } from '../test/helpers.ts';
import { PdfError } from './core/errors.ts';
import { PdfFile } from './file.ts';
import { pages } from './doc/pages.ts';
import { revisionChanges, revisionEndingAt } from './doc/changes.ts';
import { str, type PdfDict } from './core/objects.ts';
import { IncrementalUpdate } from './write/update.ts';

const latin = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));
const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (!(e instanceof PdfError)) throw e;
    return e.code;
  }
  return undefined;
};

describe('PdfFile.open: cross-reference reading (ISO 32000-2 §7.5)', () => {
  it('opens a classic-xref file lazily and walks its pages', async () => {
    const bytes = await makePdf(3);
    const f = PdfFile.open(bytes);
    expect(f.repaired).toBe(false);
    expect(f.revisions).toHaveLength(1);
    expect(f.revisions[0]).toMatchObject({ kind: 'table', end: bytes.length, index: 0 });
    expect(f.catalog().get('Type')).toMatchObject({ name: 'Catalog' });
    expect(pages(f).map((p) => p.index)).toEqual([0, 1, 2]);
    expect(f.version).toBe('1.7');
  });

  it('reads xref streams and objects inside object streams', async () => {
    const bytes = await makePdf(2, { objectStreams: true });
    const f = PdfFile.open(bytes);
    expect(f.revisions[0].kind).toBe('stream');
    const root = f.trailer.get('Root');
    expect(root?.kind).toBe('ref');
    if (root?.kind === 'ref') expect(f.locate(root.num)?.type).toBe(2);
    expect(pages(f)).toHaveLength(2);
    const info = f.resolve(f.trailer.get('Info'));
    expect(info?.kind === 'dict' && info.get('Title')?.kind === 'string').toBe(true);
  });

  it('keeps source offsets of parsed objects', () => {
    const bytes = handPdf([...MINIMAL, '<</Contents <00FF> /N 12>>']);
    const f = PdfFile.open(bytes);
    const d = f.get(4);
    const c = d?.kind === 'dict' ? d.get('Contents') : undefined;
    expect(c?.kind).toBe('string');
    expect(Buffer.from(bytes.subarray(c!.start, c!.end)).toString('latin1')).toBe('<00FF>');
  });

  it('repairs a wrong startxref and flags it', () => {
    const good = Buffer.from(handPdf(MINIMAL)).toString('latin1');
    const bad = good.replace(/startxref\n(\d+)/, 'startxref\n7');
    const f = PdfFile.open(latin(bad));
    expect(f.repaired).toBe(true);
    expect(f.warnings.join('\n')).toMatch(/no xref section/);
    expect(pages(f)).toHaveLength(1);
  });

  it('repairs wrong object offsets from a scan and flags it', () => {
    const good = Buffer.from(handPdf(MINIMAL)).toString('latin1');
    const bad = good.replace(
      /(\d{10}) 00000 n\r\n(?=trailer)/,
      (m, o) => `${String(Number(o) + 3).padStart(10, '0')} 00000 n\r\n`
    );
    const f = PdfFile.open(latin(bad));
    expect(f.repaired).toBe(true);
    expect(f.warnings.join('\n')).toMatch(/object 3: xref offset \d+ wrong, found at/);
    expect(pages(f)).toHaveLength(1);
  });

  it('reads a table whose subsection claims more entries than it has, flagging repair', () => {
    const bad = Buffer.from(handPdf(MINIMAL)).toString('latin1').replace('xref\n0 4\n', 'xref\n0 6\n');
    const f = PdfFile.open(latin(bad));
    expect(f.repaired).toBe(true);
    expect(f.revisions[0].startxref).toBeGreaterThan(0);
    expect(f.warnings.join()).toMatch(/ends after 4 entries/);
    expect(pages(f)).toHaveLength(1);
  });

  it('reconstructs a file without any xref or trailer from its catalog', () => {
    const s =
      '%PDF-1.4\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n2 0 obj\n<</Type/Pages/Kids[3 0 R]/Count 1>>\nendobj\n3 0 obj\n<</Type/Page/Parent 2 0 R>>\nendobj\n%%EOF\n';
    const f = PdfFile.open(latin(s));
    expect(f.repaired).toBe(true);
    expect(pages(f)).toHaveLength(1);
  });

  it('recovers revisions from %%EOF markers when no xref can be read at all', () => {
    const v1 = handPdf(MINIMAL);
    const f = PdfFile.open(v1);
    const up = new IncrementalUpdate(f);
    up.set(up.catalogRef(), f.catalog().clone().set('Lang', str('ja')));
    const v2 = Buffer.from(up.write().bytes).toString('latin1');
    const broken = latin(v2.replace(/startxref\n\d+/g, 'startxref\n999999').replace(/xref\n/g, 'xrex\n'));
    const g = PdfFile.open(broken);
    expect(g.repaired).toBe(true);
    expect(g.revisions).toHaveLength(2);
    const firstEnd = Buffer.from(broken).indexOf('%%EOF\n') + 6;
    expect(g.revisions[0].end).toBe(firstEnd);
    expect(revisionEndingAt(g, firstEnd)).toBe(0);
    expect(g.revisions[1].end).toBe(broken.length);
    expect((g.get(1, 0) as PdfDict).has('Lang')).toBe(false);
    expect((g.get(1) as PdfDict).get('Lang')).toMatchObject({ kind: 'string' });
    expect(revisionChanges(g, 1)).toEqual([{ num: 1, gen: 0, kind: 'modified' }]);
  });

  it('recoverUnlinked exposes revisions hidden by a rewrite without /Prev (incremental saving attack)', () => {
    const v1 = Buffer.from(handPdf([...MINIMAL, '<</Secret 1>>'])).toString('latin1');
    // the "attack": new catalog + a complete new xref table that does not chain back (no /Prev), no object 4
    const catAt = v1.length;
    let s = v1 + '1 0 obj\n<</Type/Catalog/Pages 2 0 R/Lang(xx)>>\nendobj\n';
    const xref = s.length;
    const off = (n: number): number => v1.indexOf(`\n${n} 0 obj`) + 1;
    s += `xref\n0 4\n0000000000 65535 f\r\n${String(catAt).padStart(10, '0')} 00000 n\r\n`;
    s += `${String(off(2)).padStart(10, '0')} 00000 n\r\n${String(off(3)).padStart(10, '0')} 00000 n\r\n`;
    s += `trailer\n<</Size 4/Root 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`;
    const bytes = latin(s);
    const plain = PdfFile.open(bytes);
    expect(plain.revisions).toHaveLength(1);
    const f = PdfFile.open(bytes, { recoverUnlinked: true });
    expect(f.repaired).toBe(false);
    expect(f.revisions.map((r) => [r.linked, r.base])).toEqual([
      [false, 0],
      [true, 1]
    ]);
    expect(f.revisions[0].end).toBe(v1.length);
    expect((f.get(1, 0) as PdfDict).has('Lang')).toBe(false);
    expect((f.get(1) as PdfDict).has('Lang')).toBe(true);
    expect(f.get(4, 0)?.kind).toBe('dict');
    expect(f.get(4)).toBeUndefined(); // the current state does not fall back into the hidden revision
    expect(f.warnings.join()).toMatch(/hidden revisions/);
  });

  it('stops at a /Prev cycle with a warning', () => {
    const good = Buffer.from(handPdf(MINIMAL)).toString('latin1');
    const xref = /startxref\n(\d+)/.exec(good)![1];
    const looped = good.replace('/Root 1 0 R', `/Root 1 0 R/Prev ${xref}`);
    const f = PdfFile.open(latin(looped));
    expect(f.revisions).toHaveLength(1);
    expect(f.warnings.join()).toMatch(/loops/);
  });

  it('corrects offsets written relative to a header that is not at byte 0', () => {
    const body = Buffer.from(handPdf(MINIMAL)).toString('latin1');
    const f = PdfFile.open(latin('JUNK BEFORE HEADER\n' + body));
    expect(f.headerOffset).toBe(19);
    expect(f.offsetShift).toBe(19);
    expect(f.repaired).toBe(false);
    expect(pages(f)).toHaveLength(1);
  });

  it('refuses garbage and wrong argument types with typed errors', () => {
    expect(code(() => PdfFile.open(latin('hello world')))).toBe('PDF_MALFORMED');
    expect(code(() => PdfFile.open(new Uint8Array(0)))).toBe('PDF_MALFORMED');
    expect(code(() => PdfFile.open('x' as unknown as Uint8Array))).toBe('PDF_INVALID_ARGUMENT');
  });

  it('bounds reference chains, self-referencing /Length and page-tree cycles', () => {
    const f = PdfFile.open(
      handPdf([
        '<</Type/Catalog/Pages 2 0 R>>',
        '<</Type/Pages/Kids[3 0 R]/Count 1>>',
        '<</Type/Pages/Parent 2 0 R/Kids[2 0 R]/Count 1>>',
        '5 0 R',
        '4 0 R',
        '<</Length 6 0 R>>\nstream\nabc\nendstream'
      ])
    );
    expect(code(() => pages(f))).toBe('PDF_LIMIT_EXCEEDED');
    expect(code(() => f.resolve(f.get(4)))).toBe('PDF_LIMIT_EXCEEDED');
    const s = f.get(6);
    expect(s?.kind === 'stream' && Buffer.from(s.raw).toString()).toBe('abc');
  });
});
