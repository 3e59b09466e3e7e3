import type { Bytes } from './bytes.ts';

/** Anything a document's bytes can come from: a fetch body, a File's `stream()`, an async generator, an array. */
export type ByteSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/**
 * Iterates any byte source. ReadableStreams are read with a reader (not every browser makes them async
 * iterable); stopping early cancels the stream.
 */
export async function* iterate(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (typeof (source as ReadableStream).getReader === 'function') {
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    let done = false;
    try {
      for (;;) {
        const r = await reader.read();
        if (r.done) {
          done = true;
          return;
        }
        yield r.value;
      }
    } finally {
      if (!done) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  }
  yield* source as AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}

/**
 * Re-cuts a byte stream into pieces of exactly `size` bytes (the last one may be shorter, or absent for an
 * empty source). Holds at most one piece plus one incoming buffer: memory stays bounded by the piece size.
 * Each call of `next(size)` may ask for a different size (the header, then chunks).
 */
export class ExactReader {
  private readonly it: AsyncIterator<Uint8Array>;
  private rest: Uint8Array = new Uint8Array(0);
  private ended = false;

  constructor(source: ByteSource) {
    this.it = iterate(source)[Symbol.asyncIterator]();
  }

  /** Up to `size` bytes; fewer only at the end of the source; an empty array when it is exhausted. */
  async next(size: number): Promise<Bytes> {
    const out = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      if (this.rest.length === 0) {
        if (this.ended) break;
        const r = await this.it.next();
        if (r.done) {
          this.ended = true;
          break;
        }
        this.rest = r.value;
        continue;
      }
      const take = Math.min(size - filled, this.rest.length);
      out.set(this.rest.subarray(0, take), filled);
      this.rest = this.rest.subarray(take);
      filled += take;
    }
    return filled === size ? out : out.slice(0, filled);
  }

  /** Stops reading early (e.g. after an authentication failure), releasing the source. */
  async close(): Promise<void> {
    this.ended = true;
    this.rest = new Uint8Array(0);
    await this.it.return?.();
  }
}
