import { fieldMdp, transformParams, type PdfFile, type SignatureInfo } from '@inkan/pdf';
import type { DocMdpPermission, SignatureFacts } from './report.ts';

/**
 * The restrictions a signature declares: DocMDP /P of a certification signature (ISO 32000-2 §12.8.2.2,
 * default 2) and its FieldMDP lock, from the signature's /Reference (§12.8.2.4) or its field's /Lock
 * dictionary (§12.7.5.5).
 */
export function signatureMdp(file: PdfFile, sig: SignatureInfo): Pick<SignatureFacts, 'docMdp' | 'fieldMdp'> {
  let docMdp: DocMdpPermission | null = null;
  let lock: SignatureFacts['fieldMdp'] = null;
  try {
    const refs = file.resolve(sig.dict.get('Reference'));
    const hasDocMdp =
      refs?.kind === 'array' &&
      refs.items.some((r) => {
        const d = file.resolve(r);
        const m = d?.kind === 'dict' ? d.get('TransformMethod') : undefined;
        return m?.kind === 'name' && m.name === 'DocMDP';
      });
    if (hasDocMdp) {
      const p = transformParams(file, sig.dict, 'DocMDP')?.get('P');
      docMdp = p?.kind === 'number' && [1, 2, 3].includes(p.value) ? (p.value as DocMdpPermission) : 2;
    }
    const fp = transformParams(file, sig.dict, 'FieldMDP');
    const lockDict =
      fp ??
      sig.fieldRefs
        .map((r) => (r ? file.resolve(file.get(r)) : undefined))
        .map((f) => (f?.kind === 'dict' ? file.resolve(f.get('Lock')) : undefined))
        .find((l) => l?.kind === 'dict');
    if (lockDict?.kind === 'dict') {
      const l = fieldMdp(lockDict);
      lock = { action: l.action, fields: l.fields, ...(l.p ? { p: l.p } : {}) };
    }
  } catch {
    /* unreadable references: no declared restriction; the modification analysis still applies */
  }
  return { docMdp, fieldMdp: lock };
}
