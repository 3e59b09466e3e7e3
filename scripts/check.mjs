#!/usr/bin/env node
// `npm run check`: svelte-check (app), tsc per workspace (each package type-checks on its own), eslint, prettier.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const steps = [
  ['svelte-kit', ['sync']],
  ['svelte-check', ['--tsconfig', './tsconfig.json', '--threshold', 'warning', '--fail-on-warnings']],
  ...readdirSync(`${root}packages`).map((p) => ['tsc', ['-p', `packages/${p}`]]),
  ['tsc', ['-p', 'server']],
  ['tsc', ['-p', 'tests']],
  ['eslint', ['--max-warnings', '0', '.']],
  ['prettier', ['--check', '--log-level', 'warn', '.']]
];
let failed = 0;
for (const [cmd, args] of steps) {
  const label = `${cmd} ${args.join(' ')}`;
  const r = spawnSync('npx', [cmd, ...args], { cwd: root, stdio: 'inherit' });
  console.log(`${r.status === 0 ? 'ok  ' : 'FAIL'} ${label}`);
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
