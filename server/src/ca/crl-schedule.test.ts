import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openssl, startTrustRig } from '../../test/trust-kit.ts';
import { CrlSchedule } from './crl-schedule.ts';

const dir = mkdtempSync(join(tmpdir(), 'inkan-crl-schedule-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

describe('CRL on a schedule', () => {
  it('signs a fresh CRL once half the old one has run, with nobody asking; stops on close', async () => {
    let now = new Date('2026-06-01T00:00:00Z');
    const rig = await startTrustRig('software', { env: { INKAN_CRL_REFRESH_MS: '1000' }, clock: () => now });
    const crlNumber = () =>
      (rig.db.prepare("SELECT value FROM ca_state WHERE key = 'crl_number'").get() as { value: string } | undefined)
        ?.value;
    const stored = async (name: string) => {
      const res = await rig.app.request('/api/ca/crl');
      const f = join(dir, name);
      writeFileSync(f, new Uint8Array(await res.arrayBuffer()));
      return (await openssl(['crl', '-inform', 'DER', '-in', f, '-noout', '-text'])).out;
    };
    try {
      expect(await stored('first.crl')).toContain('Last Update: Jun  1 00:00:00 2026 GMT');
      expect(crlNumber()).toBe('1');
      await sleep(1300); // a tick with the clock unchanged: the CRL is not due, nothing is signed
      expect(crlNumber()).toBe('1');
      now = new Date('2026-06-01T12:30:00Z'); // past half of the 24 h validity
      for (let i = 0; i < 30 && crlNumber() === '1'; i++) await sleep(100);
      expect(crlNumber()).toBe('2');
      // What the next client gets is that scheduled CRL (not one built on its request).
      const text = await stored('second.crl');
      expect(text).toContain('Last Update: Jun  1 12:30:00 2026 GMT');
      expect(crlNumber()).toBe('2');
      expect(rig.trust.crlSchedule.active).toBe(true);
    } finally {
      await rig.close();
    }
    expect(rig.trust.crlSchedule.active).toBe(false);
  });

  it('rebuilds at once on revocation, one build at a time, never storing a CRL that misses a revocation', async () => {
    const rig = await startTrustRig('software');
    const crlNumber = () =>
      (rig.db.prepare("SELECT value FROM ca_state WHERE key = 'crl_number'").get() as { value: string } | undefined)
        ?.value;
    try {
      const [a, b] = await Promise.all([rig.trust.ca.crl(), rig.trust.ca.crl()]);
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
      expect(crlNumber()).toBe('1');
      const serials = (
        rig.db.prepare("SELECT serial FROM ca_certificates WHERE role NOT IN ('root', 'issuing')").all() as {
          serial: string;
        }[]
      ).map((r) => r.serial);
      expect(serials.length).toBeGreaterThanOrEqual(2);
      // Two revocations back to back: the build started by the first is overtaken by the second.
      rig.trust.ca.revoke(serials[0]!, 'superseded');
      rig.trust.ca.revoke(serials[1]!, 'superseded');
      for (let i = 0; i < 50 && crlNumber() === '1'; i++) await sleep(20);
      expect(crlNumber()).toBe('2');
      const f = join(dir, 'revoked.crl');
      writeFileSync(f, await rig.trust.ca.crl());
      const text = (await openssl(['crl', '-inform', 'DER', '-in', f, '-noout', '-text'])).out.toLowerCase();
      for (const s of serials.slice(0, 2)) expect(text).toContain(`serial number: ${s.length % 2 ? '0' + s : s}`);
      expect(crlNumber()).toBe('2');
    } finally {
      await rig.close();
    }
  });

  it('runs one check at a time and reports failures instead of throwing', async () => {
    let calls = 0;
    let release!: () => void;
    const errors: unknown[] = [];
    const schedule = new CrlSchedule(
      {
        crl: () => {
          calls++;
          return new Promise((_, fail) => (release = () => fail(new Error('key store closed'))));
        }
      },
      60_000,
      (e) => errors.push(e)
    );
    const a = schedule.tick();
    const b = schedule.tick();
    expect(calls).toBe(1);
    release();
    await Promise.all([a, b]);
    expect(errors).toHaveLength(1);
    schedule.stop();
    expect(schedule.active).toBe(false);
  });
});
