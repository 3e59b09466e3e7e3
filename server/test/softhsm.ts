import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

/**
 * A throw-away SoftHSM2 token: its own SOFTHSM2_CONF and token folder, initialised with softhsm2-util.
 * SoftHSM reads SOFTHSM2_CONF when the module is initialised, so set it before opening the store.
 */
export function createSoftHsmToken(label = 'inkan-test'): {
  module: string;
  token: string;
  pin: string;
  cleanup(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'inkan-softhsm-'));
  const tokens = join(dir, 'tokens');
  mkdirSync(tokens);
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  process.env.SOFTHSM2_CONF = conf;
  const pin = '123456';
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', '12345678'], {
    env: { ...process.env, SOFTHSM2_CONF: conf },
    stdio: 'pipe'
  });
  return { module: SOFTHSM_MODULE, token: label, pin, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
