/**
 * Copying objects from another PDF into an incremental update, renumbering references (the appearance a
 * caller draws with pdf-lib arrives as a one-page PDF). The copy is iterative and bounded.
 */
import { zlibSync } from 'fflate';
import { concatBytes } from '../core/bytes.ts';
import { PdfError } from '../core/errors.ts';
import { decodeStream } from '../core/filters.ts';
import { PdfArray, PdfDict, PdfName, PdfNumber, PdfRef, PdfStream, type PdfObject } from '../core/objects.ts';
import { inherited, pages } from '../doc/pages.ts';
import { PdfFile } from '../file.ts';
import type { IncrementalUpdate } from './update.ts';

const MAX_IMPORTED = 100_000;

/**
 * Deep-copies `obj` from `src` into `up`: every indirect object it reaches becomes a new object of the
 * update (once), references are renumbered; `skipKeys` (default /Parent, /P) are dropped from dictionaries
 * so a page tree is not dragged along. Returns the copied value.
 */
export function importObject(
  up: IncrementalUpdate,
  src: PdfFile,
  obj: PdfObject,
  skipKeys = ['Parent', 'P']
): PdfObject {
  const map = new Map<string, PdfRef>();
  const queue: [PdfRef, PdfRef][] = [];
  const remapRef = (r: PdfRef): PdfRef => {
    let n = map.get(r.key);
    if (!n) {
      if (map.size >= MAX_IMPORTED) throw new PdfError('PDF_LIMIT_EXCEEDED', 'too many objects to import');
      n = up.reserve();
      map.set(r.key, n);
      queue.push([r, n]);
    }
    return n;
  };
  const copy = (o: PdfObject): PdfObject => copyDirect(o, remapRef, skipKeys);
  const result = copy(obj);
  while (queue.length) {
    const [from, to] = queue.shift()!;
    const v = src.get(from);
    up.set(to, v === undefined ? new PdfDict() : copy(v));
  }
  return result;
}

/** Copies a direct object (containers iteratively); refs go through `remap`; streams keep encoded data. */
function copyDirect(o: PdfObject, remap: (r: PdfRef) => PdfRef, skip: string[]): PdfObject {
  if (o.kind === 'stream') {
    const d = copyDirect(o.dict, remap, skip) as PdfDict;
    return new PdfStream(d, o.encoded());
  }
  if (o.kind === 'ref') return remap(o);
  if (o.kind !== 'array' && o.kind !== 'dict') return o;
  const root = o.kind === 'array' ? new PdfArray([]) : new PdfDict();
  const stack: [PdfObject, PdfArray | PdfDict][] = [[o, root]];
  while (stack.length) {
    const [s, t] = stack.pop()!;
    const put = (v: PdfObject): PdfObject => {
      if (v.kind === 'ref') return remap(v);
      if (v.kind === 'array' || v.kind === 'dict') {
        const c = v.kind === 'array' ? new PdfArray([]) : new PdfDict();
        stack.push([v, c]);
        return c;
      }
      if (v.kind === 'stream') throw new PdfError('PDF_MALFORMED', 'direct stream inside an object');
      return v;
    };
    if (s.kind === 'array' && t.kind === 'array') for (const v of s.items) t.items.push(put(v));
    else if (s.kind === 'dict' && t.kind === 'dict')
      for (const [k, v] of s.map) if (!skip.includes(k)) t.set(k, put(v));
  }
  return root;
}

/**
 * Imports page 1 of `pdf` (e.g. a pdf-lib document of the appearance) as a Form XObject (§8.10):
 * /BBox = the page's MediaBox, /Resources deep-copied, content streams decoded and concatenated.
 * Returns the XObject's reference in `up`.
 */
export function importPageAsXObject(up: IncrementalUpdate, pdf: Uint8Array): PdfRef {
  const src = PdfFile.open(pdf);
  const [page] = pages(src);
  if (!page) throw new PdfError('PDF_INVALID_ARGUMENT', 'appearance PDF has no page');
  const box = inherited(src, page.dict, 'MediaBox');
  if (box?.kind !== 'array' || box.length !== 4)
    throw new PdfError('PDF_INVALID_ARGUMENT', 'appearance page has no MediaBox');
  const parts: Uint8Array[] = [];
  const contents = src.resolve(page.dict.get('Contents'));
  const list = contents?.kind === 'array' ? contents.items : contents ? [contents] : [];
  for (const c of list) {
    const s = src.resolve(c);
    if (s?.kind === 'stream') parts.push(decodeStream(s), Uint8Array.of(0x0a));
  }
  const data = concatBytes(parts);
  const res = inherited(src, page.dict, 'Resources');
  const dict = new PdfDict([
    ['Type', new PdfName('XObject')],
    ['Subtype', new PdfName('Form')],
    ['BBox', new PdfArray(box.items.map((x) => (x.kind === 'number' ? new PdfNumber(x.value) : new PdfNumber(0))))],
    ['Resources', res ? importObject(up, src, res) : new PdfDict()],
    ['Filter', new PdfName('FlateDecode')]
  ]);
  return up.add(new PdfStream(dict, zlibSync(data)));
}
