/**
 * Signatures of a document (ISO 32000-2 §12.8.1) and the byte helpers signer and validator share: where
 * /Contents and /ByteRange sit in the file, which bytes a ByteRange covers, the CMS inside /Contents.
 */
import { PdfError } from '../core/errors.ts';
import type { PdfDict, PdfRef } from '../core/objects.ts';
import type { PdfFile } from '../file.ts';
import { formFields } from './fields.ts';

export interface SignatureInfo {
  /** Reference of the signature dictionary (undefined when /V holds it directly). */
  ref?: PdfRef;
  dict: PdfDict;
  /** Fully qualified names of the fields whose /V is this signature (more than one is suspicious). */
  fieldNames: string[];
  fieldRefs: (PdfRef | undefined)[];
  widgetRefs: PdfRef[];
  /** /ByteRange numbers as written (NaN for non-numbers); check them before use. */
  byteRange: number[];
  /** [start, end) of the /ByteRange array token `[ … ]` in the file, or undefined. */
  byteRangeSpan?: [number, number];
  /** /Contents: the CMS DER (hex-decoded, zero padding cut per the DER length) and its token's [start, end). */
  contents?: { bytes: Uint8Array; start: number; end: number; hex: boolean };
  type?: string;
  subFilter?: string;
  /** Index of the newest revision (≤ the one asked for) that (re)defines the signature dictionary object. */
  revision?: number;
  /** True when the dictionary sits in the file bytes (not inside an object stream): offsets are meaningful. */
  offsetsInFile: boolean;
}

/** All signature fields with a signature dictionary as of `revision` (§12.7.5.5), in field order. */
export function signatures(file: PdfFile, revision?: number): SignatureInfo[] {
  const byKey = new Map<string, SignatureInfo>();
  const out: SignatureInfo[] = [];
  for (const f of formFields(file, revision)) {
    if (f.ft !== 'Sig' || !f.terminal || f.value?.kind !== 'dict') continue;
    const raw = f.rawValue;
    const key = raw?.kind === 'ref' ? raw.key : `direct:${f.ref?.key ?? out.length}`;
    let info = byKey.get(key);
    if (!info) {
      info = describe(file, f.value, raw?.kind === 'ref' ? raw : undefined, f.ref, revision);
      byKey.set(key, info);
      out.push(info);
    }
    info.fieldNames.push(f.name);
    info.fieldRefs.push(f.ref);
    for (const w of f.widgets) if (w.ref) info.widgetRefs.push(w.ref);
  }
  return out;
}

function describe(
  file: PdfFile,
  dict: PdfDict,
  ref: PdfRef | undefined,
  holder: PdfRef | undefined,
  revision?: number
) {
  const container = ref ?? holder;
  const loc = container ? file.locate(container.num, revision) : undefined;
  const br = dict.get('ByteRange');
  const brArr = file.resolve(br, revision);
  const c = dict.get('Contents');
  const t = dict.get('Type');
  const sf = dict.get('SubFilter');
  const info: SignatureInfo = {
    ref,
    dict,
    fieldNames: [],
    fieldRefs: [],
    widgetRefs: [],
    byteRange: brArr?.kind === 'array' ? brArr.items.map((x) => (x.kind === 'number' ? x.value : NaN)) : [],
    byteRangeSpan: br?.kind === 'array' && br.start >= 0 ? [br.start, br.end] : undefined,
    contents: c?.kind === 'string' ? { bytes: trimDer(c.bytes), start: c.start, end: c.end, hex: c.hex } : undefined,
    type: t?.kind === 'name' ? t.name : undefined,
    subFilter: sf?.kind === 'name' ? sf.name : undefined,
    offsetsInFile: loc?.type === 1
  };
  if (container) {
    const last = revision ?? file.revisions.length - 1;
    for (let r = last; r >= 0; r--)
      if (file.revisions[r].entries.get(container.num)?.type) {
        info.revision = r;
        break;
      }
  }
  return info;
}

/**
 * Cuts the zero padding after a DER value (X.690 §8.1.3): returns the TLV prefix whose length the header
 * states, or the bytes unchanged when the header is not a plausible definite length.
 */
export function trimDer(b: Uint8Array): Uint8Array {
  if (b.length < 2) return b;
  let len: number;
  let hdr: number;
  if (b[1] < 0x80) {
    len = b[1];
    hdr = 2;
  } else {
    const n = b[1] & 0x7f;
    if (n === 0 || n > 4 || b.length < 2 + n) return b;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[2 + i];
    hdr = 2 + n;
  }
  return hdr + len <= b.length ? b.subarray(0, hdr + len) : b;
}

/**
 * The bytes a /ByteRange covers (§12.8.1), as views into `bytes` (no copy), in order. Throws `PDF_MALFORMED`
 * unless it is an even-length list of non-negative integer pairs inside the file.
 */
export function signedBytes(bytes: Uint8Array, byteRange: readonly number[]): Uint8Array[] {
  if (byteRange.length === 0 || byteRange.length % 2) throw new PdfError('PDF_MALFORMED', '/ByteRange must hold pairs');
  const out: Uint8Array[] = [];
  for (let i = 0; i < byteRange.length; i += 2) {
    const [s, l] = [byteRange[i], byteRange[i + 1]];
    if (!Number.isSafeInteger(s) || !Number.isSafeInteger(l) || s < 0 || l < 0 || s + l > bytes.length)
      throw new PdfError('PDF_MALFORMED', `/ByteRange pair ${s} ${l} is outside the file`);
    out.push(bytes.subarray(s, s + l));
  }
  return out;
}
