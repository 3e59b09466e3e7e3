/** Append-only byte buffer that knows the absolute file offset of what it writes. */
import { concatBytes, fromLatin1 } from '../core/bytes.ts';

export class ByteSink {
  private chunks: Uint8Array[] = [];
  private len = 0;
  /** `base` = file offset of the first byte written here (the length of the original file). */
  constructor(readonly base = 0) {}
  /** Absolute file offset of the next byte. */
  get pos(): number {
    return this.base + this.len;
  }
  text(s: string): this {
    return this.bytes(fromLatin1(s));
  }
  bytes(b: Uint8Array): this {
    this.chunks.push(b);
    this.len += b.length;
    return this;
  }
  /** Everything written, preceded by `prefix` (which must be `base` bytes long): one new array. */
  finish(prefix: Uint8Array): Uint8Array<ArrayBuffer> {
    return concatBytes([prefix, ...this.chunks]);
  }
  /** Everything written, in one new array (file offset `base`); the prefix is left where it is. */
  finishTail(): Uint8Array<ArrayBuffer> {
    return concatBytes(this.chunks);
  }
}
