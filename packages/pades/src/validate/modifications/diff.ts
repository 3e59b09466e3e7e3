import { PdfRef, PdfStream, type PdfObject } from '@inkan/pdf';
import { reachableBesidesAppearances, referenceCounts, rolesAt, type Roles } from './roles.ts';
import { dictAt, nameOf, refKey, sameObject, type RevisionStore } from './store.ts';
import type { Add, Change } from './change.ts';
import { acroFormChange, catalogChange, fieldsArrayChange } from './rules-document.ts';
import { fieldChange } from './rules-fields.ts';
import { annotsChange, pageChange, structureChange } from './rules-pages.ts';

export type { Change } from './change.ts';

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

function isStructural(o: PdfObject): boolean {
  const t = o instanceof PdfStream ? nameOf(o.dict.get('Type')) : undefined;
  return t === 'XRef' || t === 'ObjStm';
}
