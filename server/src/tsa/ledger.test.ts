import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/sqlite.ts';
import { openTrustServices } from '../ca/trust.ts';
import { parseEnv } from '../env.ts';
import { SoftwareKeyStore } from '../keys/index.ts';
import { TsaLedger, type TokenRecord } from './ledger.ts';
import { BuiltinTsa } from './authority.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'inkan-tsa-ledger-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const clock = () => new Date('2026-06-01T00:00:00Z');
const row = (serial: number): TokenRecord => ({
  serial,
  genTime: clock().toISOString(),
  hashAlg: 'SHA-256',
  imprint: serial.toString(16),
  client: 'test'
});

describe('TSA ledger', () => {
  it('never reuses a serial: a restart, even after a crash mid-block, starts above every reserved block', () => {
    const file = join(tempDir(), 'inkan.sqlite');
    let db = openDatabase(file);
    const first = new TsaLedger(db, clock, 10);
    expect([first.nextSerial(), first.nextSerial(), first.nextSerial()]).toEqual([1, 2, 3]);
    // A crash: the process dies without close(); the reservation of 1..10 was synced before serial 1 was used.
    db.close();
    db = openDatabase(file);
    const second = new TsaLedger(db, clock, 10);
    expect(second.nextSerial()).toBe(11);
    for (let i = 0; i < 9; i++) second.nextSerial();
    expect(second.nextSerial()).toBe(21); // the next block, reserved on demand
    expect(db.prepare('SELECT first, last FROM tsa_serial_blocks ORDER BY first').all()).toEqual([
      { first: 1, last: 10 },
      { first: 11, last: 20 },
      { first: 21, last: 30 }
    ]);
    second.close();
    db.close();
  });

  it('starts above serials logged before the blocks existed (an older database)', async () => {
    const db = openDatabase(join(tempDir(), 'inkan.sqlite'));
    db.prepare(
      "INSERT INTO tsa_tokens (serial, gen_time, hash_alg, imprint, client) VALUES (41, 'x', 'SHA-256', 'ab', null)"
    ).run();
    const ledger = new TsaLedger(db, clock);
    expect(ledger.nextSerial()).toBe(42);
    ledger.close();
    db.close();
  });

  it('commits a turn of tokens as one group; each waiter resolves only once its row is stored', async () => {
    const db = openDatabase(join(tempDir(), 'inkan.sqlite'));
    const ledger = new TsaLedger(db, clock);
    const count = () => (db.prepare('SELECT count(*) AS n FROM tsa_tokens').get() as { n: number }).n;
    const waits = Array.from({ length: 50 }, () => ledger.record(row(ledger.nextSerial())));
    expect(count()).toBe(0); // nothing written in the requests' own turn
    const storedWhenReleased: number[] = [];
    await Promise.all(waits.map((w) => w.then(() => storedWhenReleased.push(count()))));
    expect(storedWhenReleased).toEqual(Array(50).fill(50));
    ledger.close();
    db.close();
  });

  it('writes what is still waiting when closed, then takes nothing', async () => {
    const file = join(tempDir(), 'inkan.sqlite');
    const db = openDatabase(file);
    const ledger = new TsaLedger(db, clock);
    const waits = [ledger.record(row(ledger.nextSerial())), ledger.record(row(ledger.nextSerial()))];
    ledger.close();
    await Promise.all(waits);
    expect(
      (db.prepare('SELECT serial FROM tsa_tokens ORDER BY serial').all() as { serial: number }[]).map((r) => r.serial)
    ).toEqual([1, 2]);
    await expect(ledger.record(row(3))).rejects.toThrow('closed');
    expect(() => ledger.nextSerial()).toThrow('closed');
    db.close();
  });

  it('refuses the reply when its row cannot be stored (a duplicate serial)', async () => {
    const db = openDatabase(join(tempDir(), 'inkan.sqlite'));
    const ledger = new TsaLedger(db, clock);
    await ledger.record(row(5));
    await expect(ledger.record(row(5))).rejects.toThrow(/UNIQUE|PRIMARY KEY/);
    ledger.close();
    db.close();
  });
});

describe('built-in TSA under concurrent requests', () => {
  it('gives 300 concurrent requests distinct serials, each logged, across a restart', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'data.txt'), 'x');
    const q = new Uint8Array(execFileSync('openssl', ['ts', '-query', '-data', join(dir, 'data.txt'), '-sha256']));
    const config = parseEnv({ INKAN_DATA_DIR: dir, INKAN_WEB_DIR: dir, INKAN_KEY_PASSPHRASE: 'test' });
    const serials: number[] = [];
    for (let run = 0; run < 2; run++) {
      const db = openDatabase(join(dir, 'inkan.sqlite'));
      const trust = await openTrustServices({
        config,
        db,
        clock,
        keys: new SoftwareKeyStore(join(dir, 'pki'), 'test')
      });
      expect(trust.tsa).toBeInstanceOf(BuiltinTsa);
      const replies = await Promise.all(Array.from({ length: 150 }, () => trust.tsa.respond(q, 'c')));
      for (const r of replies) {
        const f = join(dir, 'r.tsr');
        writeFileSync(f, r);
        const text = execFileSync('openssl', ['ts', '-reply', '-in', f, '-text'], {
          stdio: ['pipe', 'pipe', 'ignore']
        }).toString();
        serials.push(parseInt(/Serial number: 0x([0-9A-F]+)/.exec(text)![1]!, 16));
      }
      trust.close();
      const logged = (db.prepare('SELECT serial FROM tsa_tokens').all() as { serial: number }[]).map((r) => r.serial);
      expect(new Set(logged)).toEqual(new Set(serials));
      db.close();
    }
    expect(new Set(serials).size).toBe(300);
  });
});
