// Test-only: openssl as an independent judge of what this package produces.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `openssl cms -verify -binary` of a detached CMS over `content`, trusting `rootPem`; throws when openssl refuses. */
export function opensslCmsVerify(cms: Uint8Array, content: Uint8Array, rootPem: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'inkan-openssl-cms-'));
  writeFileSync(join(dir, 'sig.der'), cms);
  writeFileSync(join(dir, 'content.bin'), content);
  writeFileSync(join(dir, 'root.pem'), rootPem);
  execFileSync(
    'openssl',
    [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      join(dir, 'sig.der'),
      '-content',
      join(dir, 'content.bin'),
      '-CAfile',
      join(dir, 'root.pem'),
      '-purpose',
      'any',
      '-out',
      '/dev/null'
    ],
    { stdio: 'pipe' }
  );
}
