import { equalBytes } from './bytes.ts';

/**
 * A small content-keyed cache (bytes compared in full, so a caller mutating its array cannot see a stale
 * entry). Parsing the same certificate for every signature is the hot path of batch signing.
 */
export class BytesMemo<V> {
  private readonly entries: { key: Uint8Array; tag: string; value: V }[] = [];
  constructor(private readonly max = 32) {}

  get(key: Uint8Array, make: () => V, tag = ''): V {
    const hit = this.entries.find((e) => e.tag === tag && equalBytes(e.key, key));
    if (hit) return hit.value;
    const value = make();
    this.entries.unshift({ key: new Uint8Array(key), tag, value }); // a copy (Buffer#slice would be a view)
    if (this.entries.length > this.max) this.entries.pop();
    return value;
  }
}
