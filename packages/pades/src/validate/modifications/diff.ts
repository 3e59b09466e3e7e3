import { PdfArray, PdfDict, PdfRef, PdfStream, type PdfObject } from '@inkan/pdf';
import type { ModificationLevel } from '../report.ts';
import { reachableBesidesAppearances, referenceCounts, rolesAt, type Roles } from './roles.ts';
import { changedKeys, deref, dictAt, nameOf, refKey, refsIn, sameObject, type RevisionStore } from './store.ts';

/** One classified change of one revision, before permissions are applied. */
export interface Change {
  revision: number;
  level: ModificationLevel;
  code: string;
  detail: string;
  /** Fully qualified names of the form fields this change touches (for FieldMDP locks). */
  fields: string[];
  /** Set on `SIGNATURE_ADDED`: the new signature certifies the document (has a DocMDP reference). */
  certification?: boolean;
}

/**
 * Whitelist analysis of the changes made by revision `rev` against revision `rev - 1` (the approach of
 * pyHanko's diff_analysis; ISO 32000-2 §12.8.2.2 for what DocMDP permits). Every object (re)defined by the
 * revision must be explained by a rule — DSS, signature added, form filled, annotation — or it is `other`:
 * changed page content, re-pointed references, fonts, page tree, catalog entries, signature dictionaries,
 * clobbered shared appearance streams. Identical re-writes and unreachable objects count as no change.
 */
export function analyzeRevision(store: RevisionStore, rev: number, memo?: Map<number, Roles>): Change[] {
  const rolesOf = (r: number): Roles => {
    let x = memo?.get(r);
    if (!x) {
      x = rolesAt(store, r);
      memo?.set(r, x);
    }
    return x;
  };
  const before = rolesOf(rev - 1);
  const after = rolesOf(rev);
  const out: Change[] = [];
  const add: Add = (level, code, detail, fields = [], extra = {}) => {
    out.push({ revision: rev, level, code, detail, fields, ...extra });
  };
  let counts: Map<string, number> | undefined;
  let reachableAfter: Map<string, number> | undefined;
  let sharedSet: Set<string> | undefined;
  const shared = (k: string): boolean => (sharedSet ??= reachableBesidesAppearances(store, rev - 1)).has(k);

  // Trailer: a new catalog or an encryption change re-points the whole document.
  const tOld = store.trailer(rev - 1);
  const tNew = store.trailer(rev);
  if (!sameObject(tOld.get('Root'), tNew.get('Root'))) {
    // A writer may re-number the catalog: judge the new one against the old one.
    const oc = dictAt(store, tOld.get('Root'), rev - 1);
    const nc = dictAt(store, tNew.get('Root'), rev);
    if (!oc || !nc) add('other', 'CATALOG_REPLACED', 'trailer /Root re-pointed');
    else catalogChange(store, rev, oc, nc, before, add);
  }
  if (!sameObject(tOld.get('Encrypt'), tNew.get('Encrypt'))) add('other', 'ENCRYPTION_CHANGED', 'trailer /Encrypt');
  if (!sameObject(tOld.get('Info'), tNew.get('Info'))) add('ltaUpdates', 'INFO_UPDATED', 'trailer /Info');

  // Values of fields filled in this revision: their widgets may get new appearances.
  const filledWidgets = new Set<string>();

  for (const c of store.changed(rev)) {
    const key = refKey(c);
    const ref = new PdfRef(c.num, c.gen);
    const oldObj = store.get(ref, rev - 1);
    if (oldObj === undefined) continue; // new object: judged through whatever old object now references it
    const newObj = c.freed ? undefined : store.get(ref, rev);
    if (isStructural(oldObj) && (newObj === undefined || isStructural(newObj))) continue;
    if (sameObject(oldObj, newObj)) continue;
    if (newObj === undefined) {
      counts ??= referenceCounts(store, rev - 1);
      if (counts.has(key)) add('other', 'OBJECT_FREED', `object ${key} in use was freed`);
      continue;
    }
    const field = before.fields.get(key);
    if (key === before.catalog) catalogChange(store, rev, oldObj, newObj, before, add);
    else if (key === before.acroForm) acroFormChange(store, rev, oldObj, newObj, before, add);
    else if (key === before.fieldsArray) fieldsArrayChange(store, rev, oldObj, newObj, before, add);
    else if (before.sigDicts.has(key)) add('other', 'SIGNATURE_DICTIONARY_MODIFIED', `signature dictionary ${key}`);
    else if (field) fieldChange(store, rev, key, field.name, field.type, oldObj, newObj, add, filledWidgets, shared);
    else if (before.pages.has(key)) pageChange(store, rev, key, oldObj, newObj, before, after, add);
    else if (before.annotsArrays.has(key)) annotsChange(store, rev, oldObj, newObj, before, after, add);
    else if (before.annots.has(key)) add('annotations', 'ANNOTATION_MODIFIED', `annotation ${key}`);
    else if (before.pageNodes.has(key)) add('other', 'PAGE_TREE_CHANGED', `page tree node ${key}`);
    else if (before.contents.has(key)) {
      add('other', 'PAGE_CONTENT_CHANGED', `content stream ${key} of page ${before.contents.get(key)}`);
    } else if (key === before.info) add('ltaUpdates', 'INFO_UPDATED', `document information ${key}`);
    else if (key === before.metadata) add('ltaUpdates', 'METADATA_UPDATED', `XMP metadata ${key}`);
    else if (before.dss.has(key)) add('ltaUpdates', 'DSS_UPDATED', `DSS object ${key}`);
    else if (before.appearances.has(key)) {
      const users = before.appearances.get(key)!;
      const onlyFilled = [...users].every((u) => filledWidgets.has(u) || after.fields.has(u));
      if (!shared(key) && onlyFilled) add('formFilling', 'APPEARANCE_UPDATED', `appearance ${key}`);
      else add('other', 'SHARED_APPEARANCE_CLOBBERED', `appearance object ${key} is also used elsewhere`);
    } else if (before.structure.has(key)) structureChange(store, rev, key, oldObj, newObj, add);
    else {
      reachableAfter ??= referenceCounts(store, rev);
      counts ??= referenceCounts(store, rev - 1);
      if (reachableAfter.has(key) || counts.has(key)) add('other', 'OBJECT_CHANGED', `object ${key} redefined`);
    }
  }
  return out;
}

/**
 * Keys whose values differ, counting a reference re-pointed to a new object with the same content as
 * unchanged (writers re-write /Resources, /AP … under new numbers).
 */
function changedValues(store: RevisionStore, rev: number, o: PdfDict, n: PdfDict): string[] {
  return changedKeys(o, n).filter((k) => {
    const a = o.get(k);
    const b = n.get(k);
    return !(a instanceof PdfRef && b instanceof PdfRef && sameObject(store.get(a, rev - 1), store.get(b, rev)));
  });
}

type Add = (
  level: ModificationLevel,
  code: string,
  detail: string,
  fields?: string[],
  extra?: Pick<Change, 'certification'>
) => void;

function isStructural(o: PdfObject): boolean {
  const t = o instanceof PdfStream ? nameOf(o.dict.get('Type')) : undefined;
  return t === 'XRef' || t === 'ObjStm';
}

function catalogChange(store: RevisionStore, rev: number, o: PdfObject, n: PdfObject, before: Roles, add: Add): void {
  if (!(o instanceof PdfDict) || !(n instanceof PdfDict)) return add('other', 'CATALOG_CHANGED', 'catalog type');
  for (const k of changedValues(store, rev, o, n)) {
    if (k === 'DSS') add('ltaUpdates', 'DSS_UPDATED', 'catalog /DSS');
    else if (k === 'AcroForm') {
      const od = dictAt(store, o.get(k), rev - 1);
      const nd = dictAt(store, n.get(k), rev);
      if (!nd) add('other', 'ACROFORM_REMOVED', 'catalog /AcroForm');
      else acroFormDictChange(store, rev, od ?? new PdfDict(), nd, before, add);
    } else if (k === 'Extensions') {
      // ISO 32000-2 §7.12: developer extensions may be added or upgraded; each value stays an extension.
      const od = dictAt(store, o.get(k), rev - 1);
      const nd = dictAt(store, n.get(k), rev);
      const isExtension = (v: PdfObject | undefined): boolean => {
        const x = deref(store, v, rev);
        if (x instanceof PdfArray) return x.items.every(isExtension);
        const d = dictAt(store, x, rev);
        return d !== undefined && d.has('BaseVersion');
      };
      const kept =
        nd !== undefined &&
        (od?.keys() ?? []).every((x) => nd.has(x)) &&
        nd.keys().every((x) => sameObject(od?.get(x), nd.get(x)) || isExtension(nd.get(x)));
      add(kept ? 'formFilling' : 'other', kept ? 'EXTENSIONS_UPDATED' : 'EXTENSIONS_CHANGED', 'catalog /Extensions');
    } else if (k === 'Names') {
      // Only the /AP name tree (named annotation appearances, Acrobat) may change with annotations.
      const od = dictAt(store, o.get(k), rev - 1) ?? new PdfDict();
      const nd = dictAt(store, n.get(k), rev) ?? new PdfDict();
      const other = changedKeys(od, nd).filter((x) => x !== 'AP');
      if (other.length) add('other', 'CATALOG_CHANGED', `catalog /Names /${other.join(' /')}`);
      else add('annotations', 'ANNOTATION_APPEARANCES_UPDATED', 'catalog /Names /AP');
    } else if (k === 'Metadata') add('ltaUpdates', 'METADATA_UPDATED', 'catalog /Metadata');
    else if (k === 'Perms') add('formFilling', 'PERMS_UPDATED', 'catalog /Perms');
    else if (k === 'Version') add('formFilling', 'VERSION_UPDATED', 'catalog /Version');
    else add('other', 'CATALOG_CHANGED', `catalog /${k}`);
  }
}

function acroFormChange(store: RevisionStore, rev: number, o: PdfObject, n: PdfObject, before: Roles, add: Add): void {
  if (!(o instanceof PdfDict) || !(n instanceof PdfDict)) return add('other', 'ACROFORM_CHANGED', 'AcroForm type');
  acroFormDictChange(store, rev, o, n, before, add);
}

function acroFormDictChange(store: RevisionStore, rev: number, o: PdfDict, n: PdfDict, before: Roles, add: Add): void {
  for (const k of changedKeys(o, n)) {
    if (k === 'Fields') {
      const oa = deref(store, o.get(k), rev - 1);
      const na = deref(store, n.get(k), rev);
      fieldListChange(store, rev, oa instanceof PdfArray ? oa : new PdfArray(), na, before, add);
    } else if (['SigFlags', 'DR', 'DA', 'NeedAppearances'].includes(k)) {
      add('formFilling', 'ACROFORM_UPDATED', `AcroForm /${k}`);
    } else add('other', 'ACROFORM_CHANGED', `AcroForm /${k}`);
  }
}

function fieldsArrayChange(
  store: RevisionStore,
  rev: number,
  o: PdfObject,
  n: PdfObject,
  before: Roles,
  add: Add
): void {
  fieldListChange(store, rev, o instanceof PdfArray ? o : new PdfArray(), n, before, add);
}

/** Top-level /Fields: only signature fields may be added; nothing may be removed. */
function fieldListChange(
  store: RevisionStore,
  rev: number,
  o: PdfArray,
  n: PdfObject | undefined,
  before: Roles,
  add: Add
): void {
  const oldKeys = new Set(o.items.filter((x) => x instanceof PdfRef).map((x) => refKey(x as PdfRef)));
  const newItems = n instanceof PdfArray ? n.items : [];
  const newKeys = new Set(newItems.filter((x) => x instanceof PdfRef).map((x) => refKey(x as PdfRef)));
  for (const k of oldKeys) {
    if (!newKeys.has(k))
      add('other', 'FIELD_REMOVED', `field ${before.fields.get(k)?.name ?? k}`, [before.fields.get(k)?.name ?? '']);
  }
  for (const x of newItems) {
    if (!(x instanceof PdfRef) || oldKeys.has(refKey(x))) continue;
    const f = dictAt(store, x, rev);
    const t = f?.get('T');
    const fname = t?.kind === 'string' ? t.text() : '';
    if (nameOf(f?.get('FT')) === 'Sig') {
      newSignatureField(store, rev, f!, fname, add);
    } else add('other', 'UNEXPECTED_FORM_FIELD', `new non-signature field ${fname}`, [fname]);
  }
}

function newSignatureField(store: RevisionStore, rev: number, f: PdfDict, fname: string, add: Add): void {
  const v = dictAt(store, f.get('V'), rev);
  if (!v) return add('formFilling', 'SIGNATURE_FIELD_ADDED', `empty signature field ${fname}`, [fname]);
  signatureValue(store, rev, v, fname, add);
}

function signatureValue(store: RevisionStore, rev: number, v: PdfDict, fname: string, add: Add): void {
  if (nameOf(v.get('Type')) === 'DocTimeStamp' || nameOf(v.get('SubFilter')) === 'ETSI.RFC3161') {
    add('ltaUpdates', 'DOCUMENT_TIMESTAMP_ADDED', `document timestamp ${fname}`, [fname]);
  } else {
    const refs = deref(store, v.get('Reference'), rev);
    const certification =
      refs instanceof PdfArray &&
      refs.items.some((r) => nameOf(dictAt(store, r, rev)?.get('TransformMethod')) === 'DocMDP');
    add('formFilling', 'SIGNATURE_ADDED', `signature ${fname}`, [fname], { certification });
  }
}

/** Keys of a field (or merged field/widget) a filler may change. */
const FILL_KEYS = new Set(['V', 'AS', 'AP']);

function fieldChange(
  store: RevisionStore,
  rev: number,
  key: string,
  name: string,
  type: string | undefined,
  o: PdfObject,
  n: PdfObject,
  add: Add,
  filledWidgets: Set<string>,
  shared: (key: string) => boolean
): void {
  const od = o instanceof PdfStream ? o.dict : o;
  const nd = n instanceof PdfStream ? n.dict : n;
  if (!(od instanceof PdfDict) || !(nd instanceof PdfDict))
    return add('other', 'FIELD_CHANGED', `field ${name}`, [name]);
  const keys = changedValues(store, rev, od, nd);
  const valueAdded = keys.includes('V') && od.get('V') === undefined;
  for (const k of keys) {
    if (k === 'V' && type === 'Sig') {
      if (od.get('V') !== undefined) add('other', 'SIGNATURE_REPLACED', `signature value of ${name}`, [name]);
      else {
        const v = dictAt(store, nd.get('V'), rev);
        if (v) signatureValue(store, rev, v, name, add);
        else add('other', 'FIELD_CHANGED', `field ${name} /V`, [name]);
      }
    } else if (k === 'AP' && refsIn(od.get('AP')).some((r) => shared(refKey(r)))) {
      add('other', 'SHARED_APPEARANCE_REPLACED', `field ${name}: its old appearance is also used elsewhere`, [name]);
    } else if (k === 'V' && type !== 'Sig' && nd.has('AP') && !keys.includes('AP') && !keys.includes('AS')) {
      // Shadow attack "replace via form": the value changes but the widget keeps showing the signed picture
      // (or the reverse) — what is displayed is no longer what the field holds.
      add('other', 'FIELD_VALUE_APPEARANCE_MISMATCH', `field ${name}: /V changed, appearance kept`, [name]);
    } else if (FILL_KEYS.has(k)) {
      filledWidgets.add(key);
      const what = k === 'V' ? 'FIELD_FILLED' : 'APPEARANCE_UPDATED';
      add('formFilling', what, `field ${name} /${k}`, type === 'Sig' && k !== 'V' ? [] : [name]);
    } else if ((k === 'Lock' || k === 'SV') && type === 'Sig' && valueAdded) {
      add('formFilling', 'SIGNATURE_LOCK_SET', `field ${name} /${k}`, []);
    } else if (k === 'F' && !hides(od.get('F'), nd.get('F'))) {
      add('formFilling', 'WIDGET_FLAGS_UPDATED', `field ${name} /F`, []);
    } else if (k === 'Ff' && onlyReadOnlyBitAdded(od.get('Ff'), nd.get('Ff'))) {
      add('formFilling', 'FIELD_LOCKED_READONLY', `field ${name} /Ff`, []);
    } else if (k === 'Kids') {
      add('other', 'FIELD_KIDS_CHANGED', `field ${name} /Kids`, [name]);
    } else add('other', 'FIELD_CHANGED', `field ${name} /${k}`, [name]);
  }
}

/** ISO 32000-2 Table 167: Invisible (1), Hidden (2), NoView (32) newly set hide what was signed. */
function hides(o: PdfObject | undefined, n: PdfObject | undefined): boolean {
  const ov = o?.kind === 'number' ? o.value : 0;
  const nv = n?.kind === 'number' ? n.value : 0;
  return (nv & ~ov & (1 | 2 | 32)) !== 0;
}

function onlyReadOnlyBitAdded(o: PdfObject | undefined, n: PdfObject | undefined): boolean {
  const ov = o?.kind === 'number' ? o.value : 0;
  const nv = n?.kind === 'number' ? n.value : 0;
  return (ov | 1) === nv;
}

function pageChange(
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
function structureChange(store: RevisionStore, rev: number, key: string, o: PdfObject, n: PdfObject, add: Add): void {
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
function annotsChange(
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
