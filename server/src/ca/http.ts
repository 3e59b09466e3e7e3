import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../errors.ts';

/**
 * Rejects bodies above `max` bytes with 413 PAYLOAD_TOO_LARGE. A declared Content-Length (which Node's HTTP parser
 * holds the client to) is checked from the header alone, leaving the body to be read once, directly from the
 * socket; a chunked body of unknown length goes through hono/body-limit, which counts while it streams.
 */
export const limitBody = (max: number): MiddlewareHandler => {
  const tooLarge = () => {
    throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `the body is larger than ${max} bytes`);
  };
  const streaming = bodyLimit({ maxSize: max, onError: tooLarge });
  return async (c, next) => {
    const declared = c.req.header('content-length');
    if (declared === undefined || c.req.header('transfer-encoding') !== undefined) return streaming(c, next);
    if (!/^\d{1,15}$/.test(declared) || Number(declared) > max) tooLarge();
    await next();
  };
};

/** The raw DER body of a request whose Content-Type must be `type` (415 otherwise, 400 when empty). */
export async function derBody(c: Context, type: string): Promise<Uint8Array<ArrayBuffer>> {
  const ct = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (ct !== type) throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type must be ${type}`);
  const body = new Uint8Array(await c.req.arrayBuffer());
  if (body.length === 0) throw new ApiError(400, 'INVALID_REQUEST', 'empty body');
  return body;
}

export function derResponse(c: Context, der: Uint8Array, type: string, cache = 'no-store'): Response {
  return c.body(der.slice().buffer, 200, { 'content-type': type, 'cache-control': cache });
}

export function b64(der: Uint8Array): string {
  return Buffer.from(der).toString('base64');
}

export function fromB64(s: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(s, 'base64'));
}

/** A certificate as PEM (RFC 7468). */
export function pem(der: Uint8Array): string {
  return `-----BEGIN CERTIFICATE-----\n${b64(der).replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
}
