import { Hono } from 'hono';
import { ApiError } from '../errors.ts';
import { derBody, derResponse, limitBody } from '../ca/http.ts';
import { peerAddress, rateLimit, type RateLimiter } from '../ratelimit/limiter.ts';
import { TsaUnavailable, type TimeStampService } from './authority.ts';

/** `POST /api/tsa`: application/timestamp-query → application/timestamp-reply (RFC 3161 §3.4), rate-limited per client. */
export function tsaRoutes(deps: { tsa: TimeStampService; limiter: RateLimiter }): Hono {
  const app = new Hono();
  app.post('/', rateLimit(deps.limiter), limitBody(8192), async (c) => {
    const req = await derBody(c, 'application/timestamp-query');
    try {
      return derResponse(c, await deps.tsa.respond(req, peerAddress(c)), 'application/timestamp-reply');
    } catch (e) {
      if (e instanceof TsaUnavailable) {
        console.warn(`[inkan] ${e.message}`);
        throw new ApiError(503, 'TSA_UNAVAILABLE', 'no upstream timestamp authority answered; try again later');
      }
      throw e;
    }
  });
  return app;
}
