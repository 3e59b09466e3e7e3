import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { schemaVersion } from '../db/sqlite.ts';
import type { Health } from '@inkan/protocol';

export function healthRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.get('/health', (c) => {
    let database: Health['stores']['database'];
    try {
      deps.db.prepare('SELECT 1').get();
      database = { ok: true, kind: 'sqlite', schemaVersion: schemaVersion(deps.db) };
    } catch {
      database = { ok: false, kind: 'sqlite', schemaVersion: -1 };
    }
    const blobs = deps.blobs.status();
    const body: Health = {
      status: database.ok && blobs.ok ? 'ok' : 'degraded',
      name: 'inkan',
      version: deps.config.version,
      time: deps.clock().toISOString(),
      stores: { database, blobs: { ok: blobs.ok, kind: 'file' } },
      ...(deps.trust && {
        trust: {
          keys: deps.trust.keys.kind,
          tsa: deps.trust.tsa.mode,
          rootSha256: createHash('sha256').update(deps.trust.ca.root.certificate).digest('hex')
        }
      })
    };
    return c.json(body, body.status === 'ok' ? 200 : 503);
  });
  return app;
}
