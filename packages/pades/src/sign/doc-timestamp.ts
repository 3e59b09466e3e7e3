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
  signatureDict
} from '@inkan/pdf';
import { requestTimestamp, type TimestampClientOptions } from '@inkan/pki';
import { PadesError } from '../errors.ts';
import { docTimestampContentsSize } from './contents-size.ts';
import { digestOutsideHole } from './digest.ts';
import { openPdf } from './prepare.ts';

export async function addDocumentTimestamp(
  pdf: Uint8Array,
  tsa: TimestampClientOptions,
  password?: string
): Promise<Uint8Array> {
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
    const w = up.write();
    if (!w.signature) throw new PadesError('PADES_INTERNAL', 'the writer returned no placeholder');
    fillByteRange(w.bytes, w.signature);
    const d = await digestOutsideHole(w.bytes, w.signature.contents, hash);
    const { token } = await requestTimestamp(tsa, { digest: d });
    fillContents(w.bytes, w.signature, token.der);
    return w.bytes;
  } catch (e) {
    throw PadesError.from(e);
  }
}
