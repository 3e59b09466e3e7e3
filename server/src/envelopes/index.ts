import { Hono } from 'hono';
import { senderRoutes, type AuthEnv } from './auth.ts';
import { envelopeRoutes } from './routes.ts';
import { accessRoutes } from './access.ts';
import { blobRoutes } from '../blobs/routes.ts';
import type { EnvelopeDeps } from './deps.ts';

export type { EnvelopeDeps } from './deps.ts';
export type { EmailCodes, EnvelopeMailer, OutgoingMail } from './ports.ts';

/** Everything under `/api` that the envelope journey uses: setup/me, envelopes, counterparty access, blobs. */
export function envelopeApi(deps: EnvelopeDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.route('/', senderRoutes(deps.db, deps.clock));
  app.route('/', accessRoutes(deps));
  app.route('/', envelopeRoutes(deps));
  app.route('/', blobRoutes(deps));
  return app;
}
