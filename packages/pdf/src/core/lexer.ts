/** Tokens of ISO 32000-2 §7.2 (lexical conventions) read straight off the file bytes, no copies. */
import { hexValue, isDelimiter, isDigit, isWhite, latin1 } from './bytes.ts';
import { PdfError } from './errors.ts';

/** Skips white-space and comments (§7.2.4) from `pos`; returns the first other offset. */
export function skipWs(b: Uint8Array, pos: number): number {
  const n = b.length;
  while (pos < n) {
    const c = b[pos];
    if (isWhite(c)) pos++;
    else if (c === 0x25) {
      while (pos < n && b[pos] !== 0x0a && b[pos] !== 0x0d) pos++;
    } else break;
  }
  return pos;
}

/** End (exclusive) of the run of regular characters starting at `pos`. */
export function regularEnd(b: Uint8Array, pos: number): number {
  const n = b.length;
  while (pos < n && !isWhite(b[pos]) && !isDelimiter(b[pos])) pos++;
  return pos;
}

/** Reads an unsigned decimal integer at `pos`; returns `[value, end]` or undefined when none is there. */
export function readUint(b: Uint8Array, pos: number): [number, number] | undefined {
  let p = pos;
  let v = 0;
  while (p < b.length && isDigit(b[p]) && p - pos < 16) v = v * 10 + (b[p++] - 0x30);
  if (p === pos) return undefined;
  return [v, p];
}

/** Is the keyword `word` at `pos`, followed by a non-regular character (or EOF)? */
export function isKeywordAt(b: Uint8Array, pos: number, word: string): boolean {
  if (pos + word.length > b.length) return false;
  for (let i = 0; i < word.length; i++) if (b[pos + i] !== word.charCodeAt(i)) return false;
  const after = pos + word.length;
  return after >= b.length || isWhite(b[after]) || isDelimiter(b[after]);
}

/** §7.3.4.2 literal string starting at `(`; returns decoded bytes and the offset after `)`. */
export function readLiteralString(b: Uint8Array, pos: number): [Uint8Array, number] {
  const out: number[] = [];
  let depth = 1;
  let p = pos + 1;
  const n = b.length;
  while (p < n) {
    const c = b[p++];
    if (c === 0x28) {
      depth++;
      out.push(c);
    } else if (c === 0x29) {
      if (--depth === 0) return [Uint8Array.from(out), p];
      out.push(c);
    } else if (c === 0x5c) {
      if (p >= n) break;
      const e = b[p++];
      switch (e) {
        case 0x6e: out.push(0x0a); break; // prettier-ignore
        case 0x72: out.push(0x0d); break; // prettier-ignore
        case 0x74: out.push(0x09); break; // prettier-ignore
        case 0x62: out.push(0x08); break; // prettier-ignore
        case 0x66: out.push(0x0c); break; // prettier-ignore
        case 0x0d: if (b[p] === 0x0a) p++; break; // prettier-ignore
        case 0x0a: break; // prettier-ignore
        default:
          if (e >= 0x30 && e <= 0x37) {
            let v = e - 0x30;
            for (let k = 0; k < 2 && p < n && b[p] >= 0x30 && b[p] <= 0x37; k++) v = v * 8 + (b[p++] - 0x30);
            out.push(v & 0xff);
          } else out.push(e); // \( \) \\ and unknown escapes: the char itself
      }
    } else if (c === 0x0d) {
      if (b[p] === 0x0a) p++;
      out.push(0x0a); // §7.3.4.2: an unescaped EOL is read as LF
    } else out.push(c);
  }
  throw new PdfError('PDF_MALFORMED', `unterminated literal string at ${pos}`);
}

/** §7.3.4.3 hex string starting at `<`; odd digit count pads a final 0. Returns bytes and offset after `>`. */
export function readHexString(b: Uint8Array, pos: number): [Uint8Array, number] {
  const end = b.indexOf(0x3e, pos + 1);
  if (end < 0) throw new PdfError('PDF_MALFORMED', `unterminated hex string at ${pos}`);
  const out = new Uint8Array((end - pos) >> 1);
  let o = 0;
  let hi = -1;
  for (let p = pos + 1; p < end; p++) {
    const v = hexValue(b[p]);
    if (v < 0) continue; // white-space (and junk) ignored
    if (hi < 0) hi = v;
    else {
      out[o++] = (hi << 4) | v;
      hi = -1;
    }
  }
  if (hi >= 0) out[o++] = hi << 4;
  return [out.subarray(0, o), end + 1];
}

/** §7.3.5 name starting at `/`: returns the decoded name (one char per byte) and the end offset. */
export function readName(b: Uint8Array, pos: number): [string, number] {
  const end = regularEnd(b, pos + 1);
  let hasHash = false;
  for (let p = pos + 1; p < end; p++) if (b[p] === 0x23) hasHash = true;
  if (!hasHash) return [latin1(b, pos + 1, end), end];
  let s = '';
  for (let p = pos + 1; p < end; p++) {
    const c = b[p];
    if (c === 0x23 && p + 2 < end + 1 && hexValue(b[p + 1]) >= 0 && hexValue(b[p + 2]) >= 0) {
      s += String.fromCharCode((hexValue(b[p + 1]) << 4) | hexValue(b[p + 2]));
      p += 2;
    } else s += String.fromCharCode(c);
  }
  return [s, end];
}
