/**
 * B-LT post-signature processing (ETSI EN 319 142-1 §5.4.2; ISO 32000-2 §12.8.4.3 /DSS): gathers the
 * certificates of every signature and time-stamp already in the document (signature time-stamps and
 * document time-stamps included), asks the pki layer to complete their chains and fetch CRLs / OCSP
 * responses through the injected fetcher, and appends them as a /DSS in a new revision.
 */
import { IncrementalUpdate, joinChunks, signatures, writeDss } from '@inkan/pdf';
import { OID, collectValidationData, inspectSignedData } from '@inkan/pki';
import { PadesError } from '../errors.ts';
import type { Fetcher } from './level.ts';
import { openPdf } from './prepare.ts';

export interface ValidationSources {
  readonly fetch: Fetcher;
  readonly extraCertificates: readonly Uint8Array[];
}

/** Certificates to validate (signers and TSAs) and every certificate the CMSs carry (chain-building pool). */
async function certificatesInDocument(
  cmsList: readonly Uint8Array[]
): Promise<{ targets: Uint8Array[]; pool: Uint8Array[] }> {
  const targets: Uint8Array[] = [];
  const pool: Uint8Array[] = [];
  const visit = async (cms: Uint8Array, depth: number): Promise<void> => {
    const f = await inspectSignedData(cms);
    pool.push(...f.certificates);
    if (f.signerCertificate) targets.push(f.signerCertificate);
    if (depth > 0) return;
    for (const a of f.unsignedAttributes)
      if (a.type === OID.signatureTimeStampToken) for (const v of a.values) await visit(v, depth + 1);
  };
  for (const cms of cmsList) await visit(cms, 0);
  return { targets, pool };
}

/** Adds the DSS revision; the result in one new array. */
export async function addValidationData(
  pdf: Uint8Array,
  src: ValidationSources,
  password?: string
): Promise<Uint8Array> {
  return joinChunks(await addValidationDataChunks(pdf, src, password));
}

/** Adds the DSS revision; the result as `[pdf, new revision]` (`pdf` unmodified, not copied). */
export async function addValidationDataChunks(
  pdf: Uint8Array,
  src: ValidationSources,
  password?: string
): Promise<Uint8Array[]> {
  const file = openPdf(pdf, password);
  try {
    const cmsList = signatures(file).flatMap((s) => (s.contents ? [s.contents.bytes] : []));
    if (cmsList.length === 0) throw new PadesError('PADES_NOTHING_TO_EXTEND', 'the document has no signature');
    const { targets, pool } = await certificatesInDocument(cmsList);
    const data = await collectValidationData({
      certificates: targets,
      pool: [...pool, ...src.extraCertificates],
      fetch: src.fetch
    });
    const up = new IncrementalUpdate(file);
    writeDss(up, { certs: [...data.certs], crls: [...data.crls], ocsps: [...data.ocsps] });
    const w = up.writeChunks();
    return [w.head, w.tail];
  } catch (e) {
    throw PadesError.from(e, 'PADES_REVOCATION_UNAVAILABLE');
  }
}
