import { Hono } from 'hono';
import type { BlobUploadResponse } from '@inkan/protocol';
import type { Db } from '../db/sqlite.ts';
import { ApiError } from '../errors.ts';
import { requireAuth, type AuthEnv } from '../envelopes/auth.ts';
import { mayReadBlob } from '../envelopes/repo.ts';
import { BlobError, type FileBlobStore } from './store.ts';

/**
 * `PUT /api/blobs` stores a ciphertext body (streamed to disk, at most `maxBytes`) under its SHA-256;
 * `GET /api/blobs/:id` streams it back to its uploader or to whoever may see an envelope it is a revision of.
 * The server cannot tell ciphertext from anything else; it never needs to.
 */
export function blobRoutes(deps: {
  db: Db;
  blobs: FileBlobStore;
  clock: () => Date;
  config: { maxBlobBytes: number };
}): Hono<AuthEnv> {
  const { db, blobs, clock } = deps;
  const max = deps.config.maxBlobBytes;
  const app = new Hono<AuthEnv>();
  app.use('/blobs', requireAuth(db, clock));
  app.use('/blobs/*', requireAuth(db, clock));

  app.put('/blobs', async (c) => {
    const who = c.get('principal');
    const declared = Number(c.req.header('content-length') ?? NaN);
    if (declared > max) throw new ApiError(413, 'BLOB_TOO_LARGE', `at most ${max} bytes per blob`);
    const body = c.req.raw.body;
    if (!body) throw new ApiError(400, 'INVALID_REQUEST', 'the body is the ciphertext; it is empty');
    let stored: { id: string; size: number };
    try {
      stored = await blobs.putStream(body, max);
    } catch (e) {
      if (e instanceof BlobError && e.code === 'BLOB_TOO_LARGE')
        throw new ApiError(413, 'BLOB_TOO_LARGE', `at most ${max} bytes per blob`);
      throw e;
    }
    // A re-upload of bytes already stored refreshes created_at, so the orphan sweep's grace period starts again.
    db.prepare(
      `INSERT INTO blobs (id, size, uploaded_by, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at`
    ).run(stored.id, stored.size, who.kind === 'sender' ? who.senderId : who.participantId, clock().toISOString());
    return c.json(stored satisfies BlobUploadResponse, 201);
  });

  app.get('/blobs/:id', (c) => {
    const id = c.req.param('id');
    if (!/^[0-9a-f]{64}$/.test(id)) throw new ApiError(400, 'INVALID_REQUEST', 'a blob id is 64 hex digits');
    // Unknown and forbidden look the same: a blob id reveals nothing to someone who may not read it.
    if (!mayReadBlob(db, id, c.get('principal')) || !blobs.has(id))
      throw new ApiError(404, 'BLOB_NOT_FOUND', `no blob ${id}`);
    const { size, stream } = blobs.openStream(id);
    return c.body(stream, 200, {
      'content-type': 'application/octet-stream',
      'content-length': String(size),
      'cache-control': 'private, max-age=31536000, immutable',
      etag: `"${id}"`
    });
  });
  return app;
}
