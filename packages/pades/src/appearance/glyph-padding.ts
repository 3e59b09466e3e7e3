/**
 * Works around a subsetting bug in @pdf-lib/fontkit 1.1.1: its TrueType subsetter copies each glyph's
 * bytes as they are and then, when the subset is small, writes a *short* `loca` (offsets / 2, OpenType
 * spec "loca — Index to Location"). Fonts whose glyph records have odd lengths (Noto Sans JP from Google
 * Fonts is one) then lose a byte per glyph and viewers draw most characters as nothing.
 *
 * {@link padGlyphRecords} rewrites the font once so every glyph record has a length divisible by 4 and
 * `loca` is long: the subset's offsets are then always even. Only `glyf`, `loca` and
 * `head.indexToLocFormat` change; glyph outlines are untouched (trailing zero bytes after a glyph
 * description are ignored by TrueType rasterisers).
 */
import { PadesError } from '../errors.ts';

interface TableRecord {
  tag: string;
  offset: number;
  length: number;
}

function readTables(v: DataView): TableRecord[] {
  const n = v.getUint16(4);
  const out: TableRecord[] = [];
  for (let i = 0; i < n; i++) {
    const p = 12 + 16 * i;
    const tag = String.fromCharCode(v.getUint8(p), v.getUint8(p + 1), v.getUint8(p + 2), v.getUint8(p + 3));
    out.push({ tag, offset: v.getUint32(p + 8), length: v.getUint32(p + 12) });
  }
  return out;
}

function checksum(b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < b.length; i += 4)
    sum = (sum + ((b[i] << 24) | ((b[i + 1] ?? 0) << 16) | ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0))) >>> 0;
  return sum;
}

const cache = new WeakMap<Uint8Array, Uint8Array>();

/** A copy of the TrueType font `ttf` whose glyph records are 4-byte aligned (cached per input). */
export function padGlyphRecords(ttf: Uint8Array): Uint8Array {
  const hit = cache.get(ttf);
  if (hit) return hit;
  const v = new DataView(ttf.buffer, ttf.byteOffset, ttf.byteLength);
  const sig = v.getUint32(0);
  if (sig !== 0x00010000 && sig !== 0x74727565) {
    // not TrueType outlines (e.g. CFF 'OTTO'): nothing to pad
    cache.set(ttf, ttf);
    return ttf;
  }
  const tables = readTables(v);
  const get = (tag: string): TableRecord => {
    const t = tables.find((x) => x.tag === tag);
    if (!t) throw new PadesError('PADES_INVALID_ARGUMENT', `font has no '${tag}' table`);
    return t;
  };
  const head = get('head');
  const maxp = get('maxp');
  const loca = get('loca');
  const glyf = get('glyf');
  const longLoca = v.getInt16(head.offset + 50) === 1;
  const numGlyphs = v.getUint16(maxp.offset + 4);
  const offsetAt = (i: number): number =>
    longLoca ? v.getUint32(loca.offset + 4 * i) : v.getUint16(loca.offset + 2 * i) * 2;

  let size = 0;
  for (let i = 0; i < numGlyphs; i++) size += (offsetAt(i + 1) - offsetAt(i) + 3) & ~3;
  const newGlyf = new Uint8Array(size);
  const newLoca = new Uint8Array(4 * (numGlyphs + 1));
  const lv = new DataView(newLoca.buffer);
  let pos = 0;
  for (let i = 0; i < numGlyphs; i++) {
    const [a, b] = [offsetAt(i), offsetAt(i + 1)];
    lv.setUint32(4 * i, pos);
    newGlyf.set(ttf.subarray(glyf.offset + a, glyf.offset + b), pos);
    pos += (b - a + 3) & ~3;
  }
  lv.setUint32(4 * numGlyphs, pos);

  const bodies = tables.map((t) => {
    if (t.tag === 'glyf') return newGlyf;
    if (t.tag === 'loca') return newLoca;
    const body = ttf.slice(t.offset, t.offset + t.length);
    if (t.tag === 'head') {
      const hv = new DataView(body.buffer);
      hv.setInt16(50, 1); // indexToLocFormat = long
      hv.setUint32(8, 0); // checkSumAdjustment: not used by fontkit nor by PDF viewers of a subset
    }
    return body;
  });
  const dirLen = 12 + 16 * tables.length;
  const total = bodies.reduce((n, b) => n + ((b.length + 3) & ~3), dirLen);
  const out = new Uint8Array(total);
  out.set(ttf.subarray(0, 12));
  const ov = new DataView(out.buffer);
  let at = dirLen;
  tables.forEach((t, i) => {
    const p = 12 + 16 * i;
    out.set(ttf.subarray(p, p + 4), p);
    ov.setUint32(p + 4, checksum(bodies[i]));
    ov.setUint32(p + 8, at);
    ov.setUint32(p + 12, bodies[i].length);
    out.set(bodies[i], at);
    at += (bodies[i].length + 3) & ~3;
  });
  cache.set(ttf, out);
  return out;
}
