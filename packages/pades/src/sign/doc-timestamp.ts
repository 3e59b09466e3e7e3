/**
 * Document time-stamp (ISO 32000-2 §12.8.5; ETSI EN 319 142-1 §5.4, PAdES B-LTA): a new revision with an
 * invisible field whose /Type /DocTimeStamp dictionary holds, as /Contents, an RFC 3161 token over the
 * ByteRange bytes (/SubFilter /ETSI.RFC3161). Added after the DSS it protects; adding another one later
 * renews the archive time-stamp before the previous TSA certificate expires.
 */
import {
  IncrementalUpdate,
  addSignatureField,
  fillByteRange,
  fillContents,
  formFields,
  joinChunks,
  signatureDict
} from '@inkan/pdf';
import { requestTimestamp, type TimestampClientOptions } from '@inkan/pki';
import { PadesError } from '../errors.ts';
import { docTimestampContentsSize } from './contents-size.ts';
import { digestOutsideHole, type Digester } from './digest.ts';
import { openPdf } from './prepare.ts';

/** Adds the document time-stamp revision; the result in one new array. */
export async function addDocumentTimestamp(
  pdf: Uint8Array,
  tsa: TimestampClientOptions,
  password?: string,
  digester?: Digester
): Promise<Uint8Array> {
  return joinChunks(await addDocumentTimestampChunks(pdf, tsa, password, digester));
}

/**
 * Adds the document time-stamp revision; the result as chunks: with a `digester`, `[pdf, new revision]`
 * (`pdf` unmodified, not copied), without one the whole output as one array (WebCrypto hashes it in place).
 */
export async function addDocumentTimestampChunks(
  pdf: Uint8Array,
  tsa: TimestampClientOptions,
  password?: string,
  digester?: Digester
): Promise<Uint8Array[]> {
  const hash = tsa.hash ?? 'SHA-256';
  const file = openPdf(pdf, password);
  try {
    const taken = new Set(formFields(file).map((f) => f.name));
    let n = 1;
    while (taken.has(`DocTimeStamp${n}`)) n++;
    const up = new IncrementalUpdate(file);
    const sig = up.addSignature(signatureDict({ type: 'DocTimeStamp' }), {
      contentsSize: await docTimestampContentsSize(tsa, hash)
    });
    addSignatureField(up, { name: `DocTimeStamp${n}`, page: 0, rect: [0, 0, 0, 0], sig });
    const w = up.writeChunks();
    if (!w.signature) throw new PadesError('PADES_INTERNAL', 'the writer returned no placeholder');
    const chunks = digester ? [w.head, w.tail] : [joinChunks([w.head, w.tail])];
    fillByteRange(chunks, w.signature);
    const d = await digestOutsideHole(chunks, w.signature.contents, hash, digester);
    const { token } = await requestTimestamp(tsa, { digest: d });
    fillContents(chunks, w.signature, token.der);
    return chunks;
  } catch (e) {
    throw PadesError.from(e);
  }
}
