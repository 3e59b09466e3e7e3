import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Config } from './env.ts';
import type { Db } from './db/sqlite.ts';
import type { FileBlobStore } from './blobs/store.ts';
import { healthRoutes } from './health/routes.ts';
import { errorHandler } from './errors.ts';
import { webRoutes } from './web/static.ts';
import { envelopeApi, type EmailCodes, type EnvelopeMailer } from './envelopes/index.ts';
import type { TrustServices } from './ca/trust.ts';
import { caRoutes } from './ca/routes.ts';
import { tsaRoutes } from './tsa/routes.ts';
import { cscRoutes, signingRoutes } from './signing/routes.ts';
import { OutboxMailer } from './mail/mailer.ts';
import { devMailRoutes } from './mail/routes.ts';

/** Everything the server needs from the outside world, injected so tests can supply their own. */
export interface AppDeps {
  config: Config;
  db: Db;
  blobs: FileBlobStore;
  /** Current time; tests freeze it. */
  clock: () => Date;
  /** Outgoing mail (invitations, completion notices, codes). */
  mailer: EnvelopeMailer;
  /** E-mail one-time codes (counterparty access). */
  emailCodes: EmailCodes;
  /** CA, TSA and witness signing (openTrustServices in ca/trust.ts); their routes are mounted when present. */
  trust?: TrustServices;
}

export type AppEnv = { Variables: { deps: AppDeps } };

/** Builds the Hono application: `/api/*` plus the built PWA with SPA fallback. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(
    '*',
    secureHeaders({
      // The HTML carries its own hash-based CSP (SvelteKit); these are the parts a <meta> cannot set.
      contentSecurityPolicy: { frameAncestors: ["'none'"], baseUri: ["'self'"], objectSrc: ["'none'"] },
      referrerPolicy: 'no-referrer',
      crossOriginEmbedderPolicy: false
    })
  );
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.onError(errorHandler);
  app.route('/api', healthRoutes(deps));
  app.route('/api', envelopeApi({ ...deps, codes: deps.emailCodes }));
  if (deps.trust) {
    const { ca, tsa, witness, tsaLimiter, signLimiter } = deps.trust;
    const signing = { witness, db: deps.db, clock: deps.clock, codes: deps.emailCodes, signLimiter };
    app.route('/api/ca', caRoutes({ ca, db: deps.db, clock: deps.clock }));
    app.route('/api/tsa', tsaRoutes({ tsa, limiter: tsaLimiter }));
    app.route('/api/csc/v2', cscRoutes(signing));
    app.route('/api/sign', signingRoutes(signing));
  }
  if (deps.mailer instanceof OutboxMailer && !deps.config.production)
    app.route('/dev/mail', devMailRoutes(deps.mailer));
  app.all('/api/*', (c) =>
    c.json({ error: { code: 'NOT_FOUND', message: `no API route ${c.req.method} ${c.req.path}` } }, 404)
  );
  app.route('/', webRoutes(deps.config.webDir));
  return app;
}
