/**
 * Catalog-level declarations of what a revision uses: developer extensions (ISO 32000-2 §7.12) and the
 * catalog's /Version (§7.7.2, which an incremental update may raise above the header's).
 */
import { PdfError } from '../core/errors.ts';
import { PdfArray, PdfDict, PdfName, PdfNumber, type PdfObject } from '../core/objects.ts';
import type { IncrementalUpdate } from './update.ts';

function catalogOf(up: IncrementalUpdate): PdfDict {
  const cat = up.resolve(up.catalogRef());
  if (cat?.kind !== 'dict') throw new PdfError('PDF_MALFORMED', 'no catalog');
  return cat;
}

function levelOf(up: IncrementalUpdate, o: PdfObject | undefined): number {
  const d = up.resolve(o);
  const l = d?.kind === 'dict' ? up.resolve(d.get('ExtensionLevel')) : undefined;
  return l?.kind === 'number' ? l.value : -Infinity;
}

/**
 * Declares a developer extension in the catalog, e.g. `('ESIC', '1.7', 2)` for PAdES signatures (ETSI EN
 * 319 142-1: level 1 declares the DSS, level 2 the ETSI.CAdES.detached SubFilter). Other prefixes are kept;
 * an entry for `prefix` with a level at least as high (or, PDF 2.0 §7.12.2, an array holding one) is left
 * as it is, so nothing is duplicated or downgraded. §7.12.1: the extensions dictionary and its entries are
 * direct objects — an indirect one found in the file is written back direct.
 */
export function addExtension(up: IncrementalUpdate, prefix: string, baseVersion: string, level: number): void {
  const cat = catalogOf(up);
  const ext = up.resolve(cat.get('Extensions'));
  const cur = ext?.kind === 'dict' ? up.resolve(ext.get(prefix)) : undefined;
  const entries = cur?.kind === 'array' ? cur.items : cur ? [cur] : [];
  if (entries.some((e) => levelOf(up, e) >= level)) return;
  const mine = new PdfDict([
    ['BaseVersion', new PdfName(baseVersion)],
    ['ExtensionLevel', new PdfNumber(level)]
  ]);
  const e = new PdfDict();
  if (ext?.kind === 'dict')
    for (const [k, v] of ext.map) {
      const r = up.resolve(v);
      if (r) e.set(k, r.kind === 'array' ? new PdfArray(r.items.map((x) => up.resolve(x) ?? x)) : r);
    }
  // an array (several extensions under one prefix, PDF 2.0) keeps its members for other base versions
  const others = entries.filter((x) => !sameBase(up, x, baseVersion)).map((x) => up.resolve(x) ?? x);
  e.set(prefix, cur?.kind === 'array' ? new PdfArray([...others, mine]) : mine);
  up.set(up.catalogRef(), cat.clone().set('Extensions', e));
}

function sameBase(up: IncrementalUpdate, x: PdfObject, base: string): boolean {
  const d = up.resolve(x);
  const b = d?.kind === 'dict' ? up.resolve(d.get('BaseVersion')) : undefined;
  return b?.kind === 'name' && b.name === base;
}

/** Raises the catalog's /Version to `version` when the document is older; never lowers it. */
export function raiseVersion(up: IncrementalUpdate, current: string, version: string): void {
  if (!/^\d\.\d$/.test(version)) throw new PdfError('PDF_INVALID_ARGUMENT', `bad PDF version ${version}`);
  if (Number(current) >= Number(version)) return;
  up.set(up.catalogRef(), catalogOf(up).clone().set('Version', new PdfName(version)));
}
