/**
 * Speed check of the lazy parser (not a test: no assertions). Times, per fixture of the root bench
 * (bench/fixtures.mjs: 1 KB … 50 MB pdf-lib files): open + catalog + page walk, an incremental update with a
 * signature placeholder, and — as the yardstick — a SHA-256 of the whole file (which signing must do anyway).
 *   npx tsx packages/pdf/bench/parse.bench.ts      (writes packages/pdf/bench/results.md)
 */
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IncrementalUpdate, PdfFile, addSignatureField, fillByteRange, pages, signatureDict } from '../src/index.ts';
// @ts-expect-error plain JS module of the root bench, no types
import { ensureFixtures } from '../../../bench/fixtures.mjs';

const here = dirname(fileURLToPath(import.meta.url));

function best(fn: () => void, runs: number): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

/** A classic-xref file with `n` tiny objects: the xref-heavy extreme (every offset is checked at open). */
function manyObjects(n: number): Uint8Array {
  const parts = ['%PDF-1.7\n'];
  const offsets: number[] = [];
  let len = parts[0].length;
  const bodies = [
    '<</Type/Catalog/Pages 2 0 R>>',
    '<</Type/Pages/Kids[3 0 R]/Count 1>>',
    '<</Type/Page/Parent 2 0 R>>'
  ];
  for (let i = 0; i < n; i++) bodies.push(`<</N ${i}>>`);
  bodies.forEach((body, i) => {
    const s = `${i + 1} 0 obj\n${body}\nendobj\n`;
    offsets.push(len);
    parts.push(s);
    len += s.length;
  });
  parts.push(`xref\n0 ${bodies.length + 1}\n0000000000 65535 f\r\n`);
  for (const o of offsets) parts.push(`${String(o).padStart(10, '0')} 00000 n\r\n`);
  parts.push(`trailer\n<</Size ${bodies.length + 1}/Root 1 0 R>>\nstartxref\n${len}\n%%EOF\n`);
  return new TextEncoder().encode(parts.join(''));
}

async function main(): Promise<void> {
  const rows: string[] = [
    '| file | size | open+catalog+pages | incremental update (sig placeholder) | SHA-256 of file |',
    '|---|---|---|---|---|'
  ];
  const fixtures = (await ensureFixtures()) as { name: string; path: string; size?: number; bytes?: Uint8Array }[];
  fixtures.push({ name: '300k-objects', path: '', bytes: manyObjects(300_000) });
  for (const fx of fixtures) {
    const bytes = fx.bytes ?? new Uint8Array(await readFile(fx.path));
    fx.size = bytes.length;
    const runs = bytes.length > 5e6 ? 3 : 20;
    let n = 0;
    const open = best(() => {
      const f = PdfFile.open(bytes);
      f.catalog();
      n = pages(f).length;
    }, runs);
    const update = best(() => {
      const up = new IncrementalUpdate(PdfFile.open(bytes));
      const sig = up.addSignature(signatureDict(), { contentsSize: 16384 });
      addSignatureField(up, { name: 'Sig', sig });
      const res = up.write();
      fillByteRange(res.bytes, res.signature!);
    }, runs);
    let sha = Infinity;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await globalThis.crypto.subtle.digest('SHA-256', bytes);
      sha = Math.min(sha, performance.now() - t);
    }
    rows.push(
      `| ${fx.name} (${n} pages) | ${(fx.size / 1e6).toFixed(2)} MB | ${open.toFixed(2)} ms | ${update.toFixed(2)} ms | ${sha.toFixed(2)} ms |`
    );
  }
  const text = `# @inkan/pdf parse bench (${new Date().toISOString()}, Node ${process.version})\n\nBest of N runs.\n\n${rows.join('\n')}\n`;
  console.log(text);
  writeFileSync(join(here, 'results.md'), text);
}

void main();
