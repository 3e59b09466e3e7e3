/** Byte helpers shared by the lexer, the xref reader and the writer. Latin-1 is the PDF "byte string" view. */

/** Bytes → string, one char per byte (ISO 32000-2 §7.2.2: PDF syntax is 8-bit). */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  if (end - start <= 32) {
    // Tokens (names, numbers) are short: a char loop beats apply() on a fresh subarray by far.
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
    return s;
  }
  let out = '';
  for (let i = start; i < end; i += 8192) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 8192)) as unknown as number[]);
  }
  return out;
}

/** String (chars 0–255) → bytes. Chars above 255 are a programming error and are masked. */
export function fromLatin1(s: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** First index of `needle` in `hay[from, to)`, or -1. */
export function indexOf(hay: Uint8Array, needle: Uint8Array | string, from = 0, to = hay.length): number {
  const n = typeof needle === 'string' ? fromLatin1(needle) : needle;
  const first = n[0];
  const last = Math.min(to, hay.length) - n.length;
  outer: for (let i = Math.max(0, from); i <= last; i++) {
    if (hay[i] !== first) continue;
    for (let j = 1; j < n.length; j++) if (hay[i + j] !== n[j]) continue outer;
    return i;
  }
  return -1;
}

/** Last index of `needle` starting at or before `from` (and not before `min`), or -1. */
export function lastIndexOf(hay: Uint8Array, needle: Uint8Array | string, from = hay.length, min = 0): number {
  const n = typeof needle === 'string' ? fromLatin1(needle) : needle;
  for (let i = Math.min(from, hay.length - n.length); i >= Math.max(0, min); i--) {
    let ok = true;
    for (let j = 0; j < n.length; j++)
      if (hay[i + j] !== n[j]) {
        ok = false;
        break;
      }
    if (ok) return i;
  }
  return -1;
}

/** The parts joined into one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const HEX = '0123456789ABCDEF';
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += HEX[b >> 4] + HEX[b & 15];
  return s;
}

/** Value of one hex digit byte, or -1. */
export function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** ISO 32000-2 §7.2.3: white-space characters. */
export function isWhite(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
}

/** ISO 32000-2 §7.2.3: delimiter characters. */
export function isDelimiter(c: number): boolean {
  return (
    c === 0x28 ||
    c === 0x29 ||
    c === 0x3c ||
    c === 0x3e ||
    c === 0x5b ||
    c === 0x5d ||
    c === 0x7b ||
    c === 0x7d ||
    c === 0x2f ||
    c === 0x25
  );
}

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
