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

async function main(): Promise<void> {
  const rows: string[] = [
    '| file | size | open+catalog+pages | incremental update (sig placeholder) | SHA-256 of file |',
    '|---|---|---|---|---|'
  ];
  for (const fx of (await ensureFixtures()) as { name: string; path: string; size: number }[]) {
    const bytes = new Uint8Array(await readFile(fx.path));
    const runs = fx.size > 5e6 ? 3 : 20;
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
