import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/sqlite.ts';
import { appendEvent, listEvents, verifyEvents } from './log.ts';

function dbWithEnvelope() {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'inkan-audit-')), 'inkan.sqlite'));
  const now = '2026-01-01T00:00:00.000Z';
  db.prepare('INSERT INTO senders VALUES (?, ?, ?, ?)').run('snd_1', 'Sato', 'sato@example.jp', now);
  db.prepare(
    `INSERT INTO envelopes (id, sender_id, title, status, tx_date, tx_counterparty, tx_amount, tx_currency, head,
     created_at, updated_at) VALUES ('env_1', 'snd_1', 'NDA', 'draft', '2026-01-01', 'ACME', 0, 'JPY', NULL, ?, ?)`
  ).run(now, now);
  return db;
}

describe('audit log', () => {
  it('appends hash-chained events and reads them back in order', () => {
    const db = dbWithEnvelope();
    const at = new Date('2026-02-03T04:05:06Z');
    const a = appendEvent(db, { envelopeId: 'env_1', type: 'created', at, email: 'sato@example.jp', ip: '192.0.2.1' });
    const b = appendEvent(db, {
      envelopeId: 'env_1',
      type: 'signed',
      at,
      email: 'sato@example.jp',
      ip: '192.0.2.1',
      detail: { revision: 0 }
    });
    expect(a.seq).toBe(1);
    expect(b.seq).toBe(2);
    expect(a.hash).not.toBe(b.hash);
    expect(listEvents(db, 'env_1')).toEqual([a, b]);
    expect(listEvents(db, 'env_1')[1]).toMatchObject({ type: 'signed', detail: { revision: 0 }, at: at.toISOString() });
    expect(verifyEvents(db, 'env_1')).toEqual({ intact: true, count: 2, headHash: b.hash });
  });

  it('refuses updates and deletes, and detects an edit made behind the triggers', () => {
    const db = dbWithEnvelope();
    const at = new Date('2026-02-03T04:05:06Z');
    for (const type of ['created', 'sent', 'viewed'] as const)
      appendEvent(db, { envelopeId: 'env_1', type, at, email: 'x@example.jp', ip: '192.0.2.9' });
    expect(() => db.prepare("UPDATE events SET ip = '198.51.100.1' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events WHERE seq = 3').run()).toThrow(/append-only/);
    const head = listEvents(db, 'env_1')[2].hash;
    expect(verifyEvents(db, 'env_1')).toEqual({ intact: true, count: 3, headHash: head });
    db.exec('DROP TRIGGER events_append_only_update');
    db.prepare("UPDATE events SET ip = '198.51.100.1' WHERE seq = 2").run();
    expect(verifyEvents(db, 'env_1')).toEqual({ intact: false, count: 3, headHash: head, firstBrokenSeq: 2 });
    db.prepare("UPDATE events SET ip = '192.0.2.9' WHERE seq = 2").run();
    expect(verifyEvents(db, 'env_1').intact).toBe(true);
    db.prepare("UPDATE events SET detail = '{not json' WHERE seq = 1").run();
    expect(verifyEvents(db, 'env_1')).toMatchObject({ intact: false, firstBrokenSeq: 1 });
  });

  it('detects a row removed from the middle and is intact (count 0) for an empty log', () => {
    const db = dbWithEnvelope();
    const at = new Date('2026-02-03T04:05:06Z');
    expect(verifyEvents(db, 'env_1')).toEqual({ intact: true, count: 0, headHash: null });
    for (const type of ['created', 'sent', 'viewed'] as const)
      appendEvent(db, { envelopeId: 'env_1', type, at, email: 'x@example.jp', ip: '192.0.2.9' });
    db.exec('DROP TRIGGER events_append_only_delete');
    db.prepare('DELETE FROM events WHERE seq = 2').run();
    expect(verifyEvents(db, 'env_1')).toMatchObject({ intact: false, count: 2, firstBrokenSeq: 3 });
  });
});
