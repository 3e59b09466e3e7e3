/**
 * Revisions of a file (ISO 32000-2 §7.5.6 incremental updates): the chain of xref sections from the last
 * `startxref` back through /Prev, grouped into revisions that each end with `%%EOF`. A linearized file's
 * first-page section (§F.3, placed before the main section it points to) belongs to the same revision.
 */
import { indexOf } from '../core/bytes.ts';
import { PdfDict } from '../core/objects.ts';
import type { XrefEntry, XrefSection } from './section.ts';

export interface Revision {
  /** 0 = the original document; the last is the current state. */
  index: number;
  /** The `startxref` value leading to this revision's newest section (in the file's offset convention). */
  startxref: number;
  /** Sections of this revision, newest first (usually one; two in a linearized original). */
  sections: XrefSection[];
  /** 'hybrid' = a table whose trailer has /XRefStm (§7.5.8.4). */
  kind: 'table' | 'stream' | 'hybrid';
  /** Trailer of this revision: its sections' trailers merged, newest winning. */
  trailer: PdfDict;
  /** Entries declared by this revision's own xref data (added, changed, re-listed or freed objects). */
  entries: Map<number, XrefEntry>;
  /** Offset just after this revision's `%%EOF` and its end-of-line: the bytes a signature over it covers. */
  end: number;
  /** Offset just after the `%%EOF` marker itself (= `end` when no EOL follows). */
  eof: number;
  /**
   * False for a revision no /Prev chain reaches (found with `recoverUnlinked`): a conforming reader never
   * sees it; it stays answerable "as of" itself for validators.
   */
  linked: boolean;
  /** Oldest revision index an "as of this revision" lookup may fall back to (its own chain's start). */
  base: number;
}

/** Entries of one section as a reader sees them (§7.5.8.4: table first, then /XRefStm). */
export function sectionEntries(s: XrefSection): Map<number, XrefEntry> {
  if (!s.xrefStm) return s.entries;
  const m = new Map(s.xrefStm.entries);
  for (const [n, e] of s.entries) if (e.type !== 0 || !m.has(n)) m.set(n, e);
  return m;
}

/** Groups `sections` (newest first, as the /Prev chain found them) into revisions, oldest first. */
export function groupRevisions(b: Uint8Array, sections: XrefSection[], shift: number): Revision[] {
  const oldestFirst = [...sections].reverse();
  const groups: XrefSection[][] = [];
  for (const s of oldestFirst) {
    const last = groups[groups.length - 1];
    // A newer section sitting before the older one it points to: linearization, same revision.
    if (last && s.offset < last[0].offset) last.unshift(s);
    else groups.push([s]);
  }
  const revisions: Revision[] = [];
  let prevEnd = 0;
  for (const g of groups) {
    // One plain section (the common case): share its map instead of copying a possibly huge one.
    const entries = g.length === 1 ? sectionEntries(g[0]) : new Map<number, XrefEntry>();
    const trailer = new PdfDict();
    for (let i = g.length - 1; i >= 0; i--) {
      if (g.length > 1) for (const [n, e] of sectionEntries(g[i])) entries.set(n, e);
      for (const [k, v] of g[i].trailer.map) trailer.set(k, v);
    }
    let maxEnd = 0;
    for (const s of g) maxEnd = Math.max(maxEnd, s.end, s.xrefStm?.end ?? 0);
    const [eof, end] = eofAfter(b, Math.max(maxEnd, prevEnd));
    prevEnd = end;
    const newest = g[0];
    revisions.push({
      index: revisions.length,
      startxref: newest.offset - shift,
      sections: g,
      kind: newest.kind === 'stream' ? 'stream' : newest.xrefStm ? 'hybrid' : 'table',
      trailer,
      entries,
      end,
      eof,
      linked: true,
      base: 0
    });
  }
  return revisions;
}

/** Offset after the first `%%EOF` (plus CR, LF or CRLF) at or after `from`; the file length if none. */
export function eofEnd(b: Uint8Array, from: number): number {
  return eofAfter(b, from)[1];
}

/** [offset after `%%EOF`, offset after its EOL] for the first marker at or after `from`. */
export function eofAfter(b: Uint8Array, from: number): [number, number] {
  const i = indexOf(b, '%%EOF', from);
  if (i < 0) return [b.length, b.length];
  let p = i + 5;
  if (b[p] === 0x0d) p++;
  if (b[p] === 0x0a) p++;
  return [i + 5, p];
}
