/**
 * May this document take one more signature? Refusals carry `PDF_SIGNING_NOT_PERMITTED` (the pdf layer's
 * code, so callers switch on one name):
 *  - encryption permissions (ISO 32000-2 §7.6.4.2 Table 22): a new signature field needs bit 6 (annotate),
 *    filling an existing one bit 9 (fill forms) — unless the owner password opened the file;
 *  - a certification signature with DocMDP /P 1 (§12.8.2.2: no changes at all);
 *  - a FieldMDP lock (§12.8.2.4, §12.7.5.5 /Lock) of an already signed field with /Action All, or one that
 *    names the existing field to be signed, or a lock whose /P is 1 (PDF 2.0: no change after that signature).
 * DocMDP /P 2 and 3 permit signing. A certification signature must be the first signature (§12.8.2.2).
 */
import { docMdp, fieldMdp, formFields, signatures, transformParams, type FormField, type PdfFile } from '@inkan/pdf';
import { PadesError } from '../errors.ts';

function refuse(message: string): never {
  throw new PadesError('PDF_SIGNING_NOT_PERMITTED', message);
}

/**
 * Does a FieldMDP lock forbid this signature? /Action All locks every field, so no signature may follow;
 * Include/Exclude name existing fields — a new field is not one of them (adding fields is DocMDP's matter).
 */
function locks(f: { action: string; fields: string[] }, target: SigningTarget): boolean {
  if (f.action === 'All') return true;
  if (!target.existing) return false;
  if (f.action === 'Include') return f.fields.includes(target.fieldName);
  return !f.fields.includes(target.fieldName); // Exclude
}

export interface SigningTarget {
  /** Fully qualified name of the field that will hold the signature. */
  readonly fieldName: string;
  /** True when that field already exists (empty) in the document. */
  readonly existing: boolean;
  readonly certify: boolean;
}

export function assertSigningPermitted(file: PdfFile, target: SigningTarget): void {
  const sec = file.security;
  if (sec && !sec.ownerAuthenticated) {
    if (!target.existing && !sec.permissions.annotate)
      refuse('the document permissions (/P) do not allow creating a signature field without the owner password');
    if (target.existing && !sec.permissions.fillForms)
      refuse('the document permissions (/P) do not allow filling form fields without the owner password');
  }
  const mdp = docMdp(file);
  if (mdp?.p === 1) refuse('the certification signature (DocMDP P=1) permits no change, not even a signature');
  const sigs = signatures(file);
  if (target.certify && sigs.length > 0)
    throw new PadesError(
      'PADES_INVALID_ARGUMENT',
      'a certification signature must be the first signature of a document'
    );
  const fields = formFields(file);
  const signed = fields.filter((f: FormField) => f.ft === 'Sig' && f.value?.kind === 'dict');
  for (const f of signed) {
    if (f.lock) {
      const l = fieldMdp(f.lock);
      if (l.p === 1) refuse(`the signed field "${f.name}" locks the document (Lock /P 1)`);
      if (locks(l, target)) refuse(`the signed field "${f.name}" locks the field "${target.fieldName}" (FieldMDP)`);
    }
    if (f.value?.kind === 'dict') {
      const tp = transformParams(file, f.value, 'FieldMDP');
      if (tp && locks(fieldMdp(tp), target))
        refuse(`the signature in "${f.name}" locks the field "${target.fieldName}" (FieldMDP)`);
    }
  }
}
