/**
 * Stream filters (ISO 32000-2 §7.4): FlateDecode and LZWDecode (+ PNG/TIFF predictors §7.4.4.4),
 * RunLengthDecode, ASCIIHexDecode, ASCII85Decode. Decoding happens only on demand, never for the whole file, with an output cap against
 * decompression bombs. Other filters raise `PDF_UNSUPPORTED`.
 */
import { Inflate } from 'fflate';
import { concatBytes, hexValue, isWhite } from './bytes.ts';
import { PdfError } from './errors.ts';
import { lzw, runLength } from './lzw.ts';
import type { PdfDict, PdfObject, PdfStream } from './objects.ts';

export interface DecodeOptions {
  /** Output cap in bytes (default 256 MiB). */
  maxBytes?: number;
  warn?: (msg: string) => void;
}

const DEFAULT_MAX = 256 * 1024 * 1024;

/** Decrypted and fully decoded data of `stream` (all filters in /Filter applied in order). */
export function decodeStream(stream: PdfStream, opts: DecodeOptions = {}): Uint8Array {
  let data = stream.encoded();
  const filters = asList(stream.dict.get('Filter') ?? stream.dict.get('F'));
  const parms = asList(stream.dict.get('DecodeParms') ?? stream.dict.get('DP'));
  for (let i = 0; i < filters.length; i++) {
    const f = filters[i];
    if (f.kind !== 'name') throw new PdfError('PDF_MALFORMED', '/Filter entry is not a name');
    const p = parms[i];
    data = applyFilter(f.name, data, p?.kind === 'dict' ? p : undefined, opts);
  }
  return data;
}

function asList(o: PdfObject | undefined): PdfObject[] {
  if (!o) return [];
  return o.kind === 'array' ? o.items : [o];
}

function applyFilter(name: string, data: Uint8Array, parms: PdfDict | undefined, opts: DecodeOptions): Uint8Array {
  switch (name) {
    case 'FlateDecode':
    case 'Fl':
      return predict(inflate(data, opts), parms);
    case 'ASCIIHexDecode':
    case 'AHx':
      return asciiHex(data);
    case 'ASCII85Decode':
    case 'A85':
      return ascii85(data);
    case 'LZWDecode':
    case 'LZW': {
      const ec = parms?.get('EarlyChange');
      return predict(lzw(data, ec?.kind === 'number' ? ec.value : 1, opts.maxBytes), parms);
    }
    case 'RunLengthDecode':
    case 'RL':
      return runLength(data, opts.maxBytes);
    case 'Crypt':
      return data; // §7.4.10: identity crypt filter; the security handler already decrypted
    default:
      throw new PdfError('PDF_UNSUPPORTED', `stream filter /${name} is not supported`);
  }
}

/** zlib/deflate (RFC 1950/1951) with a size cap; a truncated or corrupt tail yields the bytes decoded so far. */
export function inflate(data: Uint8Array, opts: DecodeOptions = {}): Uint8Array {
  const max = opts.maxBytes ?? DEFAULT_MAX;
  const chunks: Uint8Array[] = [];
  let total = 0;
  let body = data;
  if (data.length >= 2 && (data[0] & 0x0f) === 8 && ((data[0] << 8) | data[1]) % 31 === 0) body = data.subarray(2);
  let done = false;
  const inf = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > max) throw new PdfError('PDF_LIMIT_EXCEEDED', `decoded stream exceeds ${max} bytes`);
    chunks.push(chunk);
    if (final) done = true;
  });
  try {
    const step = 1 << 16;
    for (let i = 0; i < body.length && !done; i += step) inf.push(body.subarray(i, i + step), false);
    if (!done) inf.push(new Uint8Array(0), true);
  } catch (e) {
    if (e instanceof PdfError) throw e;
    if (total === 0 && chunks.length === 0)
      throw new PdfError('PDF_MALFORMED', `FlateDecode failed: ${(e as Error).message}`, { cause: e });
    opts.warn?.(`FlateDecode: corrupt or truncated data, kept ${total} bytes`);
  }
  return concatBytes(chunks);
}

function intParm(parms: PdfDict | undefined, key: string, dflt: number): number {
  const v = parms?.get(key);
  return v?.kind === 'number' && Number.isInteger(v.value) ? v.value : dflt;
}

/** §7.4.4.4 predictor functions (TIFF 2, PNG 10–15) undone. */
export function predict(data: Uint8Array, parms: PdfDict | undefined): Uint8Array {
  const predictor = intParm(parms, 'Predictor', 1);
  if (predictor <= 1) return data;
  const colors = intParm(parms, 'Colors', 1);
  const bpc = intParm(parms, 'BitsPerComponent', 8);
  const columns = intParm(parms, 'Columns', 1);
  if (colors < 1 || colors > 32 || ![1, 2, 4, 8, 16].includes(bpc) || columns < 1 || columns > 1 << 24)
    throw new PdfError('PDF_MALFORMED', 'bad predictor parameters');
  const bpp = Math.max(1, (colors * bpc) >> 3);
  const rowLen = (columns * colors * bpc + 7) >> 3;
  if (predictor === 2) return tiff(data, rowLen, bpp, bpc);
  const rows = Math.floor(data.length / (rowLen + 1));
  const out = new Uint8Array(rows * rowLen);
  let prev = new Uint8Array(rowLen);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)];
    const row = data.subarray(r * (rowLen + 1) + 1, (r + 1) * (rowLen + 1));
    const cur = out.subarray(r * rowLen, (r + 1) * rowLen);
    for (let i = 0; i < rowLen; i++) {
      const left = i >= bpp ? cur[i - bpp] : 0;
      const up = prev[i];
      const ul = i >= bpp ? prev[i - bpp] : 0;
      let v = row[i];
      if (type === 1) v += left;
      else if (type === 2) v += up;
      else if (type === 3) v += (left + up) >> 1;
      else if (type === 4) {
        const p = left + up - ul;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - ul);
        v += pa <= pb && pa <= pc ? left : pb <= pc ? up : ul;
      }
      cur[i] = v & 0xff;
    }
    prev = cur;
  }
  return out;
}

function tiff(data: Uint8Array, rowLen: number, bpp: number, bpc: number): Uint8Array {
  if (bpc !== 8) throw new PdfError('PDF_UNSUPPORTED', 'TIFF predictor supported only for 8 bits per component');
  const out = Uint8Array.from(data);
  for (let r = 0; r + rowLen <= out.length; r += rowLen)
    for (let i = bpp; i < rowLen; i++) out[r + i] = (out[r + i] + out[r + i - bpp]) & 0xff;
  return out;
}

/** §7.4.2 */
export function asciiHex(data: Uint8Array): Uint8Array {
  const out = new Uint8Array((data.length + 1) >> 1);
  let o = 0;
  let hi = -1;
  for (const c of data) {
    if (c === 0x3e) break;
    const v = hexValue(c);
    if (v < 0) continue;
    if (hi < 0) hi = v;
    else {
      out[o++] = (hi << 4) | v;
      hi = -1;
    }
  }
  if (hi >= 0) out[o++] = hi << 4;
  return out.subarray(0, o);
}

/** §7.4.3 */
export function ascii85(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length * 4 + 4);
  let o = 0;
  const group: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const c = data[i];
    if (c === 0x7e) break; // ~>
    if (isWhite(c)) continue;
    if (c === 0x7a && group.length === 0) {
      o += 4; // 'z' = four zero bytes (out is zero-filled)
      continue;
    }
    if (c < 0x21 || c > 0x75) throw new PdfError('PDF_MALFORMED', 'bad ASCII85 character');
    group.push(c - 0x21);
    if (group.length === 5) {
      let v = 0;
      for (const g of group) v = v * 85 + g;
      out[o++] = (v >>> 24) & 0xff;
      out[o++] = (v >>> 16) & 0xff;
      out[o++] = (v >>> 8) & 0xff;
      out[o++] = v & 0xff;
      group.length = 0;
    }
  }
  if (group.length > 1) {
    const n = group.length;
    while (group.length < 5) group.push(84);
    let v = 0;
    for (const g of group) v = v * 85 + g;
    for (let k = 0; k < n - 1; k++) out[o++] = (v >>> (24 - 8 * k)) & 0xff;
  }
  return out.subarray(0, o);
}
