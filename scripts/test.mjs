#!/usr/bin/env node
// `npm test`: every suite, in order: unit + integration (vitest), then browser journeys (Playwright in
// Debian's Chromium). Refuses to run, naming the missing package, when a system tool the suites need is absent:
// a suite is never skipped silently. Ends with one line `N passed, N failed[, N skipped]`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const tmp = join(root, '.test-tmp');
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });

const which = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const required = [
  ['chromium', () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium'), 'chromium'],
  ['pdfsig', () => which('pdfsig'), 'poppler-utils'],
  ['pdftoppm', () => which('pdftoppm'), 'poppler-utils'],
  ['qpdf', () => which('qpdf'), 'qpdf'],
  ['openssl', () => which('openssl'), 'openssl'],
  ['certutil', () => which('certutil'), 'libnss3-tools'],
  ['mutool', () => which('mutool'), 'mupdf-tools'],
  ['softhsm2-util', () => which('softhsm2-util'), 'softhsm2'],
  ['python3', () => which('python3'), 'python3']
];
const missing = required.filter(([, ok]) => !ok());
if (missing.length) {
  console.error('Missing system tools needed by the test suites:');
  for (const [name, , pkg] of missing) console.error(`  ${name}  (Debian package: ${pkg})`);
  console.error(`Install them: apt-get install -y ${[...new Set(missing.map((m) => m[2]))].join(' ')}`);
  console.error('0 passed, 1 failed');
  process.exit(1);
}

const only = process.argv[2]; // optional: 'unit' or 'e2e'
const run = (cmd, args, env = {}) =>
  spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

let passed = 0;
let failed = 0;
let skipped = 0;
let codes = [];

if (only !== 'e2e') {
  const out = join(tmp, 'vitest.json');
  codes.push(run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]));
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, 'utf8'));
    passed += r.numPassedTests;
    failed +=
      r.numFailedTests +
      (r.numRuntimeErrorTestSuites ?? 0) +
      (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0);
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  } else failed += 1;
}

if (only !== 'unit') {
  codes.push(run('npx', ['vite', 'build', '--logLevel', 'warn']));
  const out = join(tmp, 'playwright.json');
  codes.push(run('npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out }));
  if (existsSync(out)) {
    const s = JSON.parse(readFileSync(out, 'utf8')).stats;
    passed += s.expected + (s.flaky ?? 0);
    failed += s.unexpected;
    skipped += s.skipped;
  } else failed += 1;
}

if (failed === 0 && codes.some((c) => c !== 0)) failed = 1; // a runner failed outside any test
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
