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

/**
 * Page `index` without walking the whole tree: descends using /Count (§7.7.3.2) and jumps straight to the
 * kid when a node's /Count equals its number of kids. Falls back to {@link pages} when the tree is not
 * consistent. Undefined when there is no such page.
 */
export function pageAt(file: PdfFile, index: number, revision?: number): PageInfo | undefined {
  if (!Number.isInteger(index) || index < 0) return undefined;
  const slow = (): PageInfo | undefined => pages(file, revision)[index];
  const cat = file.resolve(file.revisions[revision ?? file.revisions.length - 1].trailer.get('Root'), revision);
  let node = cat?.kind === 'dict' ? cat.get('Pages') : undefined;
  let base = 0;
  for (let steps = 0; steps < 256 && node?.kind === 'ref'; steps++) {
    const d = file.resolve(node, revision);
    if (d?.kind !== 'dict') return slow();
    const kids = file.resolve(d.get('Kids'), revision);
    const type = d.get('Type');
    const leaf = type?.kind === 'name' ? type.name === 'Page' : kids?.kind !== 'array';
    if (leaf) return base === index ? { index, ref: node, dict: d } : slow();
    if (kids?.kind !== 'array') return slow();
    const count = d.get('Count');
    if (count?.kind === 'number' && count.value === kids.length) {
      node = kids.items[index - base];
      base = index;
      continue;
    }
    let next: PdfObject | undefined;
    for (const k of kids.items) {
      const kd = file.resolve(k, revision);
      if (kd?.kind !== 'dict') return slow();
      const kt = kd.get('Type');
      const kk = kd.get('Kids');
      const kidLeaf = kt?.kind === 'name' ? kt.name === 'Page' : kk === undefined;
      const c = kidLeaf ? 1 : kd.get('Count');
      const n =
        typeof c === 'number' ? c : c?.kind === 'number' && Number.isInteger(c.value) && c.value >= 0 ? c.value : -1;
      if (n < 0) return slow();
      if (index < base + n) {
        next = k;
        break;
      }
      base += n;
    }
    if (!next) return undefined;
    node = next;
  }
  return slow();
}
