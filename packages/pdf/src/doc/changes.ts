/** What each incremental update did (ISO 32000-2 §7.5.6): the validator's view of revisions. */
import type { PdfFile } from '../file.ts';
import type { XrefEntry } from '../xref/section.ts';

export interface ObjectChange {
  num: number;
  gen: number;
  /** new: not in use before; modified: redefined (new location); freed: made free by this revision. */
  kind: 'new' | 'modified' | 'freed';
}

function sameLocation(a: XrefEntry, b: XrefEntry): boolean {
  if (a.type === 1 && b.type === 1) return a.offset === b.offset && a.gen === b.gen;
  if (a.type === 2 && b.type === 2) return a.stream === b.stream && a.index === b.index;
  return false;
}

/**
 * Objects added, redefined or freed by revision `index` compared with revision `index - 1` (revision 0:
 * everything is new). Entries a producer merely re-listed at the same location are not reported.
 */
export function revisionChanges(file: PdfFile, index: number): ObjectChange[] {
  const rev = file.revisions[index];
  if (!rev) return [];
  const out: ObjectChange[] = [];
  for (const [num, e] of rev.entries) {
    if (num === 0) continue;
    const before = index > 0 ? file.locate(num, index - 1) : undefined;
    if (e.type === 0) {
      if (before) out.push({ num, gen: e.gen, kind: 'freed' });
    } else if (!before) out.push({ num, gen: e.gen, kind: 'new' });
    else if (!sameLocation(before, e)) out.push({ num, gen: e.gen, kind: 'modified' });
  }
  return out.sort((a, b) => a.num - b.num);
}

/**
 * Index of the revision that ends exactly at `offset` (e.g. a ByteRange end): just after its `%%EOF`, or
 * after the EOL that follows it. Undefined when no revision ends there.
 */
export function revisionEndingAt(file: PdfFile, offset: number): number | undefined {
  for (const r of file.revisions) if (r.end === offset || r.eof === offset) return r.index;
  return undefined;
}
