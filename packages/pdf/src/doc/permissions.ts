/**
 * Modification-detection permissions (ISO 32000-2 §12.8.2.2 DocMDP, §12.8.2.4 FieldMDP) and the document
 * security store (§12.8.4.3 /DSS) as written in the file. Reading only; the writer side is in write/.
 */
import type { PdfDict, PdfObject, PdfRef, PdfStream } from '../core/objects.ts';
import type { PdfFile } from '../file.ts';

export interface DocMdp {
  /** The certification signature's dictionary reference (catalog /Perms /DocMDP, §12.8.6). */
  sigRef?: PdfRef;
  sig?: PdfDict;
  /** /P of the DocMDP transform parameters: 1 no changes, 2 form filling + signing, 3 also annotations. */
  p: 1 | 2 | 3;
}

/** The certification (DocMDP) of the document as of `revision`, or undefined when it is not certified. */
export function docMdp(file: PdfFile, revision?: number): DocMdp | undefined {
  const cat = file.resolve(file.revisions[revision ?? file.revisions.length - 1].trailer.get('Root'), revision);
  if (cat?.kind !== 'dict') return undefined;
  const perms = file.resolve(cat.get('Perms'), revision);
  if (perms?.kind !== 'dict') return undefined;
  const raw = perms.get('DocMDP');
  const sig = file.resolve(raw, revision);
  if (sig?.kind !== 'dict') return undefined;
  const params = transformParams(file, sig, 'DocMDP', revision);
  const p = params?.get('P');
  const pv = p?.kind === 'number' && [1, 2, 3].includes(p.value) ? (p.value as 1 | 2 | 3) : 2;
  return { sigRef: raw?.kind === 'ref' ? raw : undefined, sig, p: pv };
}

/** /TransformParams of the signature reference dictionary with /TransformMethod `method` (§12.8.1 Table 257). */
export function transformParams(file: PdfFile, sig: PdfDict, method: string, revision?: number): PdfDict | undefined {
  const refs = file.resolve(sig.get('Reference'), revision);
  if (refs?.kind !== 'array') return undefined;
  for (const r of refs.items) {
    const d = file.resolve(r, revision);
    if (d?.kind !== 'dict') continue;
    const m = d.get('TransformMethod');
    if (m?.kind === 'name' && m.name === method) {
      const tp = file.resolve(d.get('TransformParams'), revision);
      return tp?.kind === 'dict' ? tp : undefined;
    }
  }
  return undefined;
}

export interface FieldMdp {
  /** /Action: All, Include or Exclude. */
  action: 'All' | 'Include' | 'Exclude';
  /** /Fields: fully qualified names for Include/Exclude. */
  fields: string[];
  /** /P (PDF 2.0 lock dictionaries): the DocMDP level applied once the field is signed. */
  p?: 1 | 2 | 3;
}

/** Reads a /Lock dictionary (§12.7.5.5 Table 236) or FieldMDP /TransformParams (§12.8.2.4). */
export function fieldMdp(d: PdfDict): FieldMdp {
  const a = d.get('Action');
  const action = a?.kind === 'name' && (a.name === 'Include' || a.name === 'Exclude') ? a.name : 'All';
  const f = d.get('Fields');
  const fields = f?.kind === 'array' ? f.items.flatMap((x) => (x.kind === 'string' ? [x.text()] : [])) : [];
  const p = d.get('P');
  return {
    action,
    fields,
    p: p?.kind === 'number' && [1, 2, 3].includes(p.value) ? (p.value as 1 | 2 | 3) : undefined
  };
}

export interface DssContents {
  dict: PdfDict;
  certs: PdfRef[];
  crls: PdfRef[];
  ocsps: PdfRef[];
  /** /VRI keyed by the uppercase hex SHA-1 of the signature /Contents (§12.8.4.4). */
  vri: Map<string, PdfDict>;
}

/** The /DSS of the catalog (§12.8.4.3) as of `revision`, or undefined. */
export function dss(file: PdfFile, revision?: number): DssContents | undefined {
  const cat = file.resolve(file.revisions[revision ?? file.revisions.length - 1].trailer.get('Root'), revision);
  if (cat?.kind !== 'dict') return undefined;
  const d = file.resolve(cat.get('DSS'), revision);
  if (d?.kind !== 'dict') return undefined;
  const refs = (k: string): PdfRef[] => {
    const a = file.resolve(d.get(k), revision);
    return a?.kind === 'array' ? a.items.filter((x): x is PdfRef => x.kind === 'ref') : [];
  };
  const vri = new Map<string, PdfDict>();
  const v = file.resolve(d.get('VRI'), revision);
  if (v?.kind === 'dict')
    for (const [k, val] of v.map) {
      const vd = file.resolve(val, revision);
      if (vd?.kind === 'dict') vri.set(k.toUpperCase(), vd);
    }
  return { dict: d, certs: refs('Certs'), crls: refs('CRLs'), ocsps: refs('OCSPs'), vri };
}

/** Decoded bytes of each stream in `refs` (e.g. DSS certificates), skipping unreadable ones. */
export function streamBytes(file: PdfFile, refs: readonly PdfRef[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const r of refs) {
    const s: PdfObject | undefined = file.resolve(r);
    if (s?.kind === 'stream') out.push(file.decode(s as PdfStream));
  }
  return out;
}
