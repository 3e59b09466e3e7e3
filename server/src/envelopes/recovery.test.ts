import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import { ensureRecoveryKey } from './recovery.ts';
import { startTestServer } from './test-kit.ts';
import { errorCode, json } from './fixtures.ts';
import { parseEnv } from '../env.ts';

describe('organisation recovery key', () => {
  it('is generated once per data folder, private half 0600 and matching the public half', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inkan-recovery-'));
    const lines: string[] = [];
    const pub = await ensureRecoveryKey(dir, (l) => lines.push(l));
    expect(pub).toMatch(/^B[A-Za-z0-9_-]{86}$/);
    expect(lines.join()).toMatch(/MOVE .* OFFLINE/);
    expect(await ensureRecoveryKey(dir, (l) => lines.push(l))).toBe(pub);
    expect(lines).toHaveLength(1);
    const privFile = join(dir, 'recovery', 'recovery-private-key.pkcs8.b64url');
    expect(statSync(privFile).mode & 0o777).toBe(0o600);
    const priv = await webcrypto.subtle.importKey(
      'pkcs8',
      Buffer.from(readFileSync(privFile, 'utf8').trim(), 'base64url'),
      { name: 'ECDH', namedCurve: 'P-256' },
      true,
      ['deriveBits']
    );
    const jwk = await webcrypto.subtle.exportKey('jwk', priv);
    const raw = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
    expect(raw.toString('base64url')).toBe(pub);
  });

  it('is served to the app, and refused by configuration when malformed', async () => {
    const pub = await ensureRecoveryKey(mkdtempSync(join(tmpdir(), 'inkan-recovery-')), () => undefined);
    const s = await startTestServer({ recoveryPublicKey: pub });
    expect(await json(await s.call('GET', '/recovery-key'), 200)).toEqual({ publicKey: pub });
    s.close();
    const none = await startTestServer({ mailbox: s.mailbox });
    expect(await errorCode(none.call('GET', '/recovery-key'))).toEqual([404, 'RECOVERY_KEY_MISSING']);
    none.close();
    await s.mailbox.stop();
    expect(() => parseEnv({ INKAN_RECOVERY_PUBLIC_KEY: 'abc' })).toThrow(/INKAN_RECOVERY_PUBLIC_KEY/);
  });
});
