/** Decryption of one indirect object as it is loaded (ISO 32000-2 §7.6.2). */
import { PdfString, type PdfObject } from '../core/objects.ts';
import type { SecurityHandler } from './security.ts';

/** §7.6.2: strings and streams of an indirect object are encrypted with its object key. */
export function decryptObject(sec: SecurityHandler, root: PdfObject, num: number, gen: number): void {
  if (root.kind === 'stream') {
    const t = root.dict.get('Type');
    if (t?.kind !== 'name' || t.name !== 'XRef') {
      if (sec.encryptsStream(root.dict)) root.decrypt = (raw) => sec.decryptStream(raw, num, gen, root.dict);
    }
  }
  const stack: PdfObject[] = [root.kind === 'stream' ? root.dict : root];
  const fix = (v: PdfObject): PdfObject =>
    v.kind === 'string' ? new PdfString(sec.decryptString(v.bytes, num, gen), v.hex, v.start, v.end) : v;
  while (stack.length) {
    const o = stack.pop()!;
    if (o.kind === 'array') {
      for (let i = 0; i < o.items.length; i++) {
        o.items[i] = fix(o.items[i]);
        if (o.items[i].kind === 'array' || o.items[i].kind === 'dict') stack.push(o.items[i]);
      }
    } else if (o.kind === 'dict') {
      // §7.6.2 / §12.8.1: a signature dictionary's /Contents is never encrypted.
      const isSig = o.has('ByteRange') && o.has('Contents');
      for (const [k, v] of o.map) {
        if (isSig && k === 'Contents') continue;
        const nv = fix(v);
        if (nv !== v) o.map.set(k, nv);
        if (nv.kind === 'array' || nv.kind === 'dict') stack.push(nv);
      }
    }
  }
}
