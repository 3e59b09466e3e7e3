import { Hono, type Context } from 'hono';
import {
  EnrollmentRequestSchema,
  IssueCertificateRequestSchema,
  RevokeRequestSchema,
  type EnrollmentResponse,
  type IssueCertificateResponse,
  type RootsResponse
} from '@inkan/protocol';
import type { Db } from '../db/sqlite.ts';
import { findPrincipal } from '../envelopes/auth.ts';
import { parseJson } from '../envelopes/request.ts';
import { ApiError } from '../errors.ts';
import { rateLimit, RateLimiter } from '../ratelimit/limiter.ts';
import { CaError, type CertificateAuthority } from './authority.ts';
import { b64, derBody, derResponse, fromB64, limitBody, pem } from './http.ts';

const STATUS: Record<CaError['code'], 400 | 403 | 404 | 409> = {
  CA_ENROLLMENT_INVALID: 403,
  CA_CSR_INVALID: 400,
  CA_POP_FAILED: 400,
  CA_NOT_FOUND: 404,
  CA_ALREADY_REVOKED: 409,
  CA_BAD_REQUEST: 400
};

async function caCall<T>(f: () => Promise<T> | T): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof CaError)
      throw new ApiError(STATUS[e.code], e.code === 'CA_BAD_REQUEST' ? 'INVALID_REQUEST' : e.code, e.message);
    throw e;
  }
}

/** Only the sender (the platform's administrator for now) may grant enrollments and revoke. */
function requireSender(c: Context, db: Db, clock: () => Date): void {
  const auth = c.req.header('authorization') ?? '';
  const m = /^Bearer ([A-Za-z0-9_-]{20,128})$/.exec(auth);
  const p = m ? findPrincipal(db, m[1]!, clock()) : null;
  if (!p) throw new ApiError(401, 'UNAUTHENTICATED', 'a sender bearer token is required');
  if (p.kind !== 'sender') throw new ApiError(403, 'FORBIDDEN', 'only the sender may do this');
}

/**
 * `/api/ca/*`: enrollment (sender), issuance (CSR + token), revocation (sender), CRL, OCSP (POST and GET,
 * RFC 6960 Appendix A), CA certificate and roots.
 */
export function caRoutes(deps: {
  ca: CertificateAuthority;
  db: Db;
  clock: () => Date;
  limiter?: RateLimiter;
  ocspLimiter?: RateLimiter;
}): Hono {
  const { ca, db, clock } = deps;
  const app = new Hono();
  const limited = rateLimit(deps.limiter ?? new RateLimiter({ burst: 20, perSecond: 2 }));
  // OCSP signs every answer: generous for relying parties, bounded per client.
  const ocspLimited = rateLimit(deps.ocspLimiter ?? new RateLimiter({ burst: 200, perSecond: 100 }));

  app.post('/enrollments', limitBody(4096), async (c) => {
    requireSender(c, db, clock);
    const body = await parseJson(c, EnrollmentRequestSchema);
    const ttl = 24 * 3600 * 1000;
    const token = await caCall(() => ca.grantEnrollment(body.email, body.name, ttl));
    return c.json(
      { token, expiresAt: new Date(clock().getTime() + ttl).toISOString() } satisfies EnrollmentResponse,
      201
    );
  });

  app.post('/issue', limited, limitBody(32 * 1024), async (c) => {
    const body = await parseJson(c, IssueCertificateRequestSchema);
    const { certificate, serial } = await caCall(() => ca.issue(fromB64(body.csr), body.token));
    return c.json(
      { certificate: b64(certificate), chain: ca.chain.map(b64), serial } satisfies IssueCertificateResponse,
      201
    );
  });

  app.post('/revoke', limitBody(4096), async (c) => {
    requireSender(c, db, clock);
    const body = await parseJson(c, RevokeRequestSchema);
    await caCall(() => ca.revoke(body.serial, body.reason));
    return c.json({ revoked: true });
  });

  app.get('/issuing.csr', (c) => {
    requireSender(c, db, clock);
    return ca.issuingRequest().then((der) => derResponse(c, der, 'application/pkcs10'));
  });
  app.get('/crl', async (c) => derResponse(c, await ca.crl(), 'application/pkix-crl', 'max-age=300'));
  app.get('/ca.crt', (c) => derResponse(c, ca.issuing.certificate, 'application/pkix-cert', 'max-age=3600'));
  app.get('/root.crt', (c) => derResponse(c, ca.root.certificate, 'application/pkix-cert', 'max-age=3600'));
  app.get('/roots', (c) =>
    c.json({
      roots: [b64(ca.root.certificate)],
      intermediates: ca.intermediates.map(b64),
      pem: pem(ca.root.certificate)
    } satisfies RootsResponse)
  );

  app.post('/ocsp', ocspLimited, limitBody(8192), async (c) =>
    derResponse(c, await ca.ocsp(await derBody(c, 'application/ocsp-request')), 'application/ocsp-response')
  );
  app.get('/ocsp/:req{.+}', ocspLimited, async (c) => {
    const raw = decodeURIComponent(c.req.param('req'));
    if (raw.length > 4096 || !/^[A-Za-z0-9+/=_-]+$/.test(raw)) throw new ApiError(400, 'INVALID_REQUEST', 'not base64');
    return derResponse(
      c,
      await ca.ocsp(fromB64(raw.replace(/-/g, '+').replace(/_/g, '/'))),
      'application/ocsp-response',
      'max-age=300'
    );
  });
  return app;
}
