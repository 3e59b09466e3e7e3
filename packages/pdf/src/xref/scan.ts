/**
 * Reconstruction scan for files whose cross-reference data is broken (ISO 32000-2 §7.5.4 gives offsets;
 * when they are wrong, readers — qpdf, pdf.js, pyHanko — rebuild them by finding every `N G obj`).
 * Linear in the file size; no object is parsed here.
 */
import { isDelimiter, isDigit, isWhite } from '../core/bytes.ts';
import { findKeyword } from '../core/parser.ts';

export interface ScannedObject {
  num: number;
  gen: number;
  /** Offset of the `num` token. */
  offset: number;
}

/** Every `N G obj` header in the file, in file order. */
export function scanObjects(b: Uint8Array): ScannedObject[] {
  const found: ScannedObject[] = [];
  for (let i = findKeyword(b, 'obj', 0); i >= 0; i = findKeyword(b, 'obj', i + 3)) {
    const after = b[i + 3];
    if (after !== undefined && !isWhite(after) && !isDelimiter(after)) continue;
    // walk back: ws, gen digits, ws, num digits
    let p = i - 1;
    if (p < 0 || !isWhite(b[p])) continue;
    while (p >= 0 && isWhite(b[p])) p--;
    const genEnd = p + 1;
    while (p >= 0 && isDigit(b[p]) && genEnd - p <= 5) p--;
    const genStart = p + 1;
    if (genStart === genEnd || p < 0 || !isWhite(b[p])) continue;
    while (p >= 0 && isWhite(b[p])) p--;
    const numEnd = p + 1;
    while (p >= 0 && isDigit(b[p]) && numEnd - p <= 10) p--;
    const numStart = p + 1;
    if (numStart === numEnd) continue;
    if (p >= 0 && !isWhite(b[p]) && !isDelimiter(b[p])) continue;
    found.push({ num: digits(b, numStart, numEnd), gen: digits(b, genStart, genEnd), offset: numStart });
  }
  return found;
}

/** Offsets of every `trailer` keyword, last first. */
export function scanTrailers(b: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = findKeyword(b, 'trailer', 0); i >= 0; i = findKeyword(b, 'trailer', i + 7)) out.unshift(i);
  return out;
}

function digits(b: Uint8Array, s: number, e: number): number {
  let v = 0;
  for (let i = s; i < e; i++) v = v * 10 + (b[i] - 0x30);
  return v;
}
