import { PdfArray, PdfDict, PdfRef, type PdfObject } from '@inkan/pdf';
import type { Roles } from './roles.ts';
import { changedKeys, deref, dictAt, nameOf, refKey, sameObject, type RevisionStore } from './store.ts';
import { changedValues, type Add } from './change.ts';

// Document-level rules: catalog entries, the interactive form dictionary, its field list, signature values.

export function catalogChange(
  store: RevisionStore,
  rev: number,
  o: PdfObject,
  n: PdfObject,
  before: Roles,
  add: Add
): void {
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

export function acroFormChange(
  store: RevisionStore,
  rev: number,
  o: PdfObject,
  n: PdfObject,
  before: Roles,
  add: Add
): void {
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

export function fieldsArrayChange(
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

export function signatureValue(store: RevisionStore, rev: number, v: PdfDict, fname: string, add: Add): void {
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
