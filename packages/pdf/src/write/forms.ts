/**
 * Signature fields for the signer (ISO 32000-2 §12.7.5.5 signature fields, §12.5.6.19 widgets, §12.7.3
 * /AcroForm with /SigFlags 3): add a new field + widget, or sign an existing empty field; DocMDP
 * certification (§12.8.2.2, catalog /Perms).
 */
import { PdfError } from '../core/errors.ts';
import {
  PdfArray,
  PdfDict,
  PdfName,
  PdfNumber,
  PdfStream,
  PdfString,
  type PdfObject,
  type PdfRef
} from '../core/objects.ts';
import { formFields } from '../doc/fields.ts';
import { pageAt } from '../doc/pages.ts';
import { importPageAsXObject } from './import.ts';
import type { IncrementalUpdate } from './update.ts';

export interface SignatureFieldOptions {
  /** Partial name /T of the new top-level field; must not clash with an existing field. */
  name: string;
  /** Signature dictionary (from `up.addSignature`) to put in /V; omit for an empty field. */
  sig?: PdfRef;
  /** 0-based page index for the widget (default 0). */
  page?: number;
  /** Widget rectangle [x1 y1 x2 y2] in default user space; omitted = invisible ([0 0 0 0]). */
  rect?: [number, number, number, number];
  /** Appearance: a one-page PDF whose page becomes the /AP /N Form XObject. */
  appearance?: { pdf: Uint8Array };
  /** /Lock dictionary (FieldMDP, §12.7.5.5) for the new field. */
  lock?: PdfDict;
  /**
   * Remove /AcroForm /NeedAppearances (§12.7.3, deprecated in PDF 2.0): with it set, viewers such as poppler
   * redraw every widget and ignore the signature's /AP. Off by default — other fields may rely on it.
   */
  clearNeedAppearances?: boolean;
}

export interface AddedField {
  field: PdfRef;
  /** The field and its widget are one merged dictionary (§12.5.6.19). */
  widget: PdfRef;
}

/** Adds a signature field with a merged widget to /AcroForm /Fields and to the page's /Annots. */
export function addSignatureField(up: IncrementalUpdate, o: SignatureFieldOptions): AddedField {
  if (!o.name || o.name.includes('.'))
    throw new PdfError('PDF_INVALID_ARGUMENT', 'field name must be non-empty without "."');
  if (formFields(up.file).some((f) => f.name === o.name))
    throw new PdfError('PDF_INVALID_ARGUMENT', `a field named "${o.name}" already exists`);
  const page = pageAt(up.file, o.page ?? 0);
  if (!page && !pageAt(up.file, 0)) throw new PdfError('PDF_MALFORMED', 'the document has no readable page');
  if (!page) throw new PdfError('PDF_INVALID_ARGUMENT', `no page ${o.page ?? 0}`);
  const rect = o.rect ?? [0, 0, 0, 0];
  if (rect.length !== 4 || rect.some((x) => !Number.isFinite(x)))
    throw new PdfError('PDF_INVALID_ARGUMENT', 'bad rect');
  const w = new PdfDict([
    ['Type', new PdfName('Annot')],
    ['Subtype', new PdfName('Widget')],
    ['FT', new PdfName('Sig')],
    ['T', PdfString.text(o.name)],
    ['F', new PdfNumber(132)], // Print + Locked (§12.5.3)
    ['Rect', new PdfArray(rect.map((x) => new PdfNumber(x)))],
    ['P', page.ref]
  ]);
  if (o.sig) w.set('V', o.sig);
  if (o.lock) w.set('Lock', up.add(o.lock));
  const xobj = o.appearance ? importPageAsXObject(up, o.appearance.pdf) : emptyAppearance(up, rect);
  w.set('AP', new PdfDict([['N', xobj]]));
  const ref = up.add(w);
  appendToPageAnnots(up, page.ref, ref);
  appendToFields(up, ref);
  if (o.clearNeedAppearances) clearNeedAppearances(up);
  return { field: ref, widget: ref };
}

/** §12.7.5.5 recommends an appearance even for invisible signatures: an empty Form XObject. */
function emptyAppearance(up: IncrementalUpdate, rect: number[]): PdfRef {
  const wdt = Math.abs(rect[2] - rect[0]);
  const hgt = Math.abs(rect[3] - rect[1]);
  const d = new PdfDict([
    ['Type', new PdfName('XObject')],
    ['Subtype', new PdfName('Form')],
    ['BBox', new PdfArray([0, 0, wdt, hgt].map((x) => new PdfNumber(x)))]
  ]);
  return up.add(new PdfStream(d, new Uint8Array(0)));
}

/** Signs the existing, still empty signature field `name` (fully qualified): sets its /V (and appearance). */
export function fillSignatureField(
  up: IncrementalUpdate,
  name: string,
  sig: PdfRef,
  opts: { appearance?: { pdf: Uint8Array }; clearNeedAppearances?: boolean } = {}
): AddedField {
  const appearance = opts.appearance;
  const f = formFields(up.file).find((x) => x.name === name && x.terminal);
  if (!f) throw new PdfError('PDF_INVALID_ARGUMENT', `no field named "${name}"`);
  if (f.ft !== 'Sig') throw new PdfError('PDF_INVALID_ARGUMENT', `field "${name}" is not a signature field`);
  if (f.value) throw new PdfError('PDF_INVALID_ARGUMENT', `field "${name}" is already signed`);
  if (!f.ref) throw new PdfError('PDF_UNSUPPORTED', `field "${name}" is a direct object`);
  const d = (up.get(f.ref) as PdfDict).clone();
  d.set('V', sig);
  const wRef = f.widgets[0]?.ref ?? f.ref;
  if (appearance) {
    const x = importPageAsXObject(up, appearance.pdf);
    const wd = wRef.equals(f.ref) ? d : (up.get(wRef) as PdfDict).clone();
    wd.set('AP', new PdfDict([['N', x]]));
    if (wd !== d) up.set(wRef, wd);
  }
  up.set(f.ref, d);
  ensureAcroForm(up);
  if (opts.clearNeedAppearances) clearNeedAppearances(up);
  return { field: f.ref, widget: wRef };
}

function appendToPageAnnots(up: IncrementalUpdate, pageRef: PdfRef, annot: PdfRef): void {
  const page = (up.get(pageRef) as PdfDict).clone();
  const a = page.get('Annots');
  if (a?.kind === 'ref') {
    const arr = up.resolve(a);
    up.set(a, new PdfArray([...(arr?.kind === 'array' ? arr.items : []), annot]));
    return;
  }
  page.set('Annots', new PdfArray([...(a?.kind === 'array' ? a.items : []), annot]));
  up.set(pageRef, page);
}

/** The catalog's /AcroForm for editing: returns a setter that stores the updated dictionary. */
function editAcroForm(up: IncrementalUpdate): [PdfDict, (d: PdfDict) => void] {
  const catRef = up.catalogRef();
  const cat = up.resolve(catRef);
  if (cat?.kind !== 'dict') throw new PdfError('PDF_MALFORMED', 'no catalog');
  const af = cat.get('AcroForm');
  if (af?.kind === 'ref') {
    const cur = up.resolve(af);
    return [cur?.kind === 'dict' ? cur.clone() : new PdfDict(), (d) => up.set(af, d)];
  }
  // A direct /AcroForm stays direct; a missing one becomes a new indirect object (once: later edits see it).
  const cur = af?.kind === 'dict' ? af.clone() : new PdfDict([['Fields', new PdfArray([])]]);
  return [cur, (d) => up.set(catRef, (up.resolve(catRef) as PdfDict).clone().set('AcroForm', af ? d : up.add(d)))];
}

function clearNeedAppearances(up: IncrementalUpdate): void {
  const [af, save] = editAcroForm(up);
  if (af.delete('NeedAppearances')) save(af);
}

function ensureAcroForm(up: IncrementalUpdate): void {
  const [af, save] = editAcroForm(up);
  const flags = af.get('SigFlags');
  if (flags?.kind === 'number' && (flags.value & 3) === 3) return;
  af.set('SigFlags', new PdfNumber(3));
  save(af);
}

function appendToFields(up: IncrementalUpdate, field: PdfRef): void {
  const [af, save] = editAcroForm(up);
  const fields: PdfObject | undefined = af.get('Fields');
  if (fields?.kind === 'ref') {
    const arr = up.resolve(fields);
    up.set(fields, new PdfArray([...(arr?.kind === 'array' ? arr.items : []), field]));
  } else af.set('Fields', new PdfArray([...(fields?.kind === 'array' ? fields.items : []), field]));
  af.set('SigFlags', new PdfNumber(3));
  save(af);
}

/** Certification (§12.8.2.2): catalog /Perms /DocMDP → the signature dictionary. Use with `signatureDict({docMdp})`. */
export function setDocMdp(up: IncrementalUpdate, sig: PdfRef): void {
  const catRef = up.catalogRef();
  const cat = (up.resolve(catRef) as PdfDict).clone();
  const perms = up.resolve(cat.get('Perms'));
  const p = perms?.kind === 'dict' ? perms.clone() : new PdfDict();
  if (p.has('DocMDP')) throw new PdfError('PDF_SIGNING_NOT_PERMITTED', 'the document is already certified');
  p.set('DocMDP', sig);
  const pr = cat.get('Perms');
  if (pr?.kind === 'ref') up.set(pr, p);
  else cat.set('Perms', p);
  up.set(catRef, cat);
}
