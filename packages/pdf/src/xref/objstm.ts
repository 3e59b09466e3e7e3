/** Object streams (ISO 32000-2 §7.5.7): `/N` pairs of `objnum offset`, objects from `/First` on. */
import { PdfError } from '../core/errors.ts';
import { decodeStream } from '../core/filters.ts';
import { readUint, skipWs } from '../core/lexer.ts';
import type { PdfObject, PdfStream } from '../core/objects.ts';
import { parseObject } from '../core/parser.ts';

export class ObjectStream {
  readonly nums: number[] = [];
  private readonly offsets: number[] = [];
  private readonly parsed = new Map<number, PdfObject>();
  private readonly data: Uint8Array;
  private readonly first: number;

  constructor(stream: PdfStream, warn: (m: string) => void) {
    const n = stream.dict.get('N');
    const first = stream.dict.get('First');
    if (n?.kind !== 'number' || first?.kind !== 'number' || n.value < 0 || first.value < 0)
      throw new PdfError('PDF_MALFORMED', 'object stream without /N or /First');
    this.data = decodeStream(stream, { warn, maxBytes: 64 * 1024 * 1024 });
    this.first = first.value;
    let p = 0;
    const count = Math.min(n.value, this.data.length >> 2);
    for (let i = 0; i < count; i++) {
      const a = readUint(this.data, skipWs(this.data, p));
      if (!a) break;
      const o = readUint(this.data, skipWs(this.data, a[1]));
      if (!o) break;
      this.nums.push(a[0]);
      this.offsets.push(o[0]);
      p = o[1];
    }
    if (this.nums.length < n.value) warn(`object stream: /N ${n.value} but ${this.nums.length} headers readable`);
  }

  /** The `index`-th object, checked to be object `num`; undefined when absent or unreadable. */
  get(index: number, num: number): PdfObject | undefined {
    if (this.nums[index] !== num) {
      index = this.nums.indexOf(num);
      if (index < 0) return undefined;
    }
    let v = this.parsed.get(index);
    if (!v) {
      const at = this.first + this.offsets[index];
      if (at >= this.data.length) return undefined;
      v = parseObject(this.data, at)[0];
      this.parsed.set(index, v);
    }
    return v;
  }
}
