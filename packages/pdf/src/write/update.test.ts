import { describe, expect, it } from 'vitest';
import { MINIMAL, handPdf, makePdf, qpdfCheck, qpdfShow, qpdfTransform } from '../../test/helpers.ts';
import { PdfDict, PdfName, PdfNumber, PdfRef, PdfStream, PdfString, dict, name, str } from '../core/objects.ts';
import { revisionChanges, revisionEndingAt } from '../doc/changes.ts';
import { pages } from '../doc/pages.ts';
import { signatures, signedBytes } from '../doc/signatures.ts';
import { PdfFile } from '../file.ts';
import { bytesOutside, chunksLength, fillByteRange, fillContents, signatureDict } from './placeholder.ts';
import { IncrementalUpdate } from './update.ts';
import { addSignatureField } from './forms.ts';

const pagesOf = (f: PdfFile): number => pages(f).length;
const prefixOf = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(b.subarray(0, a.length)).equals(Buffer.from(a));

describe('IncrementalUpdate (ISO 32000-2 §7.5.6)', () => {
  it('appends a table section to a table file; the input is a prefix; qpdf and we re-read it', async () => {
    const input = await makePdf(1);
    const f = PdfFile.open(input);
    const up = new IncrementalUpdate(f);
    const r = up.add(dict({ Type: name('Note'), Text: str('日本語 ok'), X: new PdfNumber(0.1 + 0.2) }));
    const out = up.write().bytes;
    expect(prefixOf(input, out)).toBe(true);
    expect(qpdfCheck(out).code).toBe(0);
    const g = PdfFile.open(out);
    expect(g.revisions.map((x) => x.kind)).toEqual(['table', 'table']);
    const o = g.get(r);
    expect(o?.kind === 'dict' && o.get('Text')?.kind === 'string' && (o.get('Text') as PdfString).text()).toBe(
      '日本語 ok'
    );
    expect(Buffer.from(out).toString('latin1')).toContain('/X 0.3');
    expect(qpdfShow(out, `${r.num},0`)).toContain('/Type /Note');
    expect(revisionChanges(g, 1)).toEqual([{ num: r.num, gen: 0, kind: 'new' }]);
    expect(revisionEndingAt(g, input.length)).toBe(0);
    expect(g.revisions[1].end).toBe(out.length);
  });

  it('appends an xref stream to an xref-stream file and keeps compressed objects reachable', async () => {
    const input = await makePdf(2, { objectStreams: true });
    const f = PdfFile.open(input);
    const up = new IncrementalUpdate(f);
    const catRef = up.catalogRef();
    up.set(catRef, (f.catalog().clone() as PdfDict).set('Lang', str('ja-JP')));
    const out = up.write().bytes;
    expect(prefixOf(input, out)).toBe(true);
    expect(qpdfCheck(out).code).toBe(0);
    const g = PdfFile.open(out);
    expect(g.revisions.map((x) => x.kind)).toEqual(['stream', 'stream']);
    expect(g.catalog().get('Lang')).toMatchObject({ kind: 'string' });
    expect(f.catalog().get('Lang')).toBeUndefined();
    expect(g.get(catRef, 0)?.kind === 'dict' && (g.get(catRef, 0) as PdfDict).has('Lang')).toBe(false);
    expect(revisionChanges(g, 1).find((c) => c.num === catRef.num)?.kind).toBe('modified');
    expect(qpdfShow(out, `${catRef.num},0`)).toContain('/Lang (ja-JP)');
  });

  for (const [label, args, kind] of [
    ['linearized (§F)', ['--linearize'], 'table'],
    ['linearized with object streams', ['--linearize', '--object-streams=generate'], 'stream']
  ] as const) {
    it(`updates a ${label} file: one original revision, then ours`, async () => {
      const input = qpdfTransform(await makePdf(3), [...args]);
      const f = PdfFile.open(input);
      expect(f.revisions).toHaveLength(1);
      expect(f.revisions[0].sections).toHaveLength(2);
      expect(f.revisions[0].kind).toBe(kind);
      expect(f.revisions[0].end).toBe(input.length);
      const up = new IncrementalUpdate(f);
      up.set(up.catalogRef(), f.catalog().clone().set('Lang', str('en')));
      const out = up.write().bytes;
      expect(qpdfCheck(out).code).toBe(0);
      const g = PdfFile.open(out);
      expect(g.revisions.map((r) => r.kind)).toEqual([kind, kind]);
      expect(pagesOf(g)).toBe(3);
      expect(revisionEndingAt(g, input.length)).toBe(0);
    });
  }

  for (const objectStreams of [false, true])
    it(`frees an object (${objectStreams ? 'xref stream' : 'table'}): reported as freed, still there before`, async () => {
      const first = new IncrementalUpdate(PdfFile.open(await makePdf(1, { objectStreams })));
      const extra = first.add(dict({ Type: name('Scratch') }));
      const f = PdfFile.open(first.write().bytes);
      const up = new IncrementalUpdate(f);
      up.free(extra);
      expect(up.get(extra)).toBeUndefined();
      expect(() => up.free(new PdfRef(999))).toThrowError(expect.objectContaining({ code: 'PDF_INVALID_ARGUMENT' }));
      const out = up.write().bytes;
      expect(qpdfCheck(out).code, qpdfCheck(out).out).toBe(0);
      const g = PdfFile.open(out);
      expect(g.get(extra)).toBeUndefined();
      expect(g.get(extra, 1)?.kind).toBe('dict');
      // (an xref stream revision also reports its own new xref stream object)
      expect(revisionChanges(g, 2).filter((c) => c.kind !== 'new')).toEqual([
        { num: extra.num, gen: 1, kind: 'freed' }
      ]);
    });

  it('adds an EOL when the input does not end with one, still as a prefix', () => {
    const input = handPdf(MINIMAL);
    const cut = input.subarray(0, input.length - 1); // drop the final \n after %%EOF
    const out = new IncrementalUpdate(PdfFile.open(cut)).write().bytes;
    expect(prefixOf(cut, out)).toBe(true);
    expect(out[cut.length]).toBe(0x0a);
    expect(qpdfCheck(out).code).toBe(0);
  });

  it('keeps the first /ID element and sets a fresh second one', () => {
    const f = PdfFile.open(handPdf(MINIMAL, { trailerExtra: '/ID [<0102> <0304>]' }));
    const g = PdfFile.open(new IncrementalUpdate(f).write().bytes);
    const id = g.trailer.get('ID');
    expect(id?.kind === 'array' && [...(id.items[0] as PdfString).bytes]).toEqual([1, 2]);
    expect(id?.kind === 'array' && (id.items[1] as PdfString).bytes.length).toBe(16);
  });

  it('numbers new objects above the highest number in use even if /Size is too small', () => {
    const bytes = Buffer.from(handPdf(MINIMAL)).toString('latin1').replace('/Size 4', '/Size 2');
    const f = PdfFile.open(Uint8Array.from(Buffer.from(bytes, 'latin1')));
    expect(new IncrementalUpdate(f).add(dict({})).num).toBe(4);
  });

  it('refuses a repaired file unless allowed, then writes a self-sufficient section', () => {
    const bad = Buffer.from(handPdf(MINIMAL))
      .toString('latin1')
      .replace(/startxref\n\d+/, 'startxref\n3');
    const f = PdfFile.open(Uint8Array.from(Buffer.from(bad, 'latin1')));
    expect(() => new IncrementalUpdate(f)).toThrowError(expect.objectContaining({ code: 'PDF_MALFORMED' }));
    const out = new IncrementalUpdate(f, { allowRepaired: true }).write().bytes;
    expect(qpdfCheck(out).code).toBe(0);
    const g = PdfFile.open(out);
    expect(g.repaired).toBe(false);
  });

  it('asserts its arguments at the boundary', () => {
    const up = new IncrementalUpdate(PdfFile.open(handPdf(MINIMAL)));
    const bad = { kind: 'nonsense' } as unknown as PdfDict;
    expect(() => up.add(bad)).toThrowError(expect.objectContaining({ code: 'PDF_INVALID_ARGUMENT' }));
    expect(() => up.set(up.reserve(), bad)).toThrowError(expect.objectContaining({ code: 'PDF_INVALID_ARGUMENT' }));
    expect(() => up.addSignature(bad, { contentsSize: 100 })).toThrowError(
      expect.objectContaining({ code: 'PDF_INVALID_ARGUMENT' })
    );
    expect(() => up.addSignature(signatureDict(), { contentsSize: 1.5 })).toThrowError(
      expect.objectContaining({ code: 'PDF_INVALID_ARGUMENT' })
    );
  });

  it('writes streams with a correct /Length and names/strings escaped', () => {
    const f = PdfFile.open(handPdf(MINIMAL));
    const up = new IncrementalUpdate(f);
    const s = up.add(new PdfStream(new PdfDict([['Type', new PdfName('A B#(c)')]]), new TextEncoder().encode('q Q')));
    const d = up.add(dict({ S: PdfString.latin1('a(b\\c\r\n') }));
    const out = up.write().bytes;
    expect(qpdfCheck(out).code).toBe(0);
    const g = PdfFile.open(out);
    const so = g.get(s);
    expect(so?.kind === 'stream' && (so.dict.get('Type') as PdfName).name).toBe('A B#(c)');
    expect(so?.kind === 'stream' && Buffer.from(g.decode(so)).toString()).toBe('q Q');
    expect(
      Buffer.from(
        (g.get(d) as PdfDict).get('S')!.kind === 'string' ? ((g.get(d) as PdfDict).get('S') as PdfString).bytes : []
      ).toString('latin1')
    ).toBe('a(b\\c\r\n');
  });
});

describe('signature placeholders (§12.8.1)', () => {
  it('reserves /Contents and /ByteRange, patches both in place, and reads them back', async () => {
    const input = await makePdf(1);
    const f = PdfFile.open(input);
    const up = new IncrementalUpdate(f);
    const sig = up.addSignature(
      signatureDict({ reason: 'approve', signingTime: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) }),
      {
        contentsSize: 64
      }
    );
    addSignatureField(up, { name: 'Sig1', sig });
    const res = up.write();
    const ph = res.signature!;
    expect(ph.ref.equals(sig)).toBe(true);
    const br = fillByteRange(res.bytes, ph);
    expect(br).toEqual([0, ph.contents[0], ph.contents[1], res.bytes.length - ph.contents[1]]);
    const der = Uint8Array.from([0x30, 0x82, 0x00, 0x03, 1, 2, 3]);
    fillContents(res.bytes, ph, der);
    const parts = signedBytes(res.bytes, br);
    expect(parts.map((p) => p.length)).toEqual([br[1], br[3]]);
    expect(parts[0].buffer).toBe(res.bytes.buffer); // views, not copies
    expect(qpdfCheck(res.bytes).code).toBe(0);
    const g = PdfFile.open(res.bytes);
    const [s] = signatures(g);
    expect(s.fieldNames).toEqual(['Sig1']);
    expect(s.byteRange).toEqual(br);
    expect([...s.contents!.bytes]).toEqual([...der]);
    expect(s.contents!.start).toBe(ph.contents[0]);
    expect(s.contents!.end).toBe(ph.contents[1]);
    expect(s.byteRangeSpan).toEqual(ph.byteRange);
    expect(s.revision).toBe(1);
    expect(s.subFilter).toBe('ETSI.CAdES.detached');
    expect((s.dict.get('M') as PdfString).text()).toBe('D:20260102030405Z');
  });

  it('writeChunks: the input is the head, untouched and uncopied; patches land in the tail only', async () => {
    const input = await makePdf(1);
    const pristine = input.slice();
    const up = new IncrementalUpdate(PdfFile.open(input));
    const sig = up.addSignature(signatureDict({ signingTime: new Date(Date.UTC(2026, 0, 2)) }), { contentsSize: 32 });
    addSignatureField(up, { name: 'Sig1', sig });
    const whole = up.write(); // same revision in one array, for comparison
    const res = up.writeChunks();
    expect(res.head).toBe(input);
    expect(res.tail.length).toBe(whole.bytes.length - input.length);
    expect(res.xrefOffset).toBe(whole.xrefOffset);
    expect(res.signature!.contents).toEqual(whole.signature!.contents);
    const chunks = [res.head, res.tail];
    expect(chunksLength(chunks)).toBe(whole.bytes.length);
    const br = fillByteRange(chunks, res.signature!);
    expect(br).toEqual(fillByteRange(whole.bytes, whole.signature!));
    const der = Uint8Array.of(0x30, 0x03, 1, 2, 3);
    fillContents(chunks, res.signature!, der);
    fillContents(whole.bytes, whole.signature!, der);
    expect(input).toEqual(pristine);
    // the /ID's second element is random per write: compare everything before the trailer
    const joined = Buffer.concat(chunks);
    const upTo = joined.lastIndexOf('trailer');
    expect(upTo).toBeGreaterThan(input.length);
    expect(joined.subarray(0, upTo).equals(Buffer.from(whole.bytes).subarray(0, upTo))).toBe(true);
    const outside = bytesOutside(chunks, res.signature!.contents);
    expect(outside[0].buffer).toBe(input.buffer); // a view of the input, not a copy
    expect(Buffer.concat(outside).equals(Buffer.concat(signedBytes(joined, br)))).toBe(true);
    const [s] = signatures(PdfFile.open(joined));
    expect(s.byteRange).toEqual(br);
    expect([...s.contents!.bytes]).toEqual([...der]);
  });

  it('a placeholder span that is not in the chunks is refused, nothing written', async () => {
    const up = new IncrementalUpdate(PdfFile.open(await makePdf(1)));
    up.addSignature(signatureDict(), { contentsSize: 16 });
    const res = up.writeChunks();
    const before = Buffer.from(res.tail);
    expect(() => fillContents([res.head], res.signature!, Uint8Array.of(0x30, 0x00))).toThrowError(
      expect.objectContaining({ code: 'PDF_INVALID_ARGUMENT' })
    );
    expect(() => fillByteRange([res.head], res.signature!)).toThrowError(
      expect.objectContaining({ code: 'PDF_INVALID_ARGUMENT' })
    );
    expect(Buffer.from(res.tail).equals(before)).toBe(true);
  });

  it('signs twice: each signature covers exactly its own revision', async () => {
    let bytes = await makePdf(1);
    for (const name of ['First', 'Second']) {
      const up = new IncrementalUpdate(PdfFile.open(bytes));
      const sig = up.addSignature(signatureDict(), { contentsSize: 32 });
      addSignatureField(up, { name, sig });
      const res = up.write();
      fillByteRange(res.bytes, res.signature!);
      fillContents(res.bytes, res.signature!, Uint8Array.of(0x30, 0x00));
      bytes = res.bytes;
    }
    const g = PdfFile.open(bytes);
    const sigs = signatures(g);
    expect(sigs.map((s) => [s.fieldNames[0], s.revision])).toEqual([
      ['First', 1],
      ['Second', 2]
    ]);
    for (const s of sigs) expect(revisionEndingAt(g, s.byteRange[2] + s.byteRange[3])).toBe(s.revision);
    expect(signatures(g, 1).map((s) => s.fieldNames[0])).toEqual(['First']);
    expect(revisionChanges(g, 2).map((c) => c.kind)).toContain('modified');
  });

  it('writes a document timestamp dictionary (§12.8.5)', async () => {
    const up = new IncrementalUpdate(PdfFile.open(await makePdf(1)));
    const sig = up.addSignature(signatureDict({ type: 'DocTimeStamp' }), { contentsSize: 64 });
    addSignatureField(up, { name: 'DocTS', sig });
    const res = up.write();
    fillByteRange(res.bytes, res.signature!);
    const [s] = signatures(PdfFile.open(res.bytes));
    expect(s).toMatchObject({ type: 'DocTimeStamp', subFilter: 'ETSI.RFC3161', fieldNames: ['DocTS'] });
    expect(s.dict.has('M')).toBe(false);
  });

  it('refuses a signature larger than the placeholder', async () => {
    const f = PdfFile.open(await makePdf(1));
    const up = new IncrementalUpdate(f);
    up.addSignature(signatureDict(), { contentsSize: 16 });
    const res = up.write();
    expect(() => fillContents(res.bytes, res.signature!, new Uint8Array(17))).toThrowError(
      expect.objectContaining({ code: 'PDF_INVALID_ARGUMENT' })
    );
  });

  it('rejects ByteRanges outside the file', () => {
    expect(() => signedBytes(new Uint8Array(10), [0, 5, 6, 5])).toThrowError(
      expect.objectContaining({ code: 'PDF_MALFORMED' })
    );
    expect(() => signedBytes(new Uint8Array(10), [0, 5, 6])).toThrowError(
      expect.objectContaining({ code: 'PDF_MALFORMED' })
    );
    expect(() => signedBytes(new Uint8Array(10), [-1, 5])).toThrowError(
      expect.objectContaining({ code: 'PDF_MALFORMED' })
    );
  });
});
