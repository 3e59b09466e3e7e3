import type {
  CreateEnvelopeRequest,
  Envelope,
  EnvelopeStatus,
  Participant,
  Revision,
  StoredWrappedKey,
  WrappedKeyJson
} from '@inkan/protocol';
import type { Db } from '../db/sqlite.ts';
import { ApiError } from '../errors.ts';
import type { Principal } from './auth.ts';
import { newId } from './auth.ts';

/** SQL for envelopes, participants, revisions and wrapped keys. Callers wrap multi-step changes in a transaction. */

interface EnvelopeRow {
  id: string;
  sender_id: string;
  title: string;
  status: EnvelopeStatus;
  tx_date: string;
  tx_counterparty: string;
  tx_amount: number;
  tx_currency: string;
  head: string | null;
  created_at: string;
  updated_at: string;
}

interface ParticipantRow {
  id: string;
  role: 'sender' | 'counterparty';
  name: string;
  email: string;
  signing_type: 'jitsuin' | 'keiyakuin';
  fields: string;
  status: Participant['status'];
  signed_at: string | null;
  access_revoked_at: string | null;
}

export function insertEnvelope(db: Db, senderId: string, req: CreateEnvelopeRequest, now: Date): string {
  const id = newId('env');
  const at = now.toISOString();
  const t = req.transaction;
  db.prepare(
    `INSERT INTO envelopes (id, sender_id, title, status, tx_date, tx_counterparty, tx_amount, tx_currency, head,
     created_at, updated_at) VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, NULL, ?, ?)`
  ).run(id, senderId, req.title, t.date, t.counterparty, t.amount, t.currency ?? 'JPY', at, at);
  const insert = db.prepare(
    `INSERT INTO participants (id, envelope_id, position, role, name, email, signing_type, fields, status)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')`
  );
  req.participants.forEach((p, i) =>
    insert.run(newId('par'), id, i, p.role, p.name, p.email, p.signingType, JSON.stringify(p.fields ?? []))
  );
  return id;
}

function envelopeRow(db: Db, id: string): EnvelopeRow {
  const row = db.prepare('SELECT * FROM envelopes WHERE id = ?').get(id) as EnvelopeRow | undefined;
  if (!row) throw new ApiError(404, 'ENVELOPE_NOT_FOUND', `no envelope ${id}`);
  return row;
}

/** Loads an envelope the principal may see; another sender's or another envelope's participant gets 404. */
export function loadEnvelope(db: Db, id: string, who: Principal): Envelope {
  const row = envelopeRow(db, id);
  const visible = who.kind === 'sender' ? row.sender_id === who.senderId : who.envelopeId === id;
  if (!visible) throw new ApiError(404, 'ENVELOPE_NOT_FOUND', `no envelope ${id}`);
  const participants = (
    db.prepare('SELECT * FROM participants WHERE envelope_id = ? ORDER BY position').all(id) as ParticipantRow[]
  ).map((p): Participant => ({
    id: p.id,
    role: p.role,
    name: p.name,
    email: p.email,
    signingType: p.signing_type,
    fields: JSON.parse(p.fields),
    status: p.status,
    signedAt: p.signed_at,
    accessRevokedAt: p.access_revoked_at
  }));
  const revisions = (
    db
      .prepare(
        `SELECT r.idx, r.blob, r.previous, r.action, r.participant_id, r.created_at, b.size
         FROM revisions r JOIN blobs b ON b.id = r.blob WHERE r.envelope_id = ? ORDER BY r.idx`
      )
      .all(id) as {
      idx: number;
      blob: string;
      previous: string | null;
      action: Revision['action'];
      participant_id: string;
      created_at: string;
      size: number;
    }[]
  ).map((r): Revision => ({
    index: r.idx,
    blob: r.blob,
    previous: r.previous,
    action: r.action,
    participantId: r.participant_id,
    size: r.size,
    createdAt: r.created_at
  }));
  const keys = (
    db.prepare('SELECT id, participant_id, key FROM wrapped_keys WHERE envelope_id = ? ORDER BY id').all(id) as {
      id: number;
      participant_id: string | null;
      key: string;
    }[]
  )
    .filter((k) => who.kind === 'sender' || k.participant_id === who.participantId)
    .map((k): StoredWrappedKey => ({ id: k.id, participantId: k.participant_id, key: JSON.parse(k.key) }));
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    transaction: {
      date: row.tx_date,
      counterparty: row.tx_counterparty,
      amount: row.tx_amount,
      currency: row.tx_currency
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    head: row.head,
    participants,
    revisions,
    wrappedKeys: keys
  };
}

export interface EnvelopeQuery {
  from?: string;
  to?: string;
  counterparty?: string;
  minAmount?: number;
  maxAmount?: number;
}

/** The sender's envelopes, filtered by the 電帳法 search keys (date range, counterparty, amount range). */
export function listEnvelopeIds(db: Db, senderId: string, q: EnvelopeQuery): string[] {
  const where = ['sender_id = ?'];
  const args: (string | number)[] = [senderId];
  const add = (clause: string, arg: string | number) => {
    where.push(clause);
    args.push(arg);
  };
  if (q.from) add('tx_date >= ?', q.from);
  if (q.to) add('tx_date <= ?', q.to);
  if (q.counterparty) add("tx_counterparty LIKE ? ESCAPE '\\'", `%${likeEscape(q.counterparty)}%`);
  if (q.minAmount !== undefined) add('tx_amount >= ?', q.minAmount);
  if (q.maxAmount !== undefined) add('tx_amount <= ?', q.maxAmount);
  const sql = `SELECT id FROM envelopes WHERE ${where.join(' AND ')} ORDER BY tx_date DESC, created_at DESC`;
  return (db.prepare(sql).all(...args) as { id: string }[]).map((r) => r.id);
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (ch) => '\\' + ch);
}

export function insertKeys(
  db: Db,
  envelopeId: string,
  keys: { participantId?: string; key: WrappedKeyJson }[],
  now: Date
): void {
  const participants = new Set(
    (db.prepare('SELECT id FROM participants WHERE envelope_id = ?').all(envelopeId) as { id: string }[]).map(
      (r) => r.id
    )
  );
  const insert = db.prepare(
    'INSERT INTO wrapped_keys (envelope_id, participant_id, key, created_at) VALUES (?, ?, ?, ?)'
  );
  for (const k of keys) {
    if (k.participantId !== undefined && !participants.has(k.participantId))
      throw new ApiError(400, 'INVALID_REQUEST', `participant ${k.participantId} is not in this envelope`);
    insert.run(envelopeId, k.participantId ?? null, JSON.stringify(k.key), now.toISOString());
  }
}

export function setStatus(db: Db, envelopeId: string, status: EnvelopeStatus, now: Date): void {
  db.prepare('UPDATE envelopes SET status = ?, updated_at = ? WHERE id = ?').run(status, now.toISOString(), envelopeId);
}

/** Whether `who` may read this blob: the uploader, or anyone who may see an envelope it is a revision of. */
export function mayReadBlob(db: Db, blob: string, who: Principal): boolean {
  const self = who.kind === 'sender' ? who.senderId : who.participantId;
  if (db.prepare('SELECT 1 FROM blobs WHERE id = ? AND uploaded_by = ?').get(blob, self)) return true;
  const sql =
    who.kind === 'sender'
      ? 'SELECT 1 FROM revisions r JOIN envelopes e ON e.id = r.envelope_id WHERE r.blob = ? AND e.sender_id = ?'
      : 'SELECT 1 FROM revisions r WHERE r.blob = ? AND r.envelope_id = ?';
  return !!db.prepare(sql).get(blob, who.kind === 'sender' ? who.senderId : who.envelopeId);
}
