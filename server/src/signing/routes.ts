import { Hono, type Context } from 'hono';
import {
  CredentialsInfoRequestSchema,
  SignHashRequestSchema,
  WitnessAuthorizeRequestSchema,
  WitnessCodeRequestSchema,
  type CredentialsInfoResponse,
  type SignHashResponse,
  type WitnessAuthorizeResponse
} from '@inkan/protocol';
import type { Db } from '../db/sqlite.ts';
import { findPrincipal } from '../envelopes/auth.ts';
import type { EmailCodes } from '../envelopes/ports.ts';
import { parseJson } from '../envelopes/request.ts';
import { ApiError } from '../errors.ts';
import { b64, limitBody } from '../ca/http.ts';
import { peerAddress, rateLimit, RateLimiter } from '../ratelimit/limiter.ts';
import { WitnessError, type WitnessCaller, type WitnessSigner } from './witness.ts';

export const WITNESS_CODE_PURPOSE = 'witness-signing';

export interface SigningDeps {
  witness: WitnessSigner;
  db: Db;
  clock: () => Date;
  codes: EmailCodes;
  /** Per-client limiters of code mails and code checks. */
  codeLimiter?: RateLimiter;
  checkLimiter?: RateLimiter;
  signLimiter?: RateLimiter;
}

function witnessCall<T>(f: () => Promise<T> | T): Promise<T> {
  return Promise.resolve()
    .then(f)
    .catch((e: unknown) => {
      if (e instanceof WitnessError)
        throw new ApiError(
          e.code === 'SAD_INVALID' ? 401 : 400,
          e.code === 'INVALID_REQUEST' ? 'INVALID_REQUEST' : e.code,
          e.message
        );
      throw e;
    });
}

/**
 * The caller of signHash: a bearer session of the envelope flow (the participant's e-mail was proven by the
 * access code) or the SAD from `/api/sign/authorize`.
 */
function caller(c: Context, deps: SigningDeps, sad: string | undefined): WitnessCaller {
  const ip = peerAddress(c);
  const m = /^Bearer ([A-Za-z0-9_-]{20,128})$/.exec(c.req.header('authorization') ?? '');
  if (m) {
    const p = findPrincipal(deps.db, m[1]!, deps.clock());
    if (!p) throw new ApiError(401, 'UNAUTHENTICATED', 'unknown or expired session');
    return p.kind === 'participant'
      ? { principal: `participant:${p.participantId}`, email: p.email, envelopeId: p.envelopeId, ip }
      : { principal: `sender:${p.senderId}`, email: p.email, ip };
  }
  if (sad) return { principal: 'sad', email: deps.witness.redeem(sad), ip };
  throw new ApiError(401, 'UNAUTHENTICATED', 'a bearer session or SAD is required');
}

/**
 * Witness (契約印) signing shaped after CSC API v2: `POST /signatures/signHash`, `POST /credentials/info`,
 * `POST /credentials/list`; plus `/api/sign/code` and `/api/sign/authorize` (e-mail code → SAD) and
 * `/api/sign/hash` (= signHash). Mount with {@link signingRoutes} at `/api/sign` and {@link cscRoutes} at
 * `/api/csc/v2`.
 */
export function cscRoutes(deps: SigningDeps): Hono {
  const app = new Hono();
  const limited = rateLimit(deps.signLimiter ?? new RateLimiter({ burst: 30, perSecond: 10 }));
  app.post('/signatures/signHash', limited, limitBody(16 * 1024), (c) => signHash(c, deps));
  app.post('/credentials/list', limitBody(4096), (c) => {
    caller(c, deps, undefined);
    return c.json({ credentialIDs: [deps.witness.credentialID] });
  });
  app.post('/credentials/info', limitBody(4096), async (c) => {
    const body = await parseJson(c, CredentialsInfoRequestSchema);
    if (body.credentialID !== deps.witness.credentialID)
      throw new ApiError(400, 'INVALID_REQUEST', 'unknown credentialID');
    const certs = deps.witness.certificates;
    const which = body.certificates ?? 'single';
    const res: CredentialsInfoResponse = {
      key: { status: 'enabled', algo: ['1.2.840.113549.1.1.1'], len: deps.witness.keyInfo.bits },
      cert: {
        status: 'valid',
        certificates: (which === 'none' ? [] : which === 'single' ? certs.slice(0, 1) : certs).map(b64)
      },
      authMode: 'explicit'
    };
    return c.json(res);
  });
  return app;
}

async function signHash(c: Context, deps: SigningDeps): Promise<Response> {
  const body = await parseJson(c, SignHashRequestSchema);
  const who = await witnessCall(() => caller(c, deps, body.SAD));
  const sigs = await witnessCall(() => deps.witness.signHashes(who, body));
  return c.json({
    signatures: sigs.map(b64),
    certificates: deps.witness.certificates.map(b64)
  } satisfies SignHashResponse);
}

export function signingRoutes(deps: SigningDeps): Hono {
  const app = new Hono();
  // Codes cost a mail: 5 per client, then one per 30 s. Checks: 20, then one per 6 s (each code allows 5 tries).
  const codeLimited = rateLimit(deps.codeLimiter ?? new RateLimiter({ burst: 5, perSecond: 1 / 30 }));
  const checkLimited = rateLimit(deps.checkLimiter ?? new RateLimiter({ burst: 20, perSecond: 1 / 6 }));
  const limited = rateLimit(deps.signLimiter ?? new RateLimiter({ burst: 30, perSecond: 10 }));
  app.post('/code', codeLimited, limitBody(1024), async (c) => {
    const { email } = await parseJson(c, WitnessCodeRequestSchema);
    await deps.codes.send(email, WITNESS_CODE_PURPOSE);
    return c.json({ sent: true }, 202);
  });
  app.post('/authorize', checkLimited, limitBody(1024), async (c) => {
    const { email, code } = await parseJson(c, WitnessAuthorizeRequestSchema);
    await deps.codes.verify(email, WITNESS_CODE_PURPOSE, code);
    const { sad, expiresIn } = deps.witness.grant(email);
    return c.json({ SAD: sad, expiresIn, credentialID: deps.witness.credentialID } satisfies WitnessAuthorizeResponse);
  });
  app.post('/hash', limited, limitBody(16 * 1024), (c) => signHash(c, deps));
  return app;
}
