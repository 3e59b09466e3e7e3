import { Hono } from 'hono';
import { meRoutes, type AuthEnv } from './auth.ts';
import { setupRoutes } from './setup.ts';
import { envelopeRoutes } from './routes.ts';
import { accessRoutes } from './access.ts';
import { invitationRoutes } from './invitations.ts';
import { blobRoutes } from '../blobs/routes.ts';
import type { EnvelopeDeps } from './deps.ts';
import { ApiError } from '../errors.ts';
import type { RecoveryKeyResponse } from '@inkan/protocol';

export type { EnvelopeDeps } from './deps.ts';
export type { EmailCodes, EnvelopeMailer, OutgoingMail } from './ports.ts';

/** Everything under `/api` that the envelope journey uses: setup/me, envelopes, counterparty access, blobs. */
export function envelopeApi(deps: EnvelopeDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.route('/', setupRoutes(deps));
  app.route('/', meRoutes(deps.db, deps.clock));
  app.route('/', accessRoutes(deps));
  app.route('/', envelopeRoutes(deps));
  app.route('/', invitationRoutes(deps));
  app.route('/', blobRoutes(deps));
  // The organisation recovery public key, for the app to wrap every document key for (README "Trust model").
  app.get('/recovery-key', (c) => {
    const publicKey = deps.config.recoveryPublicKey;
    if (!publicKey) throw new ApiError(404, 'RECOVERY_KEY_MISSING', 'no organisation recovery key is configured');
    return c.json({ publicKey } satisfies RecoveryKeyResponse);
  });
  return app;
}
