import { PdfArray, PdfDict, PdfRef, type PdfObject } from '@inkan/pdf';
import type { Roles } from './roles.ts';
import { changedKeys, deref, dictAt, nameOf, refKey, sameObject, type RevisionStore } from './store.ts';
import { changedValues, type Add } from './change.ts';

// Page rules: page dictionaries, their annotations and widgets, and the structure tree that tags them.

export function pageChange(
  store: RevisionStore,
  rev: number,
  key: string,
  o: PdfObject,
  n: PdfObject,
  before: Roles,
  after: Roles,
  add: Add
): void {
  if (!(o instanceof PdfDict) || !(n instanceof PdfDict)) return add('other', 'PAGE_CHANGED', `page ${key}`);
  for (const k of changedValues(store, rev, o, n)) {
    if (k === 'Annots') {
      const oa = deref(store, o.get(k), rev - 1);
      const na = deref(store, n.get(k), rev);
      annotsChange(store, rev, oa ?? new PdfArray(), na ?? new PdfArray(), before, after, add);
    } else if (k === 'StructParents' && o.get(k) === undefined) {
      add('formFilling', 'PAGE_STRUCT_PARENTS_SET', `page ${key} /StructParents`);
    } else add('other', k === 'Contents' ? 'PAGE_CONTENT_CHANGED' : 'PAGE_CHANGED', `page ${key} /${k}`);
  }
}

/**
 * A flat parent tree (number tree with /Nums, §7.9.7) that keeps every old entry — the same object, or a
 * re-written one with the same content — and only adds keys.
 */
function parentTreeExtended(
  store: RevisionStore,
  rev: number,
  o: PdfObject | undefined,
  n: PdfObject | undefined
): boolean {
  const od = dictAt(store, o, rev - 1);
  const nd = dictAt(store, n, rev);
  const on = deref(store, od?.get('Nums'), rev - 1);
  const nn = deref(store, nd?.get('Nums'), rev);
  if (!(on instanceof PdfArray) || !(nn instanceof PdfArray) || od?.has('Kids') || nd?.has('Kids')) return false;
  const entries = (a: PdfArray) => {
    const m = new Map<number, PdfObject | undefined>();
    for (let i = 0; i + 1 < a.items.length; i += 2) {
      const k = a.items[i];
      if (k?.kind === 'number') m.set(k.value, a.items[i + 1]);
    }
    return m;
  };
  const newEntries = entries(nn);
  for (const [k, v] of entries(on)) {
    const w = newEntries.get(k);
    if (sameObject(v, w)) continue;
    if (!sameObject(deref(store, v, rev - 1), deref(store, w, rev))) return false;
  }
  return true;
}

/**
 * Structure tree (ISO 32000-2 §14.7): tagging a new annotation or widget appends an OBJR kid, a
 * parent-tree entry and bumps /ParentTreeNextKey. Anything else (roles, alternate text, removed kids) is
 * a change of the tagged content.
 */
export function structureChange(
  store: RevisionStore,
  rev: number,
  key: string,
  o: PdfObject,
  n: PdfObject,
  add: Add
): void {
  if (!(o instanceof PdfDict) || !(n instanceof PdfDict))
    return add('other', 'STRUCTURE_TREE_CHANGED', `structure ${key}`);
  const appended = (a: PdfObject | undefined, b: PdfObject | undefined): boolean => {
    const as = a === undefined ? [] : a instanceof PdfArray ? a.items : [a];
    const bs = b instanceof PdfArray ? b.items : b === undefined ? [] : [b];
    return as.length <= bs.length && as.every((x) => bs.some((y) => sameObject(x, y)));
  };
  for (const k of changedKeys(o, n)) {
    if (k === 'ParentTreeNextKey') continue;
    if ((k === 'K' || k === 'Nums' || k === 'Kids') && appended(o.get(k), n.get(k))) continue;
    if (k === 'ParentTree' && parentTreeExtended(store, rev, o.get(k), n.get(k))) continue;
    return add('other', 'STRUCTURE_TREE_CHANGED', `structure ${key} /${k}`);
  }
  add('formFilling', 'STRUCTURE_TAG_ADDED', `structure ${key}`);
}

/** The widget's field (itself when merged, else its /Parent) has a signature value. */
function signedField(store: RevisionStore, rev: number, widget: PdfDict | undefined): boolean {
  const field = widget?.has('V') ? widget : dictAt(store, widget?.get('Parent'), rev);
  return dictAt(store, field?.get('V'), rev) !== undefined;
}

/** A widget with an appearance and a non-empty /Rect (ISO 32000-2 §12.5.2) shows something on the page. */
function visible(store: RevisionStore, rev: number, widget: PdfDict | undefined): boolean {
  const rect = deref(store, widget?.get('Rect'), rev);
  const n = rect instanceof PdfArray ? rect.items.map((x) => (x.kind === 'number' ? x.value : 0)) : [];
  const area = n.length === 4 ? Math.abs((n[2]! - n[0]!) * (n[3]! - n[1]!)) : 0;
  return area > 0 && widget?.get('AP') !== undefined;
}

/** The widget's field (itself when merged, else its /Parent) holds a document timestamp. */
function isDocTimeStampWidget(store: RevisionStore, rev: number, widget: PdfDict | undefined): boolean {
  const field = widget?.has('V') ? widget : dictAt(store, widget?.get('Parent'), rev);
  const v = dictAt(store, field?.get('V'), rev);
  return nameOf(v?.get('Type')) === 'DocTimeStamp' || nameOf(v?.get('SubFilter')) === 'ETSI.RFC3161';
}

/** A page's /Annots: new widgets of new signature fields are form filling, other new annotations annotations. */
export function annotsChange(
  store: RevisionStore,
  rev: number,
  o: PdfObject,
  n: PdfObject,
  before: Roles,
  after: Roles,
  add: Add
): void {
  const items = (x: PdfObject): PdfRef[] =>
    x instanceof PdfArray ? x.items.filter((i): i is PdfRef => i instanceof PdfRef) : [];
  const oldKeys = new Set(items(o).map(refKey));
  const newKeys = new Set(items(n).map(refKey));
  for (const r of items(o)) {
    if (newKeys.has(refKey(r))) continue;
    const f = before.fields.get(refKey(r));
    if (f) add('other', 'WIDGET_REMOVED', `widget of ${f.name}`, [f.name]);
    else add('annotations', 'ANNOTATION_REMOVED', `annotation ${refKey(r)}`);
  }
  for (const r of items(n)) {
    if (oldKeys.has(refKey(r))) continue;
    const a = dictAt(store, r, rev);
    if (nameOf(a?.get('Subtype')) === 'Widget') {
      const ft = after.fields.get(refKey(r))?.type ?? nameOf(a?.get('FT'));
      if (ft === 'Sig' && isDocTimeStampWidget(store, rev, a)) {
        add('ltaUpdates', 'DOCUMENT_TIMESTAMP_WIDGET_ADDED', `widget ${refKey(r)}`);
      } else if (ft === 'Sig' && !signedField(store, rev, a) && visible(store, rev, a)) {
        // Sneaky Signature Attack: an unsigned signature widget can paint anything over signed content.
        add('annotations', 'UNSIGNED_SIGNATURE_WIDGET_ADDED', `visible widget ${refKey(r)} of an unsigned field`);
      } else if (ft === 'Sig') add('formFilling', 'SIGNATURE_WIDGET_ADDED', `widget ${refKey(r)}`);
      else add('other', 'WIDGET_ADDED', `widget ${refKey(r)} of a non-signature field`);
    } else add('annotations', 'ANNOTATION_ADDED', `${nameOf(a?.get('Subtype')) ?? 'annotation'} ${refKey(r)}`);
  }
}
