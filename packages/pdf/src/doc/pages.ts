/** Page tree walk (ISO 32000-2 §7.7.3): iterative, cycle-safe, never trusting /Count. */
import { PdfError } from '../core/errors.ts';
import type { PdfDict, PdfObject, PdfRef } from '../core/objects.ts';
import type { PdfFile } from '../file.ts';

export interface PageInfo {
  /** 0-based page index in document order. */
  index: number;
  /** The page object's reference (pages are always indirect, §7.7.3.3). */
  ref: PdfRef;
  dict: PdfDict;
}

/** Hard limit on page tree nodes visited (files with more pages than this are refused). */
const MAX_NODES = 1_000_000;
/** Keys a page inherits from its ancestors (§7.7.3.4). */
export const INHERITABLE = ['Resources', 'MediaBox', 'CropBox', 'Rotate'] as const;

/**
 * Pages in order as of `revision`. A node reached twice (a loop, or a page shared by two parents) raises
 * `PDF_LIMIT_EXCEEDED`; non-dictionary kids are skipped with a warning.
 */
export function pages(file: PdfFile, revision?: number): PageInfo[] {
  const cat = file.resolve(file.revisions[revision ?? file.revisions.length - 1].trailer.get('Root'), revision);
  if (cat?.kind !== 'dict') throw new PdfError('PDF_MALFORMED', 'no document catalog');
  const root = cat.get('Pages');
  if (root?.kind !== 'ref') throw new PdfError('PDF_MALFORMED', 'catalog /Pages is not an indirect reference');
  const out: PageInfo[] = [];
  const seen = new Set<string>();
  const stack: PdfObject[] = [root];
  while (stack.length) {
    const r = stack.pop()!;
    if (r.kind !== 'ref') {
      file.warn('page tree kid is not an indirect reference');
      continue;
    }
    if (seen.has(r.key)) throw new PdfError('PDF_LIMIT_EXCEEDED', `page tree visits object ${r.num} twice (cycle)`);
    if (seen.size >= MAX_NODES) throw new PdfError('PDF_LIMIT_EXCEEDED', 'page tree too large');
    seen.add(r.key);
    const node = file.resolve(r, revision);
    if (node?.kind !== 'dict') {
      file.warn(`page tree node ${r.num} is not a dictionary`);
      continue;
    }
    const type = node.get('Type');
    const kids = file.resolve(node.get('Kids'), revision);
    const isPages = type?.kind === 'name' ? type.name === 'Pages' : kids?.kind === 'array';
    if (isPages) {
      if (kids?.kind !== 'array') continue;
      for (let i = kids.items.length - 1; i >= 0; i--) stack.push(kids.items[i]);
    } else out.push({ index: out.length, ref: r, dict: node });
  }
  return out;
}

/** Value of an inheritable page attribute (§7.7.3.4), walking /Parent with a bound. */
export function inherited(file: PdfFile, page: PdfDict, key: (typeof INHERITABLE)[number], revision?: number) {
  let node: PdfDict | undefined = page;
  for (let i = 0; node && i < 64; i++) {
    const v = node.get(key);
    if (v !== undefined) return file.resolve(v, revision);
    const p = file.resolve(node.get('Parent'), revision);
    node = p?.kind === 'dict' ? p : undefined;
  }
  return undefined;
}
