import { createHash, randomBytes } from 'node:crypto';
import { Hono, type MiddlewareHandler } from 'hono';
import type { Db } from '../db/sqlite.ts';
import { ApiError } from '../errors.ts';

/**
 * Who is calling. For now there is one local sender profile (accounts and passkeys are a later issue) and
 * counterparties whose session is scoped to one envelope, granted after the e-mail code.
 */
export type Principal =
  | { kind: 'sender'; senderId: string; email: string; name: string }
  | { kind: 'participant'; participantId: string; envelopeId: string; email: string; name: string };

export type AuthEnv = { Variables: { principal: Principal } };

/** `prefix_` + 22 base64url characters (128 random bits). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}

/** A bearer secret (256 bits); only its SHA-256 is stored. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function createSession(
  db: Db,
  who: { senderId: string } | { participantId: string },
  now: Date,
  expiresAt: Date | null
): string {
  const { token, hash } = newToken();
  db.prepare(
    'INSERT INTO sessions (token_hash, sender_id, participant_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)'
  ).run(
    hash,
    'senderId' in who ? who.senderId : null,
    'participantId' in who ? who.participantId : null,
    now.toISOString(),
    expiresAt?.toISOString() ?? null
  );
  return token;
}

export function findPrincipal(db: Db, token: string, now: Date): Principal | null {
  const row = db
    .prepare(
      `SELECT s.expires_at, s.sender_id, snd.email AS sender_email, snd.name AS sender_name,
              s.participant_id, p.envelope_id, p.email AS participant_email, p.name AS participant_name
       FROM sessions s LEFT JOIN senders snd ON snd.id = s.sender_id LEFT JOIN participants p ON p.id = s.participant_id
       WHERE s.token_hash = ?`
    )
    .get(hashToken(token)) as
    | {
        expires_at: string | null;
        sender_id: string | null;
        sender_email: string;
        sender_name: string;
        participant_id: string | null;
        envelope_id: string;
        participant_email: string;
        participant_name: string;
      }
    | undefined;
  if (!row || (row.expires_at && row.expires_at <= now.toISOString())) return null;
  if (row.sender_id) return { kind: 'sender', senderId: row.sender_id, email: row.sender_email, name: row.sender_name };
  return {
    kind: 'participant',
    participantId: row.participant_id!,
    envelopeId: row.envelope_id,
    email: row.participant_email,
    name: row.participant_name
  };
}

/** Refuses a request without a valid `Authorization: Bearer …` (401 UNAUTHENTICATED). */
export function requireAuth(db: Db, clock: () => Date): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const m = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(c.req.header('authorization') ?? '');
    const principal = m ? findPrincipal(db, m[1], clock()) : null;
    if (!principal) throw new ApiError(401, 'UNAUTHENTICATED', 'sign in first: no valid session token');
    c.set('principal', principal);
    await next();
  };
}

export function requireSender(p: Principal): Extract<Principal, { kind: 'sender' }> {
  if (p.kind !== 'sender') throw new ApiError(403, 'FORBIDDEN', 'only the sender may do this');
  return p;
}

/** `GET /api/me` tells a session token's holder who they are (the setup routes are in setup.ts). */
export function meRoutes(db: Db, clock: () => Date): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.get('/me', requireAuth(db, clock), (c) => c.json(c.get('principal')));
  return app;
}
