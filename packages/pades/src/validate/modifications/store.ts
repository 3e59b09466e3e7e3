import { PdfDict, PdfRef, PdfStream, type PdfObject } from '@inkan/pdf';

/** One entry of a revision's cross-reference section. */
export interface ChangedObject {
  num: number;
  gen: number;
  /** The section marks the object free (deleted). */
  freed: boolean;
}

/**
 * The view of a document's revisions that modification analysis needs (ISO 32000-2 §7.5.6 incremental
 * updates): which objects each revision's xref section (re)defines, and any object as of any revision.
 * Adapted from `@inkan/pdf` in `pdf-revisions.ts`; in-memory in tests.
 */
export interface RevisionStore {
  readonly count: number;
  changed(revision: number): readonly ChangedObject[];
  /** The object `ref` as of `revision` (after that revision's update), undefined when free or absent. */
  get(ref: PdfRef, revision: number): PdfObject | undefined;
  trailer(revision: number): PdfDict;
}

export const refKey = (r: { num: number; gen: number }): string => `${r.num} ${r.gen}`;

/** Follows one level of indirection as of `revision` (bounded: a ref to a ref is not followed further). */
export function deref(store: RevisionStore, o: PdfObject | undefined, revision: number): PdfObject | undefined {
  return o instanceof PdfRef ? store.get(o, revision) : o;
}

export function dictAt(store: RevisionStore, o: PdfObject | undefined, revision: number): PdfDict | undefined {
  const v = deref(store, o, revision);
  if (v instanceof PdfDict) return v;
  if (v instanceof PdfStream) return v.dict;
  return undefined;
}

export function nameOf(o: PdfObject | undefined): string | undefined {
  return o?.kind === 'name' ? o.name : undefined;
}

const MAX_COMPARE = 100_000;

/**
 * Structural equality of two direct objects as written (references compared as references, streams by
 * dictionary and encoded bytes). Offsets are ignored: a re-written identical object is no change.
 */
export function sameObject(a: PdfObject | undefined, b: PdfObject | undefined): boolean {
  let budget = MAX_COMPARE;
  const eq = (x: PdfObject | undefined, y: PdfObject | undefined): boolean => {
    if (--budget < 0) return false;
    if (x === undefined || y === undefined) return x === y;
    if (x.kind !== y.kind) return false;
    switch (x.kind) {
      case 'null':
        return true;
      case 'bool':
      case 'number':
        return x.value === (y as typeof x).value;
      case 'name':
        return x.name === (y as typeof x).name;
      case 'string':
        return bytesEqual(x.bytes, (y as typeof x).bytes);
      case 'ref':
        return x.num === (y as typeof x).num && x.gen === (y as typeof x).gen;
      case 'array': {
        const ys = (y as typeof x).items;
        return x.items.length === ys.length && x.items.every((v, i) => eq(v, ys[i]));
      }
      case 'dict':
        return dictEq(x, y as typeof x);
      case 'stream':
        return dictEq(x.dict, (y as typeof x).dict) && bytesEqual(x.encoded(), (y as typeof x).encoded());
    }
  };
  const dictEq = (x: PdfDict, y: PdfDict): boolean => {
    if (x.map.size !== y.map.size) return false;
    for (const [k, v] of x.map) if (!eq(v, y.get(k))) return false;
    return true;
  };
  return eq(a, b);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Keys whose values differ between two dictionaries (added, removed or changed). */
export function changedKeys(a: PdfDict, b: PdfDict): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => !sameObject(a.get(k), b.get(k)));
}

/** Every reference directly inside a (direct) object: dictionary values, array items, stream dictionaries. */
export function refsIn(o: PdfObject | undefined, out: PdfRef[] = []): PdfRef[] {
  const stack: (PdfObject | undefined)[] = [o];
  let budget = MAX_COMPARE;
  while (stack.length > 0 && --budget > 0) {
    const x = stack.pop();
    if (!x) continue;
    if (x.kind === 'ref') out.push(x);
    else if (x.kind === 'array') stack.push(...x.items);
    else if (x.kind === 'dict') stack.push(...x.map.values());
    else if (x.kind === 'stream') stack.push(...x.dict.map.values());
  }
  return out;
}
