/**
 * Rebuilds a usable trailer and entry map when no cross-reference data can be read (ISO 32000-2 §7.5.4/§7.5.5
 * are then unusable; readers reconstruct from the object headers, as qpdf and pdf.js do). Revisions are
 * recovered from the `%%EOF` markers (§7.5.6): each holds the objects defined in its byte span.
 */
import { indexOf } from '../core/bytes.ts';
import { PdfError } from '../core/errors.ts';
import { PdfDict, PdfNumber, PdfRef, type PdfObject } from '../core/objects.ts';
import { parseObject } from '../core/parser.ts';
import { eofAfter, type Revision } from './revisions.ts';
import { scanTrailers, type ScannedObject } from './scan.ts';
import type { XrefEntry } from './section.ts';

export interface RepairLoader {
  /** Parses the object at a scanned position, or undefined when it is unreadable. */
  objectAt(o: ScannedObject): PdfObject | undefined;
  /** Object numbers held by the object stream object `o`, in order, or [] when unreadable. */
  objStmMembers(o: ScannedObject): number[];
}

/** Revisions split at `%%EOF` markers; the last one carries the reconstructed trailer. */
export function repairedRevisions(
  b: Uint8Array,
  all: readonly ScannedObject[],
  loader: RepairLoader,
  warn: (m: string) => void
): Revision[] {
  const latest = new Map<number, ScannedObject>();
  for (const o of all) latest.set(o.num, o);
  const final = repairedRevision(b, latest, loader, warn);
  const ends: [number, number][] = [];
  for (let from = 0; ends.length < 10_000;) {
    const i = indexOf(b, '%%EOF', from);
    if (i < 0) break;
    const e = eofAfter(b, i);
    ends.push(e);
    from = e[1];
  }
  const lastObj = all.length ? all[all.length - 1].offset : 0;
  if (!ends.length || lastObj >= ends[ends.length - 1][1]) ends.push([b.length, b.length]);
  const out: Revision[] = [];
  let start = 0;
  let k = 0;
  let trailer: PdfDict | undefined;
  for (const [eof, end] of ends) {
    const entries = new Map<number, XrefEntry>();
    for (; k < all.length && all[k].offset < end; k++) {
      const o = all[k];
      entries.set(o.num, { type: 1, num: o.num, gen: o.gen, offset: o.offset });
    }
    for (const e of final.entries.values()) {
      const holder = e.type === 2 ? latest.get(e.stream) : undefined;
      if (holder && holder.offset >= start && holder.offset < end && !entries.has(e.num)) entries.set(e.num, e);
    }
    trailer = lastTrailerIn(b, start, end) ?? trailer;
    if (entries.size)
      out.push({
        index: out.length,
        startxref: -1,
        sections: [],
        kind: 'table',
        trailer: trailer ?? final.trailer,
        entries,
        end,
        eof,
        linked: true,
        base: 0
      });
    start = end;
  }
  if (out.length <= 1) return [final];
  out[out.length - 1].trailer = final.trailer;
  return out;
}

function lastTrailerIn(b: Uint8Array, start: number, end: number): PdfDict | undefined {
  for (const t of scanTrailers(b)) {
    if (t < start || t >= end) continue;
    try {
      const [d] = parseObject(b, t + 7);
      if (d.kind === 'dict' && d.get('Root')?.kind === 'ref') return d;
    } catch {
      /* try an earlier one */
    }
  }
  return undefined;
}

/** A synthetic single revision covering every object found by the scan. */
export function repairedRevision(
  b: Uint8Array,
  scanned: Map<number, ScannedObject>,
  loader: RepairLoader,
  warn: (m: string) => void
): Revision {
  const entries = new Map<number, XrefEntry>();
  for (const o of scanned.values()) entries.set(o.num, { type: 1, num: o.num, gen: o.gen, offset: o.offset });
  const near = (o: ScannedObject, word: string): boolean => indexOf(b, word, o.offset, o.offset + 1024) >= 0;
  for (const o of scanned.values()) {
    if (!near(o, '/ObjStm')) continue;
    loader.objStmMembers(o).forEach((n, index) => {
      if (!entries.has(n)) entries.set(n, { type: 2, num: n, gen: 0, stream: o.num, index });
    });
  }
  let trailer: PdfDict | undefined;
  for (const t of scanTrailers(b)) {
    try {
      const [d] = parseObject(b, t + 7);
      if (d.kind === 'dict' && d.get('Root')?.kind === 'ref') {
        trailer = d.clone();
        break;
      }
    } catch {
      /* try the next one */
    }
  }
  if (!trailer)
    for (const o of [...scanned.values()].reverse()) {
      if (!near(o, '/XRef')) continue;
      const v = loader.objectAt(o);
      if (v?.kind === 'stream' && v.dict.get('Root')?.kind === 'ref') {
        trailer = v.dict.clone();
        for (const k of ['Type', 'W', 'Index', 'Filter', 'DecodeParms', 'Length', 'Prev', 'XRefStm']) trailer.delete(k);
        break;
      }
    }
  if (!trailer)
    for (const o of [...scanned.values()].reverse()) {
      if (!near(o, '/Catalog')) continue;
      const v = loader.objectAt(o);
      const t = v?.kind === 'dict' ? v.get('Type') : undefined;
      if (t?.kind === 'name' && t.name === 'Catalog') {
        trailer = new PdfDict([['Root', new PdfRef(o.num, o.gen)]]);
        warn('no trailer found; using the catalog found by scanning');
        break;
      }
    }
  if (!trailer) throw new PdfError('PDF_MALFORMED', 'no trailer and no document catalog could be found');
  trailer.delete('Prev');
  trailer.delete('XRefStm');
  let max = 0;
  for (const n of entries.keys()) max = Math.max(max, n);
  trailer.set('Size', new PdfNumber(max + 1));
  let lastObj = 0;
  for (const o of scanned.values()) lastObj = Math.max(lastObj, o.offset);
  const [eof, end] = eofAfter(b, lastObj);
  return { index: 0, startxref: -1, sections: [], kind: 'table', trailer, entries, end, eof, linked: true, base: 0 };
}
