/**
 * Document Security Store (ISO 32000-2 §12.8.4.3, ETSI EN 319 142-1 §5.4.2): adds certificates, CRLs and
 * OCSP responses as streams to /DSS /Certs /CRLs /OCSPs, merging with what the file already has (no
 * duplicates), plus optional /VRI entries keyed by the uppercase hex SHA-1 of a signature's /Contents
 * (computed by the caller: this package does no hashing).
 */
import { zlibSync } from 'fflate';
import { PdfError } from '../core/errors.ts';
import { PdfArray, PdfDict, PdfName, PdfRef, PdfStream, type PdfObject } from '../core/objects.ts';
import type { IncrementalUpdate } from './update.ts';
import { pdfDate } from './placeholder.ts';

export interface VriEntry {
  certs?: Uint8Array[];
  crls?: Uint8Array[];
  ocsps?: Uint8Array[];
  /** /TU: time the validation data was gathered. */
  time?: Date;
}

export interface DssAdditions {
  certs?: Uint8Array[];
  crls?: Uint8Array[];
  ocsps?: Uint8Array[];
  /** Keyed by uppercase hex SHA-1 of the signature's /Contents value (40 hex digits). */
  vri?: Record<string, VriEntry> | Map<string, VriEntry>;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Adds the validation data to /DSS in `up` (creating it if absent). Returns the DSS reference. */
export function writeDss(up: IncrementalUpdate, add: DssAdditions): PdfRef {
  const catRef = up.catalogRef();
  const cat = up.resolve(catRef);
  if (cat?.kind !== 'dict') throw new PdfError('PDF_MALFORMED', 'no catalog');
  const oldRef = cat.get('DSS');
  const old = up.resolve(oldRef);
  const dss = old?.kind === 'dict' ? old.clone() : new PdfDict([['Type', new PdfName('DSS')]]);
  const known = new Map<string, { bytes: Uint8Array; ref: PdfRef }[]>();
  const pool = (key: string): { bytes: Uint8Array; ref: PdfRef }[] => {
    let p = known.get(key);
    if (!p) {
      p = [];
      const arr = up.resolve(dss.get(key));
      if (arr?.kind === 'array')
        for (const r of arr.items) {
          const s = r.kind === 'ref' ? up.resolve(r) : undefined;
          if (r.kind === 'ref' && s?.kind === 'stream') {
            try {
              p.push({ bytes: up.file.decode(s), ref: r });
            } catch {
              p.push({ bytes: new Uint8Array(0), ref: r });
            }
          }
        }
      known.set(key, p);
    }
    return p;
  };
  const refsFor = (key: string, items: Uint8Array[] | undefined): PdfRef[] => {
    const p = pool(key);
    const out: PdfRef[] = [];
    for (const b of items ?? []) {
      let hit = p.find((x) => same(x.bytes, b));
      if (!hit) {
        hit = { bytes: b, ref: up.add(stream(b)) };
        p.push(hit);
      }
      if (!out.some((r) => r.equals(hit.ref))) out.push(hit.ref);
    }
    return out;
  };
  const put = (d: PdfDict, key: string, items: Uint8Array[] | undefined, dssKey: string): void => {
    const refs = refsFor(dssKey, items);
    if (!refs.length) return;
    const existing = up.resolve(d.get(key));
    const list: PdfObject[] = existing?.kind === 'array' ? [...existing.items] : [];
    for (const r of refs) if (!list.some((x) => x.kind === 'ref' && x.equals(r))) list.push(r);
    d.set(key, new PdfArray(list));
  };
  put(dss, 'Certs', add.certs, 'Certs');
  put(dss, 'CRLs', add.crls, 'CRLs');
  put(dss, 'OCSPs', add.ocsps, 'OCSPs');
  const vriEntries = add.vri instanceof Map ? [...add.vri] : Object.entries(add.vri ?? {});
  if (vriEntries.length) {
    const oldVri = up.resolve(dss.get('VRI'));
    const vri = oldVri?.kind === 'dict' ? oldVri.clone() : new PdfDict();
    for (const [hash, e] of vriEntries) {
      if (!/^[0-9A-Fa-f]{40}$/.test(hash))
        throw new PdfError('PDF_INVALID_ARGUMENT', `VRI key ${hash} is not a SHA-1 hex`);
      const v = new PdfDict();
      put(v, 'Cert', e.certs, 'Certs');
      put(v, 'CRL', e.crls, 'CRLs');
      put(v, 'OCSP', e.ocsps, 'OCSPs');
      if (e.time) v.set('TU', pdfDate(e.time));
      vri.set(hash.toUpperCase(), v);
    }
    dss.set('VRI', vri);
  }
  if (oldRef?.kind === 'ref') {
    up.set(oldRef, dss);
    return oldRef;
  }
  const ref = up.add(dss);
  up.set(catRef, cat.clone().set('DSS', ref));
  return ref;
}

function stream(b: Uint8Array): PdfStream {
  return new PdfStream(new PdfDict([['Filter', new PdfName('FlateDecode')]]), zlibSync(b));
}
