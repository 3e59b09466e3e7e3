// npm run bench: runs every bench/*.bench.mjs in turn, each in its own Node process with tsx (so benches can
// import the workspace packages' TypeScript sources). Each bench writes its results to bench/results/*.md.
//   npm run bench                 all benches
//   npm run bench -- signing      bench/signing.bench.mjs (an exact name wins)
//   npm run bench -- sign         every bench whose name contains "sign" (signing and browser-signing)
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv[2] ?? '';
const all = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort();
const exact = all.filter((f) => f === `${filter}.bench.mjs`);
const benches = exact.length ? exact : all.filter((f) => f.includes(filter));
if (benches.length === 0) {
  console.error(`no bench/*.bench.mjs matches "${filter}"`);
  process.exit(1);
}
let failed = 0;
for (const b of benches) {
  console.log(`\n=== bench/${b}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join('bench', b)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`bench/${b} failed (exit ${r.status ?? r.signal})`);
  }
}
process.exit(failed ? 1 : 0);
