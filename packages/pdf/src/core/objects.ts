/**
 * The PDF object model (ISO 32000-2 §7.3). Every object parsed from a file keeps the byte offsets of its
 * source token(s) in `start`/`end` (end exclusive); objects built in memory have `start = end = -1`.
 * Validators use the offsets to check what a signature covers; the writer never re-encodes old objects.
 */
import { fromLatin1 } from './bytes.ts';
import { decodePdfDoc } from './pdfdoc.ts';

export type PdfObject = PdfNull | PdfBool | PdfNumber | PdfName | PdfString | PdfArray | PdfDict | PdfRef | PdfStream;

/** §7.3.9 */
export class PdfNull {
  readonly kind = 'null';
  constructor(
    public start = -1,
    public end = -1
  ) {}
}

/** §7.3.2 */
export class PdfBool {
  readonly kind = 'bool';
  constructor(
    readonly value: boolean,
    public start = -1,
    public end = -1
  ) {}
}

/** §7.3.3 — `text` is the token as written (e.g. `0010`, `.5`), kept so callers can see the original form. */
export class PdfNumber {
  readonly kind = 'number';
  constructor(
    readonly value: number,
    readonly text: string = formatNumber(value),
    public start = -1,
    public end = -1
  ) {}
  get isInteger(): boolean {
    return !this.text.includes('.');
  }
}

/** §7.3.5 — `name` is the decoded name (after `#xx`), one char per byte, without the leading slash. */
export class PdfName {
  readonly kind = 'name';
  constructor(
    readonly name: string,
    public start = -1,
    public end = -1
  ) {}
  static of(name: string): PdfName {
    return new PdfName(name);
  }
}

/**
 * §7.3.4 — `bytes` is the string value (escapes resolved, hex decoded, decrypted when the file is encrypted);
 * `start`/`end` span the raw token including `(`…`)` or `<`…`>`.
 */
export class PdfString {
  readonly kind = 'string';
  constructor(
    readonly bytes: Uint8Array,
    readonly hex = false,
    public start = -1,
    public end = -1
  ) {}
  static latin1(s: string, hex = false): PdfString {
    return new PdfString(fromLatin1(s), hex);
  }
  /** §7.9.2.2 text string: UTF-16BE (BOM FE FF), UTF-8 (BOM EF BB BF, PDF 2.0) or PDFDocEncoding (§D.2). */
  text(): string {
    const b = this.bytes;
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
      let s = '';
      for (let i = 2; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i] << 8) | b[i + 1]);
      return s;
    }
    if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
      return new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(3));
    }
    return decodePdfDoc(b);
  }
  /** Encode `s` as a text string: PDFDocEncoding if all chars are ASCII, else UTF-16BE with BOM (§7.9.2.2). */
  static text(s: string): PdfString {
    if (/^[\x20-\x7e]*$/.test(s)) return PdfString.latin1(s);
    const out = new Uint8Array(2 + s.length * 2);
    out[0] = 0xfe;
    out[1] = 0xff;
    for (let i = 0; i < s.length; i++) {
      out[2 + 2 * i] = s.charCodeAt(i) >> 8;
      out[3 + 2 * i] = s.charCodeAt(i) & 0xff;
    }
    return new PdfString(out, true);
  }
}

/** §7.3.6 */
export class PdfArray {
  readonly kind = 'array';
  constructor(
    readonly items: PdfObject[] = [],
    public start = -1,
    public end = -1
  ) {}
  get length(): number {
    return this.items.length;
  }
  get(i: number): PdfObject | undefined {
    return this.items[i];
  }
}

/** §7.3.7 — keys are decoded names without the slash; insertion order is kept. */
export class PdfDict {
  readonly kind = 'dict';
  readonly map: Map<string, PdfObject>;
  constructor(
    entries?: Iterable<[string, PdfObject]>,
    public start = -1,
    public end = -1
  ) {
    this.map = new Map(entries);
  }
  get(key: string): PdfObject | undefined {
    return this.map.get(key);
  }
  set(key: string, value: PdfObject): this {
    this.map.set(key, value);
    return this;
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
  delete(key: string): boolean {
    return this.map.delete(key);
  }
  keys(): string[] {
    return [...this.map.keys()];
  }
  /** Shallow copy (values shared), offsets dropped: the starting point for an updated object. */
  clone(): PdfDict {
    return new PdfDict(this.map);
  }
}

/** §7.3.10 indirect reference `num gen R`. */
export class PdfRef {
  readonly kind = 'ref';
  constructor(
    readonly num: number,
    readonly gen: number = 0,
    public start = -1,
    public end = -1
  ) {}
  get key(): string {
    return `${this.num} ${this.gen}`;
  }
  equals(o: PdfRef): boolean {
    return o.num === this.num && o.gen === this.gen;
  }
  toString(): string {
    return `${this.num} ${this.gen} R`;
  }
}

/**
 * §7.3.8 stream. For parsed streams `raw` is a view into the file (no copy) spanning `dataStart..dataEnd`,
 * still encrypted and encoded; `decrypt` is attached by an encrypted file. For new streams `raw` holds the
 * bytes to write (already encoded as `dict /Filter` says).
 */
export class PdfStream {
  readonly kind = 'stream';
  decrypt?: (raw: Uint8Array) => Uint8Array;
  constructor(
    readonly dict: PdfDict,
    readonly raw: Uint8Array,
    public dataStart = -1,
    public dataEnd = -1,
    public start = -1,
    public end = -1
  ) {}
  /** The stream data as filtered in the file, decrypted if needed (not yet decoded). */
  encoded(): Uint8Array {
    return this.decrypt ? this.decrypt(this.raw) : this.raw;
  }
}

/** Shortest decimal form without exponent (§7.3.3: reals have no exponent), at most 10 fraction digits. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '0';
  if (Number.isInteger(n)) return String(n);
  let s = n.toFixed(10).replace(/0+$/, '').replace(/\.$/, '');
  if (s === '-0') s = '0';
  return s;
}

// Convenience constructors, for terse object building in callers and tests.
export const name = (n: string): PdfName => new PdfName(n);
export const num = (n: number): PdfNumber => new PdfNumber(n);
export const ref = (n: number, g = 0): PdfRef => new PdfRef(n, g);
export const arr = (...items: PdfObject[]): PdfArray => new PdfArray(items);
export const str = (s: string): PdfString => PdfString.text(s);
export const bool = (b: boolean): PdfBool => new PdfBool(b);
export const nul = (): PdfNull => new PdfNull();
export function dict(entries: Record<string, PdfObject | undefined>): PdfDict {
  const d = new PdfDict();
  for (const [k, v] of Object.entries(entries)) if (v !== undefined) d.set(k, v);
  return d;
}
