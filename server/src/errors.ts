import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** An error the API reports to clients with a stable string code. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Maps thrown errors to `{ error: { code, message } }`. Unknown errors never leak their text. */
export function errorHandler(err: Error, c: Context): Response {
  if (err instanceof ApiError) return c.json({ error: { code: err.code, message: err.message } }, err.status);
  if (err instanceof HTTPException) {
    return c.json(
      { error: { code: 'HTTP_' + err.status, message: err.message || 'request refused' } },
      err.status as ContentfulStatusCode
    );
  }
  console.error('[inkan] unexpected error', err);
  return c.json({ error: { code: 'INTERNAL', message: 'internal error' } }, 500);
}
