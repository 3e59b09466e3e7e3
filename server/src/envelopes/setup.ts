import { Hono } from 'hono';
import {
  SetupRequestSchema,
  SetupVerifyRequestSchema,
  type SetupPendingResponse,
  type SetupResponse
} from '@inkan/protocol';
import { ApiError } from '../errors.ts';
import { RateLimiter, peerAddress, rateLimit } from '../ratelimit/limiter.ts';
import { createSession, newId, type AuthEnv } from './auth.ts';
import { CODE_TTL_MS, maskEmail } from './codes.ts';
import type { EnvelopeDeps } from './deps.ts';
import { parseJson } from './request.ts';

/** The e-mail code purpose of a sender claiming the server. */
export const SETUP_PURPOSE = 'sender-setup';

/**
 * Claiming a fresh server, in two steps, so that the local sender profile carries an address its owner proved:
 * `POST /api/setup {name, email}` remembers the name and mails a 6-digit code (202 `{pending, sentTo}`);
 * `POST /api/setup/verify {email, code}` creates the profile and answers its session (201).
 * A pending setup claims nothing: several may wait at once, and the first code verified wins — the check
 * "no sender yet" and the insert run in one IMMEDIATE transaction, so a second verification gets 409 SETUP_DONE.
 */
export function setupRoutes(deps: EnvelopeDeps): Hono<AuthEnv> {
  const { db, clock } = deps;
  const app = new Hono<AuthEnv>();
  const ms = () => clock().getTime();
  const refuseIfClaimed = () => {
    if (db.prepare('SELECT 1 FROM senders LIMIT 1').get())
      throw new ApiError(409, 'SETUP_DONE', 'this server already has its sender profile');
  };
  // Per address, like the counterparty's code mails: 5 at once, then one per 2 minutes (no mail bombing).
  const codeMails = new RateLimiter({ burst: 5, perSecond: 1 / 120, clock: ms });
  // Per client, over both steps: enough for typing mistakes, not for guessing codes across addresses.
  const perClient = new RateLimiter({ burst: 20, perSecond: 1 / 30, clock: ms });

  app.post(
    '/setup',
    rateLimit(perClient, (c) => `setup:${peerAddress(c)}`),
    async (c) => {
      const body = await parseJson(c, SetupRequestSchema);
      refuseIfClaimed();
      const email = body.email.toLowerCase();
      if (!codeMails.take(email)) {
        c.header('retry-after', '120');
        throw new ApiError(429, 'RATE_LIMITED', 'a code was mailed to this address a moment ago: use it or wait');
      }
      const now = clock();
      // Setups whose code has expired are void: forget them (an address typed wrongly does not stay on file).
      db.prepare('DELETE FROM sender_setups WHERE created_at <= ?').run(
        new Date(now.getTime() - CODE_TTL_MS).toISOString()
      );
      db.prepare(
        `INSERT INTO sender_setups (email, name, created_at) VALUES (?, ?, ?)
       ON CONFLICT (email) DO UPDATE SET name = excluded.name, created_at = excluded.created_at`
      ).run(email, body.name, now.toISOString());
      await deps.codes.send(body.email, SETUP_PURPOSE);
      return c.json({ pending: true, sentTo: maskEmail(body.email) } satisfies SetupPendingResponse, 202);
    }
  );

  app.post(
    '/setup/verify',
    rateLimit(perClient, (c) => `setup:${peerAddress(c)}`),
    async (c) => {
      const body = await parseJson(c, SetupVerifyRequestSchema);
      // Do not spend a code on a server that is already claimed.
      refuseIfClaimed();
      await deps.codes.verify(body.email, SETUP_PURPOSE, body.code);
      const now = clock();
      const claim = db.transaction(() => {
        refuseIfClaimed();
        const pending = db.prepare('SELECT name FROM sender_setups WHERE email = ?').get(body.email.toLowerCase()) as
          { name: string } | undefined;
        if (!pending)
          throw new ApiError(400, 'OTP_INVALID', 'start the setup again: no pending setup for this address');
        const id = newId('snd');
        db.prepare('INSERT INTO senders (id, name, email, created_at) VALUES (?, ?, ?, ?)').run(
          id,
          pending.name,
          body.email,
          now.toISOString()
        );
        // The server is claimed: the other pending setups are void.
        db.prepare('DELETE FROM sender_setups').run();
        const token = createSession(db, { senderId: id }, now, null);
        return { token, sender: { id, name: pending.name, email: body.email } } satisfies SetupResponse;
      });
      return c.json(claim.immediate(), 201);
    }
  );
  return app;
}
