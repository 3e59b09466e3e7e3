import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { ApiError } from '../errors.ts';

/**
 * Token bucket per key (client address by default): `burst` requests at once, refilled at `perSecond`.
 * In memory, bounded to `maxKeys` buckets (the oldest forgotten first). The clock is injected for tests.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly o: { burst: number; perSecond: number; clock?: () => number; maxKeys?: number }) {}

  /** Takes one token for `key`; false when the bucket is empty. */
  take(key: string): boolean {
    const now = (this.o.clock ?? Date.now)();
    const b = this.buckets.get(key) ?? { tokens: this.o.burst, at: now };
    b.tokens = Math.min(this.o.burst, b.tokens + ((now - b.at) / 1000) * this.o.perSecond);
    b.at = now;
    this.buckets.delete(key);
    this.buckets.set(key, b);
    if (this.buckets.size > (this.o.maxKeys ?? 10_000)) this.buckets.delete(this.buckets.keys().next().value!);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}

/** The TCP peer address (no proxy header is trusted); `local` when there is no socket (app.request in tests). */
export function peerAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'local';
  } catch {
    return 'local';
  }
}

/** Hono middleware: 429 RATE_LIMITED once the client's bucket is empty. */
export function rateLimit(limiter: RateLimiter, key: (c: Context) => string = peerAddress): MiddlewareHandler {
  return async (c, next) => {
    if (!limiter.take(key(c))) {
      c.header('retry-after', '1');
      throw new ApiError(429, 'RATE_LIMITED', 'too many requests: slow down');
    }
    await next();
  };
}
