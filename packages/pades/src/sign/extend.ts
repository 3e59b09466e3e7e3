/**
 * Extends an already signed PDF (ETSI EN 319 142-1 §5.4, augmentation): B-LT adds a DSS
 * with the certificates, CRLs and OCSP responses of every signature and time-stamp in the document; B-LTA
 * then adds a document time-stamp over it. Run on a B-LTA document it adds fresh validation data for the
 * last document time-stamp and a new archive time-stamp (renewal before the TSA certificate expires).
 */
import { joinChunks, signatures } from '@inkan/pdf';
import { PadesError } from '../errors.ts';
import { following } from './chunks.ts';
import { addDocumentTimestampChunks } from './doc-timestamp.ts';
import type { Digester } from './digest.ts';
import { addValidationDataChunks } from './dss.ts';
import { planLevel, type LevelRequest } from './level.ts';
import { openPdf } from './prepare.ts';

export interface ExtendRequest extends Omit<LevelRequest, 'level'> {
  readonly level: 'B-LT' | 'B-LTA';
  readonly password?: string;
  /** How the document time-stamp hashes (default WebCrypto; Node: `nodeDigester` from '@inkan/pades/node'). */
  readonly digester?: Digester;
}

/** Extends `pdf`; the result in one new array. */
export async function extendPdf(pdf: Uint8Array, request: ExtendRequest): Promise<Uint8Array> {
  return joinChunks(await extendPdfChunks(pdf, request));
}

/** Extends `pdf`; the result as chunks to write one after the other, `pdf` (unmodified) first. */
export async function extendPdfChunks(pdf: Uint8Array, request: ExtendRequest): Promise<Uint8Array[]> {
  if (request.level !== 'B-LT' && request.level !== 'B-LTA')
    throw new PadesError('PADES_INVALID_ARGUMENT', 'extend goes to B-LT or B-LTA');
  if (!request.fetch) throw new PadesError('PADES_INVALID_ARGUMENT', 'extending needs a fetcher for validation data');
  if (request.level === 'B-LTA') planLevel(request); // a TSA is needed
  const file = openPdf(pdf, request.password);
  if (signatures(file).length === 0)
    throw new PadesError('PADES_NOTHING_TO_EXTEND', 'the document has no signature to extend');
  const lt = await addValidationDataChunks(
    pdf,
    { fetch: request.fetch, extraCertificates: request.extraCertificates ?? [] },
    request.password
  );
  if (request.level === 'B-LT') return lt;
  return following(
    lt,
    await addDocumentTimestampChunks(joinChunks(lt), request.tsa!, request.password, request.digester)
  );
}
