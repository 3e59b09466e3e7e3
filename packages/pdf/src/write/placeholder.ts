/**
 * Signature placeholder mechanics (ISO 32000-2 §12.8.1): after `IncrementalUpdate.write()`, the caller
 * patches /ByteRange (same width, space padded), hashes `signedBytes(bytes, byteRange)`, then patches the
 * hex /Contents in place. Also builders for the signature dictionary itself.
 */
import { fromLatin1, toHex } from '../core/bytes.ts';
import { PdfError } from '../core/errors.ts';
import { PdfArray, PdfDict, PdfName, PdfNumber, PdfString, type PdfRef } from '../core/objects.ts';
import type { SignaturePlaceholder } from './update.ts';

/**
 * Writes the final /ByteRange `[0 a b c]` into its placeholder: everything except the /Contents token.
 * Returns the four numbers.
 */
export function fillByteRange(bytes: Uint8Array, ph: SignaturePlaceholder): [number, number, number, number] {
  const [cs, ce] = ph.contents;
  const br: [number, number, number, number] = [0, cs, ce, bytes.length - ce];
  const [s, e] = ph.byteRange;
  const text = `[${br.join(' ')}`;
  const width = e - s - 1;
  if (text.length > width || bytes[s] !== 0x5b || bytes[e - 1] !== 0x5d)
    throw new PdfError('PDF_INVALID_ARGUMENT', 'ByteRange placeholder too small or not found');
  bytes.set(fromLatin1(text.padEnd(width, ' ')), s);
  return br;
}

/** Writes `der` as uppercase hex into the /Contents placeholder, zero-padded. */
export function fillContents(bytes: Uint8Array, ph: SignaturePlaceholder, der: Uint8Array): void {
  const [s, e] = ph.contents;
  const room = e - s - 2;
  if (bytes[s] !== 0x3c || bytes[e - 1] !== 0x3e)
    throw new PdfError('PDF_INVALID_ARGUMENT', 'Contents placeholder not found');
  if (der.length * 2 > room)
    throw new PdfError(
      'PDF_INVALID_ARGUMENT',
      `signature of ${der.length} bytes exceeds the ${room / 2}-byte placeholder`
    );
  bytes.set(fromLatin1(toHex(der).padEnd(room, '0')), s + 1);
}

/** §7.9.4 date string `D:YYYYMMDDHHmmSSZ` (UTC). */
export function pdfDate(d: Date): PdfString {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return PdfString.latin1(
    `D:${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`
  );
}

export interface SignatureDictOptions {
  /** 'Sig' (default) or 'DocTimeStamp' (§12.8.5, PAdES B-LTA document timestamp). */
  type?: 'Sig' | 'DocTimeStamp';
  /** /Filter, default Adobe.PPKLite. */
  filter?: string;
  /** /SubFilter, default ETSI.CAdES.detached (ETSI.RFC3161 for a document timestamp). */
  subFilter?: string;
  name?: string;
  reason?: string;
  location?: string;
  contactInfo?: string;
  /** /M signing time (PAdES: informational only; omit for document timestamps). */
  signingTime?: Date;
  /** DocMDP certification: adds /Reference with the DocMDP transform and this /P (§12.8.2.2). */
  docMdp?: 1 | 2 | 3;
}

/** A signature dictionary without /Contents and /ByteRange, ready for `IncrementalUpdate.addSignature`. */
export function signatureDict(o: SignatureDictOptions = {}): PdfDict {
  const ts = o.type === 'DocTimeStamp';
  const d = new PdfDict([
    ['Type', new PdfName(o.type ?? 'Sig')],
    ['Filter', new PdfName(o.filter ?? 'Adobe.PPKLite')],
    ['SubFilter', new PdfName(o.subFilter ?? (ts ? 'ETSI.RFC3161' : 'ETSI.CAdES.detached'))]
  ]);
  if (o.name) d.set('Name', PdfString.text(o.name));
  if (o.reason) d.set('Reason', PdfString.text(o.reason));
  if (o.location) d.set('Location', PdfString.text(o.location));
  if (o.contactInfo) d.set('ContactInfo', PdfString.text(o.contactInfo));
  if (o.signingTime) d.set('M', pdfDate(o.signingTime));
  if (o.docMdp) d.set('Reference', docMdpReference(o.docMdp));
  return d;
}

/** §12.8.1 Table 255 signature reference dictionary for DocMDP with /P. */
export function docMdpReference(p: 1 | 2 | 3): PdfArray {
  const params = new PdfDict([
    ['Type', new PdfName('TransformParams')],
    ['P', new PdfNumber(p)],
    ['V', new PdfName('1.2')]
  ]);
  return new PdfArray([
    new PdfDict([
      ['Type', new PdfName('SigRef')],
      ['TransformMethod', new PdfName('DocMDP')],
      ['TransformParams', params]
    ])
  ]);
}

export type { PdfRef };
