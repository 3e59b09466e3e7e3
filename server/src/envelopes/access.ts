import { Hono, type Context } from 'hono';
import {
  AccessRequestSchema,
  AccessVerifyRequestSchema,
  type AccessResponse,
  type AccessVerifyResponse
} from '@inkan/protocol';
import { ApiError } from '../errors.ts';
import { appendEvent } from '../audit/log.ts';
import { createSession, hashToken } from './auth.ts';
import { maskEmail } from './codes.ts';
import { PARTICIPANT_SESSION_MS, type EnvelopeDeps } from './deps.ts';
import { clientIp, parseJson } from './request.ts';
import { RateLimiter, rateLimit } from '../ratelimit/limiter.ts';

interface Invitee {
  id: string;
  email: string;
  status: string;
}

/**
 * The counterparty's way in: the signing link's `t=` token names the invitee, the e-mail code proves they read
 * that mailbox, and only then a session scoped to this one envelope is issued.
 * `POST /api/envelopes/:id/access {token}` mails the code; `…/access/verify {token, code}` returns the session.
 */
export function accessRoutes(deps: EnvelopeDeps): Hono {
  const { db, clock } = deps;
  const app = new Hono();

  const invitee = (envelopeId: string, token: string): Invitee => {
    const row = db
      .prepare(
        `SELECT p.id, p.email, e.status FROM participants p JOIN envelopes e ON e.id = p.envelope_id
         WHERE p.envelope_id = ? AND p.access_token_hash = ?`
      )
      .get(envelopeId, hashToken(token)) as Invitee | undefined;
    if (!row) throw new ApiError(403, 'ACCESS_TOKEN_INVALID', 'this signing link is not valid (or no longer)');
    return row;
  };
  const purpose = (envelopeId: string) => `envelope-access:${envelopeId}`;
  const accessEvent = (c: Context, envelopeId: string, who: Invitee, step: string) =>
    db.transaction(() =>
      appendEvent(db, { envelopeId, type: 'access', at: clock(), email: who.email, ip: clientIp(c), detail: { step } })
    )();

  // Each request mails a code: per envelope, 5 at once, then one per 2 minutes (no mail bombing, no code farming).
  const codeMails = new RateLimiter({ burst: 5, perSecond: 1 / 120, clock: () => clock().getTime() });
  app.post(
    '/envelopes/:id/access',
    rateLimit(codeMails, (c) => `access:${c.req.param('id')}`),
    async (c) => {
      const id = c.req.param('id');
      const body = await parseJson(c, AccessRequestSchema);
      const who = invitee(id, body.token);
      await deps.codes.send(who.email, purpose(id));
      accessEvent(c, id, who, 'code-sent');
      return c.json({ sentTo: maskEmail(who.email) } satisfies AccessResponse);
    }
  );

  app.post('/envelopes/:id/access/verify', async (c) => {
    const id = c.req.param('id');
    const body = await parseJson(c, AccessVerifyRequestSchema);
    const who = invitee(id, body.token);
    const event = (step: string) => accessEvent(c, id, who, step);
    try {
      await deps.codes.verify(who.email, purpose(id), body.code);
    } catch (e) {
      event('code-refused');
      throw e;
    }
    const now = clock();
    const expiresAt = new Date(now.getTime() + PARTICIPANT_SESSION_MS);
    const token = db.transaction(() => {
      const t = createSession(db, { participantId: who.id }, now, expiresAt);
      event('granted');
      return t;
    })();
    return c.json({
      token,
      envelopeId: id,
      participantId: who.id,
      expiresAt: expiresAt.toISOString()
    } satisfies AccessVerifyResponse);
  });

  return app;
}
