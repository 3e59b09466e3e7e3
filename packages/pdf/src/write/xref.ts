/** Writing the new cross-reference section: a table (§7.5.4) or an uncompressed xref stream (§7.5.8). */
import { PdfArray, PdfDict, PdfName, PdfNumber, PdfStream } from '../core/objects.ts';
import type { XrefEntry } from '../xref/section.ts';
import { writeObject } from './serialize.ts';
import type { ByteSink } from './sink.ts';

export interface WrittenEntry {
  num: number;
  gen: number;
  /** Offset in the file's convention (position minus the header shift). */
  offset: number;
  /** A freed object: written as a free entry (type 0) with `gen` as the next generation. */
  free?: boolean;
}

type Row = { num: number; type: 0 | 1 | 2; f2: number; f3: number };

function rows(written: WrittenEntry[], carried: XrefEntry[]): Row[] {
  const all: Row[] = written.map((w) => ({ num: w.num, type: w.free ? 0 : 1, f2: w.free ? 0 : w.offset, f3: w.gen }));
  for (const e of carried) {
    if (e.type === 1) all.push({ num: e.num, type: 1, f2: e.offset, f3: e.gen });
    else if (e.type === 2) all.push({ num: e.num, type: 2, f2: e.stream, f3: e.index });
  }
  return all.sort((a, b) => a.num - b.num);
}

/** Groups sorted rows into runs of consecutive numbers (the subsections / the /Index pairs). */
function runs(all: Row[]): Row[][] {
  const out: Row[][] = [];
  for (const r of all) {
    const last = out[out.length - 1];
    if (last && last[last.length - 1].num + 1 === r.num) last.push(r);
    else out.push([r]);
  }
  return out;
}

/** §7.5.4: `xref`, subsections of 20-byte entries, `trailer` dictionary. */
export function writeXrefTable(out: ByteSink, written: WrittenEntry[], carried: XrefEntry[], trailer: PdfDict): void {
  const all = rows(written, carried);
  let s = 'xref\n';
  // Object 0 heads the free list; listing it keeps a section valid even when it has nothing else.
  if (carried.length || all.length === 0) s += '0 1\n0000000000 65535 f\r\n';
  for (const run of runs(all)) {
    s += `${run[0].num} ${run.length}\n`;
    for (const r of run)
      s += `${String(r.f2).padStart(10, '0')} ${String(r.f3).padStart(5, '0')} ${r.type === 0 ? 'f' : 'n'}\r\n`;
  }
  out.text(s + 'trailer\n');
  writeObject(out, trailer);
  out.text('\n');
}

/** §7.5.8: an xref stream object `num` listing itself too; never encrypted (§7.6.2). */
export function writeXrefStream(
  out: ByteSink,
  num: number,
  written: WrittenEntry[],
  carried: XrefEntry[],
  trailer: PdfDict,
  shift: number
): void {
  const self: WrittenEntry = { num, gen: 0, offset: out.pos - shift };
  const all = rows([...written, self], carried);
  let maxF2 = 0;
  let maxF3 = 0;
  for (const r of all) {
    maxF2 = Math.max(maxF2, r.f2);
    maxF3 = Math.max(maxF3, r.f3);
  }
  const w2 = bytesFor(maxF2);
  const w3 = bytesFor(maxF3);
  const rowLen = 1 + w2 + w3;
  const data = new Uint8Array(all.length * rowLen);
  all.forEach((r, i) => {
    let o = i * rowLen;
    data[o++] = r.type;
    for (let k = w2 - 1; k >= 0; k--) data[o++] = Math.floor(r.f2 / 256 ** k) & 0xff;
    for (let k = w3 - 1; k >= 0; k--) data[o++] = Math.floor(r.f3 / 256 ** k) & 0xff;
  });
  const index: PdfNumber[] = [];
  for (const run of runs(all)) index.push(new PdfNumber(run[0].num), new PdfNumber(run.length));
  const dict = new PdfDict([
    ['Type', new PdfName('XRef')],
    ['W', new PdfArray([new PdfNumber(1), new PdfNumber(w2), new PdfNumber(w3)])],
    ['Index', new PdfArray(index)]
  ]);
  for (const [k, v] of trailer.map) dict.set(k, v);
  out.text(`${num} 0 obj\n`);
  writeObject(out, new PdfStream(dict, data));
  out.text('\nendobj\n');
}

function bytesFor(n: number): number {
  let w = 1;
  while (n >= 256 ** w && w < 8) w++;
  return w;
}
