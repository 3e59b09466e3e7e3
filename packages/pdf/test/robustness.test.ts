/**
 * Mutation robustness: damaged variants of valid files must open or fail with a PdfError — never a
 * TypeError/RangeError, never a hang. Deterministic (seeded) so a failure is reproducible.
 */
import { describe, expect, it } from 'vitest';
import { PdfError, PdfFile, formFields, pages, signatures, type PdfObject } from '../src/index.ts';
import { makePdf, qpdfEncrypt } from './helpers.ts';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  const b = Array.from(src);
  const n = 1 + Math.floor(rnd() * 4);
  const junk = '0123456789 <>[]()/R obj endobj stream endstream xref trailer startxref %%EOF\n\r-+.#\\';
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * b.length);
    const op = Math.floor(rnd() * 5);
    if (op === 0) b[at] = junk.charCodeAt(Math.floor(rnd() * junk.length));
    else if (op === 1) b.splice(at, Math.floor(rnd() * 64));
    else if (op === 2) b.splice(at, 0, ...b.slice(Math.max(0, at - 50), at));
    else if (op === 3) b.length = at;
    else b[at] = Math.floor(rnd() * 256);
  }
  return Uint8Array.from(b);
}

/** Opens and walks `bytes`; true when it opened. Throws anything that is not a PdfError. */
function exercise(bytes: Uint8Array, password?: string): boolean {
  let f: PdfFile;
  try {
    f = PdfFile.open(bytes, { password, recoverUnlinked: bytes.length % 2 === 0 }); // both modes, deterministically
  } catch (e) {
    if (!(e instanceof PdfError)) throw e;
    return false;
  }
  const attempt = (fn: () => unknown): void => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof PdfError)) throw e;
    }
  };
  attempt(() => pages(f));
  attempt(() => formFields(f));
  attempt(() => signatures(f));
  for (let n = 1; n < Math.min(f.nextObjectNumber(), 200); n++)
    attempt(() => {
      const o: PdfObject | undefined = f.get(n);
      if (o?.kind === 'stream') f.decode(o, 1 << 20);
    });
  return true;
}

describe('damaged files fail with PdfError only', async () => {
  const plain = await makePdf(2);
  // [label, bytes, password, iterations] — AES-256 key derivation is deliberately slow, so fewer rounds.
  const fixtures: [string, Uint8Array, string | undefined, number][] = [
    ['classic xref', plain, undefined, 200],
    ['xref stream + object streams', await makePdf(2, { objectStreams: true }), undefined, 200],
    ['AES-256 encrypted', qpdfEncrypt(plain, 'u', 'o', 256), 'u', 20],
    ['RC4 encrypted', qpdfEncrypt(plain, 'u', 'o', 128, false), 'u', 100]
  ];

  for (const [label, bytes, pw, rounds] of fixtures) {
    it(label, () => {
      const rnd = prng(label.length * 7919);
      let opened = 0;
      for (let i = 0; i < rounds; i++) {
        const m = mutate(bytes, rnd);
        let ok = false;
        expect(() => (ok = exercise(m, pw)), `mutation ${i}`).not.toThrow();
        if (ok) opened++;
      }
      expect(opened).toBeGreaterThan(0);
    });
  }
});
