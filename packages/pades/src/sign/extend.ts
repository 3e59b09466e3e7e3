/**
 * Extends an already signed PDF (ETSI EN 319 142-1 §5.4, augmentation): B-LT adds a DSS
 * with the certificates, CRLs and OCSP responses of every signature and time-stamp in the document; B-LTA
 * then adds a document time-stamp over it. Run on a B-LTA document it adds fresh validation data for the
 * last document time-stamp and a new archive time-stamp (renewal before the TSA certificate expires).
 */
import { signatures } from '@inkan/pdf';
import { PadesError } from '../errors.ts';
import { addDocumentTimestamp } from './doc-timestamp.ts';
import { addValidationData } from './dss.ts';
import { planLevel, type LevelRequest } from './level.ts';
import { openPdf } from './prepare.ts';

export interface ExtendRequest extends Omit<LevelRequest, 'level'> {
  readonly level: 'B-LT' | 'B-LTA';
  readonly password?: string;
}

export async function extendPdf(pdf: Uint8Array, request: ExtendRequest): Promise<Uint8Array> {
  if (request.level !== 'B-LT' && request.level !== 'B-LTA')
    throw new PadesError('PADES_INVALID_ARGUMENT', 'extend goes to B-LT or B-LTA');
  if (!request.fetch) throw new PadesError('PADES_INVALID_ARGUMENT', 'extending needs a fetcher for validation data');
  if (request.level === 'B-LTA') planLevel(request); // a TSA is needed
  const file = openPdf(pdf, request.password);
  if (signatures(file).length === 0)
    throw new PadesError('PADES_NOTHING_TO_EXTEND', 'the document has no signature to extend');
  let out = await addValidationData(
    pdf,
    { fetch: request.fetch, extraCertificates: request.extraCertificates ?? [] },
    request.password
  );
  if (request.level === 'B-LTA') out = await addDocumentTimestamp(out, request.tsa!, request.password);
  return out;
}
