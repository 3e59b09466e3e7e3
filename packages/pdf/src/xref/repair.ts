/**
 * Rebuilds a usable trailer and entry map when no cross-reference data can be read (ISO 32000-2 §7.5.4/§7.5.5
 * are then unusable; readers reconstruct from the object headers, as qpdf and pdf.js do).
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
  return { index: 0, startxref: -1, sections: [], kind: 'table', trailer, entries, end, eof };
}
