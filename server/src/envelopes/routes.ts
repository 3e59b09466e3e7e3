import { Hono } from 'hono';
import {
  AddKeysRequestSchema,
  AddRevisionRequestSchema,
  CreateEnvelopeRequestSchema,
  SendRequestSchema,
  type Envelope,
  type EventChainVerification
} from '@inkan/protocol';
import { ApiError } from '../errors.ts';
import { appendEvent, listEvents, verifyEvents } from '../audit/log.ts';
import { requireAuth, requireSender, newToken, type AuthEnv } from './auth.ts';
import type { EnvelopeDeps } from './deps.ts';
import { insertEnvelope, insertKeys, listEnvelopeIds, loadEnvelope, setStatus, type EnvelopeQuery } from './repo.ts';
import { addRevision } from './workflow.ts';
import { completionMail } from './mail.ts';
import { mailInvitation } from './invitations.ts';
import { clientIp, parseJson } from './request.ts';

/**
 * `/api/envelopes…`: create (sender), read (sender or the envelope's counterparty), add wrapped keys (sender),
 * append revisions (both, optimistic on the head), send invitations (sender), read the event log (both).
 */
export function envelopeRoutes(deps: EnvelopeDeps): Hono<AuthEnv> {
  const { db, clock } = deps;
  const app = new Hono<AuthEnv>();
  app.use('/envelopes', requireAuth(db, clock));
  app.use('/envelopes/:id/*', async (c, next) => {
    // The counterparty's access routes are open (they carry the signing link's token instead).
    if (/\/access(\/verify)?$/.test(c.req.path)) return next();
    return requireAuth(db, clock)(c, next);
  });
  app.use('/envelopes/:id', requireAuth(db, clock));

  app.post('/envelopes', async (c) => {
    const sender = requireSender(c.get('principal'));
    const body = await parseJson(c, CreateEnvelopeRequestSchema);
    const now = clock();
    const id = db.transaction(() => {
      const id = insertEnvelope(db, sender.senderId, body, now);
      appendEvent(db, { envelopeId: id, type: 'created', at: now, email: sender.email, ip: clientIp(c) });
      return id;
    })();
    return c.json(loadEnvelope(db, id, sender), 201);
  });

  app.get('/envelopes', (c) => {
    const sender = requireSender(c.get('principal'));
    const q = c.req.query();
    const amount = (s: string | undefined) => {
      if (s === undefined || s === '') return undefined;
      if (!/^\d+$/.test(s)) throw new ApiError(400, 'INVALID_REQUEST', `amount filter must be an integer: ${s}`);
      return Number(s);
    };
    const date = (s: string | undefined) => {
      if (s && !/^\d{4}-\d{2}-\d{2}$/.test(s)) throw new ApiError(400, 'INVALID_REQUEST', `not a date: ${s}`);
      return s || undefined;
    };
    const query: EnvelopeQuery = {
      from: date(q.from),
      to: date(q.to),
      counterparty: q.counterparty || undefined,
      minAmount: amount(q.minAmount),
      maxAmount: amount(q.maxAmount)
    };
    return c.json(listEnvelopeIds(db, sender.senderId, query).map((id) => loadEnvelope(db, id, sender)));
  });

  app.get('/envelopes/:id', (c) => {
    const who = c.get('principal');
    const id = c.req.param('id');
    let env = loadEnvelope(db, id, who);
    if (who.kind === 'participant') {
      const now = clock();
      const marked = db.transaction(() => {
        const r = db
          .prepare("UPDATE participants SET status = 'viewed' WHERE id = ? AND status = 'pending'")
          .run(who.participantId);
        if (r.changes === 0) return false;
        appendEvent(db, { envelopeId: id, type: 'viewed', at: now, email: who.email, ip: clientIp(c) });
        return true;
      })();
      if (marked) env = loadEnvelope(db, id, who);
    }
    return c.json(env);
  });

  app.post('/envelopes/:id/keys', async (c) => {
    const sender = requireSender(c.get('principal'));
    const env = loadEnvelope(db, c.req.param('id'), sender);
    if (env.status === 'completed') throw new ApiError(409, 'ENVELOPE_STATE', 'the envelope is completed');
    const body = await parseJson(c, AddKeysRequestSchema);
    db.transaction(() => insertKeys(db, env.id, body.keys, clock()))();
    return c.json(loadEnvelope(db, env.id, sender), 201);
  });

  app.post('/envelopes/:id/revisions', async (c) => {
    const who = c.get('principal');
    const body = await parseJson(c, AddRevisionRequestSchema);
    const { envelope, completed } = addRevision(db, c.req.param('id'), who, body, clock(), clientIp(c));
    if (completed) await notifyCompletion(deps, envelope);
    return c.json(envelope, 201);
  });

  app.post('/envelopes/:id/send', async (c) => {
    const sender = requireSender(c.get('principal'));
    const env = loadEnvelope(db, c.req.param('id'), sender);
    const body = await parseJson(c, SendRequestSchema);
    if (env.status !== 'draft') throw new ApiError(409, 'ENVELOPE_STATE', `the envelope is already ${env.status}`);
    if (!env.head) throw new ApiError(409, 'ENVELOPE_STATE', 'upload the document before sending it');
    const invitees = env.participants.filter((p) => p.role === 'counterparty');
    for (const pid of Object.keys(body.linkSecrets ?? {}))
      if (!invitees.some((p) => p.id === pid))
        throw new ApiError(400, 'INVALID_REQUEST', `linkSecrets names ${pid}, who is not a counterparty here`);
    const tokens = invitees.map((p) => ({ participant: p, ...newToken() }));
    // Mail first, then record: a refused mail leaves the envelope a draft that can be sent again.
    for (const t of tokens)
      await mailInvitation(deps, env, sender, t.participant, t.token, body.linkSecrets?.[t.participant.id]);
    const now = clock();
    db.transaction(() => {
      const fresh = loadEnvelope(db, env.id, sender);
      if (fresh.status !== 'draft')
        throw new ApiError(409, 'ENVELOPE_STATE', `the envelope is already ${fresh.status}`);
      const store = db.prepare('UPDATE participants SET access_token_hash = ? WHERE id = ?');
      for (const t of tokens) store.run(t.hash, t.participant.id);
      setStatus(db, env.id, 'sent', now);
      appendEvent(db, {
        envelopeId: env.id,
        type: 'sent',
        at: now,
        email: sender.email,
        ip: clientIp(c),
        detail: { to: invitees.map((p) => p.email) }
      });
    })();
    return c.json(loadEnvelope(db, env.id, sender));
  });

  app.get('/envelopes/:id/events', (c) => {
    const env = loadEnvelope(db, c.req.param('id'), c.get('principal'));
    return c.json(listEvents(db, env.id));
  });

  // The hash chain recomputed here, for the parties to see that the log they read is the log that was written.
  app.get('/envelopes/:id/events/verify', (c) => {
    const env = loadEnvelope(db, c.req.param('id'), c.get('principal'));
    return c.json(verifyEvents(db, env.id) satisfies EventChainVerification);
  });

  return app;
}

/** Completion mail to every participant; a refused mail is logged, the completion itself stands. */
async function notifyCompletion(deps: EnvelopeDeps, env: Envelope): Promise<void> {
  for (const p of env.participants) {
    const link = p.role === 'sender' ? `${deps.config.publicUrl}/envelopes/${env.id}` : null;
    try {
      await deps.mailer.send(completionMail(env, p, link));
    } catch (e) {
      console.error('[inkan] completion mail failed', p.email, e);
    }
  }
}
