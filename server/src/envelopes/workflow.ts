import type { AddRevisionRequest, Envelope, Participant } from '@inkan/protocol';
import type { Db } from '../db/sqlite.ts';
import { ApiError } from '../errors.ts';
import { appendEvent } from '../audit/log.ts';
import type { Principal } from './auth.ts';
import { loadEnvelope, setStatus } from './repo.ts';

/**
 * Lifecycle: draft → sent → signed (every participant signed) → completed (a `finalize` revision, the B-LTA
 * extension). Revisions form a chain: each names the head it extends, checked and written in one SQLite
 * transaction, so of two concurrent uploads on the same head exactly one wins and the other gets 409.
 */
export function addRevision(
  db: Db,
  envelopeId: string,
  who: Principal,
  req: AddRevisionRequest,
  now: Date,
  ip: string | null
): { envelope: Envelope; completed: boolean } {
  return db.transaction(() => {
    const env = loadEnvelope(db, envelopeId, who);
    const me = actingParticipant(env, who);
    if (!db.prepare('SELECT 1 FROM blobs WHERE id = ?').get(req.blob))
      throw new ApiError(404, 'BLOB_NOT_FOUND', `upload blob ${req.blob} first`);
    if (req.previous !== env.head)
      throw new ApiError(
        409,
        'REVISION_CONFLICT',
        `revision ${req.previous ?? '(none)'} is not the current one (${env.head ?? '(none)'}): ` +
          'load the current revision, apply your change on top of it and upload again'
      );
    checkAllowed(env, me, req.action);
    const index = env.revisions.length;
    db.prepare(
      `INSERT INTO revisions (envelope_id, idx, blob, previous, action, participant_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`
    ).run(env.id, index, req.blob, req.previous, req.action, me.id, now.toISOString());
    db.prepare('UPDATE envelopes SET head = ?, updated_at = ? WHERE id = ?').run(req.blob, now.toISOString(), env.id);
    const base = { envelopeId: env.id, at: now, email: me.email, ip };
    appendEvent(db, { ...base, type: 'revision', detail: { index, blob: req.blob, action: req.action } });
    let completed = false;
    if (req.action === 'sign') {
      db.prepare("UPDATE participants SET status = 'signed', signed_at = ? WHERE id = ?").run(now.toISOString(), me.id);
      appendEvent(db, { ...base, type: 'signed', detail: { index, role: me.role, signingType: me.signingType } });
      const unsigned = env.participants.filter((p) => p.id !== me.id && p.status !== 'signed');
      if (unsigned.length === 0) setStatus(db, env.id, 'signed', now);
    } else if (req.action === 'finalize') {
      setStatus(db, env.id, 'completed', now);
      appendEvent(db, { ...base, type: 'completed', detail: { index } });
      completed = true;
    }
    return { envelope: loadEnvelope(db, env.id, who), completed };
  })();
}

function actingParticipant(env: Envelope, who: Principal): Participant {
  const me =
    who.kind === 'sender'
      ? env.participants.find((p) => p.role === 'sender')
      : env.participants.find((p) => p.id === who.participantId);
  if (!me) throw new ApiError(403, 'FORBIDDEN', 'you are not a participant of this envelope');
  return me;
}

function checkAllowed(env: Envelope, me: Participant, action: AddRevisionRequest['action']): void {
  const refuse = (why: string) => {
    throw new ApiError(409, 'ENVELOPE_STATE', why);
  };
  if (env.status === 'completed') refuse('the envelope is completed: no further revisions');
  if (action === 'draft') {
    if (me.role !== 'sender') throw new ApiError(403, 'FORBIDDEN', 'only the sender edits the draft');
    if (env.status !== 'draft') refuse('the document was sent: it can only be signed now');
  } else if (action === 'sign') {
    if (me.status === 'signed') refuse('you have already signed');
    if (me.role === 'counterparty' && env.status !== 'sent') refuse(`the envelope is ${env.status}, not sent`);
    if (env.status === 'signed') refuse('everyone has signed');
  } else if (env.status !== 'signed') refuse('finalize only after everyone has signed');
}
