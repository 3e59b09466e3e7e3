/**
 * Signature placeholder mechanics (ISO 32000-2 §12.8.1): after `IncrementalUpdate.write()` (or
 * `writeChunks()`, which leaves the input bytes where they are), the caller patches /ByteRange (same width,
 * space padded), hashes the bytes outside /Contents, then patches the hex /Contents in place. Also builders
 * for the signature dictionary itself.
 */
import { concatBytes, fromLatin1, toHex } from '../core/bytes.ts';
import { PdfError } from '../core/errors.ts';
import { PdfArray, PdfDict, PdfName, PdfNumber, PdfString, type PdfRef } from '../core/objects.ts';
import type { SignaturePlaceholder } from './update.ts';

/**
 * A file as consecutive chunks (e.g. `[head, tail]` from `IncrementalUpdate.writeChunks()`), addressed by
 * file offsets as if they were joined. A single `Uint8Array` is the one-chunk case.
 */
export type ByteChunks = Uint8Array | readonly Uint8Array[];

function chunkList(b: ByteChunks): readonly Uint8Array[] {
  return b instanceof Uint8Array ? [b] : b;
}

/** Total length of `b`. */
export function chunksLength(b: ByteChunks): number {
  let n = 0;
  for (const c of chunkList(b)) n += c.length;
  return n;
}

/** The chunk holding the whole span [s, e) of `b`, and the span's offset in it; undefined when it straddles. */
function spanIn(b: ByteChunks, s: number, e: number): { buf: Uint8Array; at: number } | undefined {
  let base = 0;
  for (const c of chunkList(b)) {
    if (s >= base && e <= base + c.length) return { buf: c, at: s - base };
    base += c.length;
  }
  return undefined;
}

/** `b` as one array: itself when it is one, else a new array joining the chunks. */
export function joinChunks(b: ByteChunks): Uint8Array {
  const list = chunkList(b);
  return list.length === 1 ? list[0] : concatBytes(list);
}

/** Views (no copies) of every byte of `b` outside [s, e): what a ByteRange with that hole covers. */
export function bytesOutside(b: ByteChunks, hole: readonly [number, number]): Uint8Array[] {
  const [s, e] = hole;
  const out: Uint8Array[] = [];
  let base = 0;
  for (const c of chunkList(b)) {
    const end = base + c.length;
    if (base < s) out.push(c.subarray(0, Math.min(c.length, s - base)));
    if (end > e) out.push(c.subarray(Math.max(0, e - base)));
    base = end;
  }
  return out.filter((x) => x.length > 0);
}

/**
 * Writes the final /ByteRange `[0 a b c]` into its placeholder: everything except the /Contents token.
 * Returns the four numbers. `bytes` is the whole output, one array or chunks; the placeholder must lie
 * within one chunk (the writer puts it in the new revision, so the original bytes are never touched).
 */
export function fillByteRange(bytes: ByteChunks, ph: SignaturePlaceholder): [number, number, number, number] {
  const [cs, ce] = ph.contents;
  const br: [number, number, number, number] = [0, cs, ce, chunksLength(bytes) - ce];
  const [s, e] = ph.byteRange;
  const text = `[${br.join(' ')}`;
  const width = e - s - 1;
  const at = spanIn(bytes, s, e);
  if (!at || text.length > width || at.buf[at.at] !== 0x5b || at.buf[at.at + width] !== 0x5d)
    throw new PdfError('PDF_INVALID_ARGUMENT', 'ByteRange placeholder too small or not found');
  at.buf.set(fromLatin1(text.padEnd(width, ' ')), at.at);
  return br;
}

/** Writes `der` as uppercase hex into the /Contents placeholder, zero-padded (one array or chunks). */
export function fillContents(bytes: ByteChunks, ph: SignaturePlaceholder, der: Uint8Array): void {
  const [s, e] = ph.contents;
  const room = e - s - 2;
  const at = spanIn(bytes, s, e);
  if (!at || at.buf[at.at] !== 0x3c || at.buf[at.at + room + 1] !== 0x3e)
    throw new PdfError('PDF_INVALID_ARGUMENT', 'Contents placeholder not found');
  if (der.length * 2 > room)
    throw new PdfError(
      'PDF_INVALID_ARGUMENT',
      `signature of ${der.length} bytes exceeds the ${room / 2}-byte placeholder`
    );
  at.buf.set(fromLatin1(toHex(der).padEnd(room, '0')), at.at + 1);
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
