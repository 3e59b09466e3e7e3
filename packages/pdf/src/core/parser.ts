/**
 * Object parser (ISO 32000-2 §7.3): iterative (explicit stack, bounded depth) so hostile nesting can neither
 * blow the JS stack nor hang. Every object records its source offsets.
 */
import { isDelimiter, isDigit, isWhite, latin1 } from './bytes.ts';
import { PdfError } from './errors.ts';
import { isKeywordAt, readHexString, readLiteralString, readName, readUint, regularEnd, skipWs } from './lexer.ts';
import {
  PdfArray,
  PdfBool,
  PdfDict,
  PdfName,
  PdfNull,
  PdfNumber,
  PdfRef,
  PdfStream,
  PdfString,
  type PdfObject
} from './objects.ts';

/** Maximum nesting of arrays/dictionaries. Real files stay far below; attacks go far above. */
export const MAX_DEPTH = 256;

type Frame = { arr: PdfObject[]; start: number } | { dict: PdfDict; key: string | undefined; start: number };

/** Parses one direct object at `pos` (after optional white-space). Returns the object and its end offset. */
export function parseObject(b: Uint8Array, pos: number): [PdfObject, number] {
  const stack: Frame[] = [];
  const n = b.length;
  for (;;) {
    pos = skipWs(b, pos);
    if (pos >= n) throw new PdfError('PDF_MALFORMED', 'unexpected end of file inside an object');
    const c = b[pos];
    const start = pos;
    let value: PdfObject;
    if (c === 0x5b) {
      if (stack.length >= MAX_DEPTH)
        throw new PdfError('PDF_LIMIT_EXCEEDED', `objects nested deeper than ${MAX_DEPTH}`);
      stack.push({ arr: [], start });
      pos++;
      continue;
    } else if (c === 0x3c && b[pos + 1] === 0x3c) {
      if (stack.length >= MAX_DEPTH)
        throw new PdfError('PDF_LIMIT_EXCEEDED', `objects nested deeper than ${MAX_DEPTH}`);
      stack.push({ dict: new PdfDict(), key: undefined, start });
      pos += 2;
      continue;
    } else if (c === 0x5d) {
      const top = stack.pop();
      if (!top || !('arr' in top)) throw new PdfError('PDF_MALFORMED', `unexpected ] at ${pos}`);
      pos++;
      value = new PdfArray(top.arr, top.start, pos);
    } else if (c === 0x3e && b[pos + 1] === 0x3e) {
      const top = stack.pop();
      if (!top || !('dict' in top)) throw new PdfError('PDF_MALFORMED', `unexpected >> at ${pos}`);
      pos += 2;
      top.dict.start = top.start;
      top.dict.end = pos;
      value = top.dict;
    } else if (c === 0x28) {
      const [bytes, end] = readLiteralString(b, pos);
      pos = end;
      value = new PdfString(bytes, false, start, end);
    } else if (c === 0x3c) {
      const [bytes, end] = readHexString(b, pos);
      pos = end;
      value = new PdfString(bytes, true, start, end);
    } else if (c === 0x2f) {
      const [nm, end] = readName(b, pos);
      pos = end;
      const top = stack[stack.length - 1];
      if (top && 'dict' in top && top.key === undefined) {
        top.key = nm; // a dictionary key: no PdfName object needed
        continue;
      }
      value = new PdfName(nm, start, end);
    } else if (isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) {
      const end = numberEnd(b, pos);
      const ref = isDigit(c) ? tryRef(b, pos, end) : undefined;
      if (ref) {
        value = ref;
        pos = ref.end;
      } else {
        const text = latin1(b, pos, end);
        pos = end;
        value = new PdfNumber(parseNumber(text), text, start, end);
      }
    } else {
      const end = regularEnd(b, pos);
      if (end === pos) throw new PdfError('PDF_MALFORMED', `unexpected byte 0x${c.toString(16)} at ${pos}`);
      const word = latin1(b, pos, end);
      pos = end;
      if (word === 'true' || word === 'false') value = new PdfBool(word === 'true', start, end);
      else if (word === 'null') value = new PdfNull(start, end);
      else throw new PdfError('PDF_MALFORMED', `unexpected keyword "${word.slice(0, 20)}" at ${start}`);
    }
    const top = stack[stack.length - 1];
    if (!top) return [value, pos];
    if ('arr' in top) top.arr.push(value);
    else if (top.key === undefined) {
      if (value.kind !== 'name') throw new PdfError('PDF_MALFORMED', `dictionary key is not a name at ${start}`);
      top.key = value.name;
    } else {
      if (value.kind !== 'null') top.dict.set(top.key, value); // §7.3.7: a null value means "absent"
      top.key = undefined;
    }
  }
}

function numberEnd(b: Uint8Array, pos: number): number {
  let p = pos + 1;
  while (p < b.length && (isDigit(b[p]) || b[p] === 0x2e || b[p] === 0x2d || b[p] === 0x2b)) p++;
  return p;
}

/** Lenient number reading as real-world readers do: `--5`, `1.2.3` and `-` read as best they can. */
function parseNumber(text: string): number {
  const v = Number(text);
  if (Number.isFinite(v)) return v;
  const m = /^([+-]*)(\d*\.?\d*)/.exec(text);
  const f = m ? Number.parseFloat(m[2]) : NaN;
  if (!Number.isFinite(f)) return 0;
  return m![1].includes('-') ? -f : f;
}

/** `num gen R` lookahead after an unsigned integer token `[pos, end)`. */
function tryRef(b: Uint8Array, pos: number, end: number): PdfRef | undefined {
  // allocation-free: this runs for every integer of every parsed object
  let num = 0;
  for (let i = pos; i < end; i++) {
    const d = b[i] - 0x30;
    if (d < 0 || d > 9 || i - pos > 15) return undefined;
    num = num * 10 + d;
  }
  let p = skipWs(b, end);
  if (p === end) return undefined;
  const gs = p;
  let gen = 0;
  while (p < b.length && b[p] >= 0x30 && b[p] <= 0x39 && p - gs < 10) gen = gen * 10 + (b[p++] - 0x30);
  if (p === gs) return undefined;
  if (p < b.length && !isWhite(b[p]) && !isDelimiter(b[p])) return undefined;
  const ge = p;
  p = skipWs(b, p);
  if (p === ge || !isKeywordAt(b, p, 'R')) return undefined;
  return new PdfRef(num, gen, pos, p + 1);
}

/**
 * Object number of a `num gen obj` header at `pos`, or -1. Allocation-free: used to check every xref offset
 * of a file at open time.
 */
export function headerNumAt(b: Uint8Array, pos: number): number {
  let p = pos;
  const n = b.length;
  while (p < n && (b[p] === 0x20 || b[p] === 0x0a || b[p] === 0x0d || b[p] === 0x09 || b[p] === 0x0c || b[p] === 0))
    p++;
  let num = 0;
  const s = p;
  while (p < n && b[p] >= 0x30 && b[p] <= 0x39 && p - s < 12) num = num * 10 + b[p++] - 0x30;
  if (p === s || p >= n || !isWhite(b[p])) return -1;
  while (p < n && isWhite(b[p])) p++;
  const g = p;
  while (p < n && b[p] >= 0x30 && b[p] <= 0x39 && p - g < 6) p++;
  if (p === g) return -1;
  while (p < n && isWhite(b[p])) p++;
  return b[p] === 0x6f && b[p + 1] === 0x62 && b[p + 2] === 0x6a ? num : -1;
}

/** Header `num gen obj` at `pos` (after white-space): returns [num, gen, offset after `obj`] or undefined. */
export function readObjHeader(b: Uint8Array, pos: number): [number, number, number] | undefined {
  const p0 = skipWs(b, pos);
  const a = readUint(b, p0);
  if (!a) return undefined;
  let p = skipWs(b, a[1]);
  if (p === a[1]) return undefined;
  const g = readUint(b, p);
  if (!g) return undefined;
  p = skipWs(b, g[1]);
  if (!(b[p] === 0x6f && b[p + 1] === 0x62 && b[p + 2] === 0x6a)) return undefined;
  return [a[0], g[0], p + 3];
}

export interface IndirectObject {
  num: number;
  gen: number;
  value: PdfObject;
  /** Offset of the `num` token of the header. */
  start: number;
  /** Offset after `endobj` (or after the value when `endobj` is missing). */
  end: number;
}

/**
 * Parses `num gen obj … endobj` at `pos` (§7.3.10), including a stream (§7.3.8). `lengthOf` resolves an
 * indirect /Length; when /Length is missing, wrong or absurd the data runs to the `endstream` keyword and
 * `warn` is told.
 */
export function parseIndirect(
  b: Uint8Array,
  pos: number,
  lengthOf: (r: PdfRef) => number | undefined,
  warn: (msg: string) => void
): IndirectObject {
  const head = readObjHeader(b, pos);
  if (!head) throw new PdfError('PDF_MALFORMED', `no "N G obj" at offset ${pos}`);
  const [num, gen, afterObj] = head;
  const start = skipWs(b, pos);
  let [value, p] = parseObject(b, afterObj);
  p = skipWs(b, p);
  if (value.kind === 'dict' && isKeywordAt(b, p, 'stream')) {
    // §7.3.8.1: `stream` is followed by CRLF or LF; tolerate CR alone and spaces before the EOL.
    let dataStart = p + 6;
    let q = dataStart;
    while (b[q] === 0x20 || b[q] === 0x09) q++;
    if (b[q] === 0x0d || b[q] === 0x0a) dataStart = q;
    if (b[dataStart] === 0x0d) dataStart++;
    if (b[dataStart] === 0x0a) dataStart++;
    const lenObj = value.get('Length');
    let len = lenObj?.kind === 'number' ? lenObj.value : lenObj?.kind === 'ref' ? lengthOf(lenObj) : undefined;
    let dataEnd = -1;
    if (len !== undefined && Number.isInteger(len) && len >= 0 && dataStart + len <= b.length) {
      const q = skipWs(b, dataStart + len);
      if (isKeywordAt(b, q, 'endstream') || isKeywordAt(b, q, 'endobj')) dataEnd = dataStart + len;
    }
    if (dataEnd < 0) {
      // Wrong /Length: the data runs to `endstream`, or to `endobj` when that comes first (a damaged keyword).
      const es = findKeyword(b, 'endstream', dataStart);
      const eo = findKeyword(b, 'endobj', dataStart);
      const stop = es < 0 ? eo : eo < 0 ? es : Math.min(es, eo);
      if (stop < 0) throw new PdfError('PDF_MALFORMED', `stream of object ${num} has no endstream`);
      dataEnd = stop;
      if (b[dataEnd - 1] === 0x0a) dataEnd--;
      if (b[dataEnd - 1] === 0x0d) dataEnd--;
      len = dataEnd - dataStart;
      warn(`object ${num} ${gen}: stream /Length wrong or missing, used endstream (${len} bytes)`);
    }
    p = skipWs(b, dataEnd);
    if (isKeywordAt(b, p, 'endstream')) p = skipWs(b, p + 9);
    const stream = new PdfStream(value, b.subarray(dataStart, dataEnd), dataStart, dataEnd, value.start, p);
    value = stream;
  }
  if (isKeywordAt(b, p, 'endobj')) p += 6;
  return { num, gen, value, start, end: p };
}

/** Offset of the next `word` keyword from `from`, or -1 (plain search, linear in the remaining bytes). */
export function findKeyword(b: Uint8Array, word: string, from: number): number {
  const c0 = word.charCodeAt(0);
  for (let i = b.indexOf(c0, from); i >= 0; i = b.indexOf(c0, i + 1)) {
    let ok = true;
    for (let j = 1; j < word.length; j++)
      if (b[i + j] !== word.charCodeAt(j)) {
        ok = false;
        break;
      }
    if (ok) return i;
  }
  return -1;
}
