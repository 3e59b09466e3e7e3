import { Hono, type Context } from 'hono';
import { ResendRequestSchema, type Envelope } from '@inkan/protocol';
import { ApiError } from '../errors.ts';
import { appendEvent } from '../audit/log.ts';
import { RateLimiter, rateLimit } from '../ratelimit/limiter.ts';
import { newToken, requireAuth, requireSender, type AuthEnv } from './auth.ts';
import type { EnvelopeDeps } from './deps.ts';
import { invitationMail, signingLink } from './mail.ts';
import { loadEnvelope } from './repo.ts';
import { clientIp, parseJson } from './request.ts';

/**
 * The sender's control over a counterparty's signing link, once the envelope is sent and until it completes:
 * `POST /api/envelopes/:id/participants/:pid/resend {linkSecret?}` issues a fresh access token (the old one is
 * refused from then on) and mails the invitation again; `…/revoke` voids the link and ends the sessions already
 * opened with it. Both are recorded in the event log with time, the sender's e-mail and IP.
 */
export function invitationRoutes(deps: EnvelopeDeps): Hono<AuthEnv> {
  const { db, clock } = deps;
  const app = new Hono<AuthEnv>();
  const auth = requireAuth(db, clock);

  const target = (c: Context<AuthEnv>) => {
    const sender = requireSender(c.get('principal'));
    const env = loadEnvelope(db, c.req.param('id')!, sender);
    const participant = env.participants.find((p) => p.id === c.req.param('pid') && p.role === 'counterparty');
    if (!participant)
      throw new ApiError(404, 'PARTICIPANT_NOT_FOUND', `no counterparty ${c.req.param('pid')} in this envelope`);
    refuseUnlessOpen(env);
    return { sender, env, participant };
  };

  // Per counterparty, like the code mails: 5 at once, then one per 2 minutes.
  const resends = new RateLimiter({ burst: 5, perSecond: 1 / 120, clock: () => clock().getTime() });
  app.post(
    '/envelopes/:id/participants/:pid/resend',
    auth,
    rateLimit(resends, (c) => `resend:${c.req.param('pid')}`),
    async (c) => {
      const { sender, env, participant } = target(c);
      const body = await parseJson(c, ResendRequestSchema);
      const fresh = newToken();
      // Mail first, then swap the token: a refused mail leaves the previous link working.
      await mailInvitation(deps, env, sender, participant, fresh.token, body.linkSecret, true);
      const now = clock();
      db.transaction(() => {
        refuseUnlessOpen(loadEnvelope(db, env.id, sender));
        db.prepare('UPDATE participants SET access_token_hash = ?, access_revoked_at = NULL WHERE id = ?').run(
          fresh.hash,
          participant.id
        );
        appendEvent(db, {
          envelopeId: env.id,
          type: 'invitation-resent',
          at: now,
          email: sender.email,
          ip: clientIp(c),
          detail: { participantId: participant.id, to: participant.email, keyInMail: !!body.linkSecret }
        });
      })();
      return c.json(loadEnvelope(db, env.id, sender));
    }
  );

  app.post('/envelopes/:id/participants/:pid/revoke', auth, (c) => {
    const { sender, env, participant } = target(c);
    if (participant.accessRevokedAt) return c.json(env);
    const now = clock();
    db.transaction(() => {
      db.prepare('UPDATE participants SET access_token_hash = NULL, access_revoked_at = ? WHERE id = ?').run(
        now.toISOString(),
        participant.id
      );
      // Sessions opened with the link end with it.
      db.prepare('DELETE FROM sessions WHERE participant_id = ?').run(participant.id);
      appendEvent(db, {
        envelopeId: env.id,
        type: 'access-revoked',
        at: now,
        email: sender.email,
        ip: clientIp(c),
        detail: { participantId: participant.id, to: participant.email }
      });
    })();
    return c.json(loadEnvelope(db, env.id, sender));
  });
  return app;
}

/**
 * Mails one counterparty their invitation with the link for `accessToken` (and the key only when the sender opted
 * in). A refusal is logged by its message alone — the mail may carry the key — and answered 502 MAIL_FAILED.
 */
export async function mailInvitation(
  deps: Pick<EnvelopeDeps, 'config' | 'mailer'>,
  env: Envelope,
  sender: { name: string; email: string },
  to: { name: string; email: string },
  accessToken: string,
  linkSecret: string | undefined,
  resent = false
): Promise<void> {
  const link = signingLink(deps.config.publicUrl, env.id, accessToken, linkSecret);
  try {
    await deps.mailer.send(invitationMail(env, sender, to, link, !!linkSecret, resent));
  } catch (e) {
    console.error('[inkan] invitation mail failed', (e as Error).message);
    throw new ApiError(502, 'MAIL_FAILED', `the mail server refused the invitation to ${to.email}`);
  }
}

/** Links exist from sending until completion: a draft has none yet, a completed envelope keeps its record. */
function refuseUnlessOpen(env: Envelope): void {
  if (env.status === 'draft')
    throw new ApiError(409, 'ENVELOPE_STATE', 'the envelope is not sent yet: there is no invitation to change');
  if (env.status === 'completed')
    throw new ApiError(409, 'ENVELOPE_STATE', 'the envelope is completed: its invitations can no longer change');
}
