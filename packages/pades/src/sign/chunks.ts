/**
 * Signed output as chunks (no full-size copies of large documents): every stage appends a revision to what
 * the previous one produced. A later stage has to re-open the file from one array, so its own output starts
 * with a joined copy; `following` puts the earlier chunks back in front, keeping the caller's input first.
 */
import { chunksLength } from '@inkan/pdf';

/** `prev` followed by whatever `next` (the output of a stage run on `prev` joined) appended to it. */
export function following(prev: readonly Uint8Array[], next: readonly Uint8Array[]): Uint8Array[] {
  const n = chunksLength(prev);
  const out = [...prev];
  let at = 0;
  for (const c of next) {
    if (at + c.length > n) out.push(at >= n ? c : c.subarray(n - at));
    at += c.length;
  }
  return out;
}
