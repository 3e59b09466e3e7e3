import { createHash } from 'node:crypto';
import type { Db } from '../db/sqlite.ts';
import type { EnvelopeEvent, EnvelopeEventType, EventChainVerification } from '@inkan/protocol';

/**
 * Append-only, hash-chained audit log of an envelope (table `events`, migration env-001; triggers refuse UPDATE
 * and DELETE). Each event's hash covers the previous hash and its own fields, so a row edited or removed
 * behind the database's back breaks `verifyEvents`.
 */
export interface NewEvent {
  envelopeId: string;
  type: EnvelopeEventType;
  at: Date;
  email: string | null;
  ip: string | null;
  detail?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);

function eventHash(prev: string, e: Omit<EnvelopeEvent, 'hash'>, envelopeId: string): string {
  const canonical = JSON.stringify([envelopeId, e.seq, e.type, e.at, e.email, e.ip, e.detail]);
  return createHash('sha256').update(prev).update(canonical).digest('hex');
}

interface Row {
  seq: number;
  type: EnvelopeEventType;
  at: string;
  email: string | null;
  ip: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

/** Appends one event; call inside the transaction that makes the change it records. */
export function appendEvent(db: Db, e: NewEvent): EnvelopeEvent {
  const last = db
    .prepare('SELECT seq, hash FROM events WHERE envelope_id = ? ORDER BY seq DESC LIMIT 1')
    .get(e.envelopeId) as { seq: number; hash: string } | undefined;
  const event = {
    seq: (last?.seq ?? 0) + 1,
    type: e.type,
    at: e.at.toISOString(),
    email: e.email,
    ip: e.ip,
    detail: e.detail ?? {}
  };
  const prev = last?.hash ?? GENESIS;
  const hash = eventHash(prev, event, e.envelopeId);
  db.prepare(
    `INSERT INTO events (envelope_id, seq, type, at, email, ip, detail, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
  ).run(e.envelopeId, event.seq, event.type, event.at, event.email, event.ip, JSON.stringify(event.detail), prev, hash);
  return { ...event, hash };
}

export function listEvents(db: Db, envelopeId: string): EnvelopeEvent[] {
  const rows = db
    .prepare('SELECT seq, type, at, email, ip, detail, prev_hash, hash FROM events WHERE envelope_id = ? ORDER BY seq')
    .all(envelopeId) as Row[];
  return rows.map((r) => ({
    seq: r.seq,
    type: r.type,
    at: r.at,
    email: r.email,
    ip: r.ip,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    hash: r.hash
  }));
}

/**
 * Recomputes the chain from the genesis hash: `intact` when every event's `prev_hash` is the previous event's hash,
 * its hash covers its own fields, and the sequence has no gap. `firstBrokenSeq` names the first event that fails
 * (an edited field, a removed or re-ordered row, a detail that is no longer JSON). `headHash` is the stored hash
 * of the last event: a party that noted it earlier can tell when the log was cut short or rewritten from some
 * point on, which a chain alone cannot show.
 */
export function verifyEvents(db: Db, envelopeId: string): EventChainVerification {
  const rows = db
    .prepare('SELECT seq, type, at, email, ip, detail, prev_hash, hash FROM events WHERE envelope_id = ? ORDER BY seq')
    .all(envelopeId) as Row[];
  const result: EventChainVerification = { intact: true, count: rows.length, headHash: rows.at(-1)?.hash ?? null };
  let prev = GENESIS;
  let expectSeq = 1;
  for (const r of rows) {
    if (r.seq !== expectSeq || r.prev_hash !== prev || recomputed(prev, r, envelopeId) !== r.hash)
      return { ...result, intact: false, firstBrokenSeq: r.seq };
    prev = r.hash;
    expectSeq++;
  }
  return result;
}

function recomputed(prev: string, r: Row, envelopeId: string): string | null {
  let detail: Record<string, unknown>;
  try {
    detail = JSON.parse(r.detail) as Record<string, unknown>;
  } catch {
    return null;
  }
  return eventHash(prev, { seq: r.seq, type: r.type, at: r.at, email: r.email, ip: r.ip, detail }, envelopeId);
}
