/** LZWDecode (ISO 32000-2 §7.4.4) and RunLengthDecode (§7.4.5), the remaining general-purpose filters. */
import { PdfError } from './errors.ts';

class Growable {
  buf = new Uint8Array(1024);
  len = 0;
  constructor(private readonly max: number) {}
  push(b: Uint8Array | number[]): void {
    if (this.len + b.length > this.max)
      throw new PdfError('PDF_LIMIT_EXCEEDED', `decoded stream exceeds ${this.max} bytes`);
    if (this.len + b.length > this.buf.length) {
      const n = new Uint8Array(Math.max(this.buf.length * 2, this.len + b.length));
      n.set(this.buf.subarray(0, this.len));
      this.buf = n;
    }
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** §7.4.4.2: 9–12 bit codes, MSB first; 256 clear, 257 end; /EarlyChange 1 (default) or 0. */
export function lzw(data: Uint8Array, earlyChange = 1, max = 256 * 1024 * 1024): Uint8Array {
  const out = new Growable(max);
  const table: Uint8Array[] = [];
  for (let i = 0; i < 256; i++) table.push(Uint8Array.of(i));
  let next = 258;
  let width = 9;
  let prev: Uint8Array | undefined;
  let bitBuf = 0;
  let bits = 0;
  let pos = 0;
  for (;;) {
    while (bits < width && pos < data.length) {
      bitBuf = ((bitBuf << 8) | data[pos++]) >>> 0;
      bits += 8;
    }
    if (bits < width) break;
    const code = (bitBuf >>> (bits - width)) & ((1 << width) - 1);
    bits -= width;
    bitBuf &= (1 << bits) - 1;
    if (code === 256) {
      next = 258;
      width = 9;
      prev = undefined;
      continue;
    }
    if (code === 257) break;
    let entry: Uint8Array;
    if (code < next && (code < 256 || code > 257)) entry = table[code];
    else if (code === next && prev) entry = concat1(prev, prev[0]);
    else break; // corrupt: keep what was decoded
    if (prev && next < 4096) {
      table[next++] = concat1(prev, entry[0]);
      if (next + earlyChange >= 1 << width && width < 12) width++;
    }
    out.push(entry);
    prev = entry;
  }
  return out.result();
}

function concat1(a: Uint8Array, b: number): Uint8Array {
  const r = new Uint8Array(a.length + 1);
  r.set(a);
  r[a.length] = b;
  return r;
}

/** §7.4.5 */
export function runLength(data: Uint8Array, max = 256 * 1024 * 1024): Uint8Array {
  const out = new Growable(max);
  for (let i = 0; i < data.length;) {
    const l = data[i++];
    if (l === 128) break;
    if (l < 128) {
      out.push(data.subarray(i, i + l + 1));
      i += l + 1;
    } else {
      out.push(new Array<number>(257 - l).fill(data[i++] ?? 0));
    }
  }
  return out.result();
}
