import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** One row of a corpus folder's manifest.json (see ../shared/corpus/README.md). */
export interface CorpusEntry {
  file: string;
  cat: string;
  exp: string;
  what: string;
  basis: string;
}

/**
 * The third-party corpus, found via `INKAN_CORPUS` or `../shared/corpus` beside the repository root.
 * Test-only helper (Node): returns null when absent so tests can skip loudly.
 */
export function corpusDir(): string | null {
  const repoRoot = resolve(import.meta.dirname, '../../../..');
  const dir = process.env.INKAN_CORPUS ?? resolve(repoRoot, '../shared/corpus');
  return existsSync(resolve(dir, 'attacks/manifest.json')) ? dir : null;
}

export function manifest(dir: string, folder: string): CorpusEntry[] {
  return JSON.parse(readFileSync(resolve(dir, folder, 'manifest.json'), 'utf8')) as CorpusEntry[];
}

export function corpusBytes(dir: string, folder: string, file: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(dir, folder, file)));
}
