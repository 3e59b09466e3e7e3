/**
 * One cross-reference section: a classic table with its trailer (ISO 32000-2 §7.5.4, §7.5.5) or a
 * cross-reference stream (§7.5.8), plus the hybrid /XRefStm companion (§7.5.8.4).
 */
import { PdfError } from '../core/errors.ts';
import { decodeStream } from '../core/filters.ts';
import { isKeywordAt, readUint, skipWs } from '../core/lexer.ts';
import { PdfDict, type PdfStream } from '../core/objects.ts';
import { parseIndirect, parseObject } from '../core/parser.ts';

/** §7.5.4 / §7.5.8.3 entry types: 0 free, 1 in use at a byte offset, 2 compressed in an object stream. */
export type XrefEntry =
  | { type: 0; num: number; gen: number }
  | { type: 1; num: number; gen: number; offset: number }
  | { type: 2; num: number; gen: 0; stream: number; index: number };

export interface XrefSection {
  kind: 'table' | 'stream';
  /** Offset of the `xref` keyword or of the xref stream's `N G obj`, as found in the file. */
  offset: number;
  /** Offset just after the trailer dictionary (table) or `endobj` (stream). */
  end: number;
  entries: Map<number, XrefEntry>;
  /** The trailer dictionary (for a stream section: the stream dictionary). */
  trailer: PdfDict;
  /** Object number of the xref stream itself (stream sections only). */
  streamNum?: number;
  /** Hybrid files: the section read from the trailer's /XRefStm offset. */
  xrefStm?: XrefSection;
  /** True when the table had fewer entries than its subsection header claimed (read up to `trailer`). */
  damaged?: boolean;
}

/** Upper bound on entries per section, against `0 999999999` subsection headers. */
const MAX_ENTRIES = 10_000_000;

/** Reads the section at `pos`; throws `PDF_MALFORMED` if there is none. */
export function readSection(b: Uint8Array, pos: number, warn: (m: string) => void): XrefSection {
  const p = skipWs(b, pos);
  if (isKeywordAt(b, p, 'xref')) return readTable(b, p, warn);
  return readStreamSection(b, p, warn);
}

function readTable(b: Uint8Array, pos: number, warn: (m: string) => void): XrefSection {
  const entries = new Map<number, XrefEntry>();
  let p = skipWs(b, pos + 4);
  let damaged = false;
  outer: for (;;) {
    const s = readUint(b, p);
    if (!s) break;
    const q = skipWs(b, s[1]);
    const c = readUint(b, q);
    if (!c) break;
    let first = s[0];
    const count = c[0];
    if (count > MAX_ENTRIES || first > MAX_ENTRIES)
      throw new PdfError('PDF_LIMIT_EXCEEDED', 'xref subsection too large');
    p = skipWs(b, c[1]);
    for (let i = 0; i < count; i++) {
      const fast = fixedEntry(b, p);
      if (fast >= 0 && !(i === 0 && first === 1)) {
        // §7.5.4 fixed 20-byte entry, parsed without allocation (hot path for files with many objects)
        const num = first + i;
        const gen = fast % 100000;
        if (!entries.has(num))
          entries.set(
            num,
            b[p + 17] === 0x6e ? { type: 1, num, gen, offset: Math.floor(fast / 100000) } : { type: 0, num, gen }
          );
        p = skipWs(b, p + 18);
        continue;
      }
      const o = readUint(b, p);
      if (!o && isKeywordAt(b, p, 'trailer')) {
        warn(`xref subsection ${first} ${count} ends after ${i} entries`);
        damaged = true;
        break outer;
      }
      if (!o) throw new PdfError('PDF_MALFORMED', `xref table entry ${first + i} unreadable at ${p}`);
      const g = readUint(b, skipWs(b, o[1]));
      if (!g) throw new PdfError('PDF_MALFORMED', `xref table entry ${first + i} has no generation`);
      const tp = skipWs(b, g[1]);
      const t = b[tp];
      if (t !== 0x6e && t !== 0x66) throw new PdfError('PDF_MALFORMED', `xref table entry ${first + i} is not n/f`);
      p = skipWs(b, tp + 1);
      // A frequent producer bug (pdf.js handles it too): subsection "1 n" that really starts with object 0.
      if (i === 0 && first === 1 && t === 0x66 && o[0] === 0 && g[0] === 65535) {
        first = 0;
        warn('xref subsection starts at 1 but its first entry is the free head of object 0; read as 0');
      }
      const num = first + i;
      if (entries.has(num)) continue;
      entries.set(num, t === 0x6e ? { type: 1, num, gen: g[0], offset: o[0] } : { type: 0, num, gen: g[0] });
    }
  }
  if (!isKeywordAt(b, p, 'trailer')) throw new PdfError('PDF_MALFORMED', `xref table at ${pos} has no trailer`);
  const [trailer, end] = parseObject(b, p + 7);
  if (trailer.kind !== 'dict') throw new PdfError('PDF_MALFORMED', 'trailer is not a dictionary');
  const section: XrefSection = { kind: 'table', offset: pos, end, entries, trailer, damaged };
  const stm = trailer.get('XRefStm');
  if (stm?.kind === 'number') {
    try {
      section.xrefStm = readStreamSection(b, stm.value, warn);
    } catch (e) {
      warn(`hybrid /XRefStm at ${stm.value} unreadable: ${(e as Error).message}`);
    }
  }
  return section;
}

/**
 * `oooooooooo ggggg n` at `p` (10 + 1 + 5 + 1 + 1 bytes, then an EOL byte): offset * 100000 + gen, or -1
 * when the bytes are not exactly in that form.
 */
function fixedEntry(b: Uint8Array, p: number): number {
  if (p + 18 >= b.length || b[p + 10] !== 0x20 || b[p + 16] !== 0x20) return -1;
  const t = b[p + 17];
  if (t !== 0x6e && t !== 0x66) return -1;
  let v = 0;
  for (let k = 0; k < 16; k++) {
    if (k === 10) continue;
    const d = b[p + k] - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function readStreamSection(b: Uint8Array, pos: number, warn: (m: string) => void): XrefSection {
  const obj = parseIndirect(b, pos, () => undefined, warn);
  const st = obj.value;
  if (st.kind !== 'stream') throw new PdfError('PDF_MALFORMED', `no xref section at offset ${pos}`);
  const type = st.dict.get('Type');
  if (type?.kind === 'name' && type.name !== 'XRef')
    throw new PdfError('PDF_MALFORMED', `object at ${pos} is not /XRef`);
  const entries = parseXrefStream(st, warn);
  return { kind: 'stream', offset: obj.start, end: obj.end, entries, trailer: st.dict, streamNum: obj.num };
}

/** §7.5.8.2–3: decodes the /W-wide rows of an xref stream over the /Index ranges. */
export function parseXrefStream(st: PdfStream, warn: (m: string) => void): Map<number, XrefEntry> {
  const w = st.dict.get('W');
  if (w?.kind !== 'array' || w.length < 3) throw new PdfError('PDF_MALFORMED', 'xref stream without /W');
  const widths = w.items.slice(0, 3).map((x) => (x.kind === 'number' ? x.value : -1));
  if (widths.some((x) => !Number.isInteger(x) || x < 0 || x > 8)) throw new PdfError('PDF_MALFORMED', 'bad xref /W');
  const rowLen = widths[0] + widths[1] + widths[2];
  if (rowLen === 0) throw new PdfError('PDF_MALFORMED', 'xref /W sums to zero');
  const data = decodeStream(st, { warn, maxBytes: 64 * 1024 * 1024 });
  const rows = Math.floor(data.length / rowLen);
  const size = st.dict.get('Size');
  const idx = st.dict.get('Index');
  const ranges: number[] = [];
  if (idx?.kind === 'array') for (const x of idx.items) ranges.push(x.kind === 'number' ? x.value : 0);
  else ranges.push(0, size?.kind === 'number' ? size.value : rows);
  const entries = new Map<number, XrefEntry>();
  let row = 0;
  const field = (off: number, width: number): number => {
    let v = 0;
    for (let k = 0; k < width; k++) v = v * 256 + data[off + k];
    return v;
  };
  for (let r = 0; r + 1 < ranges.length; r += 2) {
    const first = ranges[r];
    const count = ranges[r + 1];
    if (!Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 0) break;
    for (let i = 0; i < count && row < rows; i++, row++) {
      const o = row * rowLen;
      const t = widths[0] === 0 ? 1 : field(o, widths[0]);
      const f2 = field(o + widths[0], widths[1]);
      const f3 = field(o + widths[0] + widths[1], widths[2]);
      const num = first + i;
      if (entries.has(num)) continue;
      if (t === 0) entries.set(num, { type: 0, num, gen: f3 });
      else if (t === 1) entries.set(num, { type: 1, num, gen: f3, offset: f2 });
      else if (t === 2) entries.set(num, { type: 2, num, gen: 0, stream: f2, index: f3 });
      // other types: §7.5.8.3 says treat as null reference — leave absent
    }
  }
  if (row < rows) warn(`xref stream has ${rows - row} rows beyond its /Index`);
  return entries;
}
