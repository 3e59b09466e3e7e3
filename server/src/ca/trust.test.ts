import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/sqlite.ts';
import { parseEnv } from '../env.ts';
import { createSoftHsmToken } from '../../test/softhsm.ts';
import { openTrustServices } from './trust.ts';

describe('trust services from configuration', () => {
  it('opens the PKCS#11 store named by INKAN_KEY_STORE=pkcs11 and keeps every platform key in the token', async () => {
    const hsm = createSoftHsmToken();
    const dir = mkdtempSync(join(tmpdir(), 'inkan-trust-env-'));
    const config = parseEnv({
      INKAN_DATA_DIR: dir,
      INKAN_KEY_STORE: 'pkcs11',
      INKAN_PKCS11_MODULE: hsm.module,
      INKAN_PKCS11_TOKEN: hsm.token,
      INKAN_PKCS11_PIN: hsm.pin,
      INKAN_WITNESS_KEY_ALG: 'RSA-2048'
    });
    const db = openDatabase(join(dir, 'inkan.sqlite'));
    const trust = await openTrustServices({ config, db, clock: () => new Date() });
    try {
      expect(trust.keys.kind).toBe('pkcs11');
      for (const label of ['ca-root', 'ca-issuing', 'ca-ocsp', 'tsa', 'witness'])
        expect(await (await trust.keys.find(label))!.isExtractable()).toBe(false);
    } finally {
      trust.close();
      db.close();
      hsm.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails fast on an incomplete PKCS#11 configuration or an unknown key algorithm', () => {
    expect(() => parseEnv({ INKAN_KEY_STORE: 'pkcs11', INKAN_PKCS11_MODULE: '/x.so' })).toThrow(/INKAN_PKCS11_PIN/);
    expect(() => parseEnv({ INKAN_CA_KEY_ALG: 'RSA-1024' })).toThrow(/INKAN_CA_KEY_ALG/);
    expect(() => parseEnv({ INKAN_TSA_URLS: 'ftp://x' })).toThrow(/INKAN_TSA_URLS/);
  });
});
