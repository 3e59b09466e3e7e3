import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Serves the built PWA. Immutable assets are cached for a year; HTML, the manifest and the service worker are
 * revalidated every time so an update reaches users. Unknown paths get the SPA shell (client-side routing).
 */
export function webRoutes(webDir: string): Hono {
  const app = new Hono();
  const shell = join(webDir, 'index.html');
  if (!existsSync(shell)) {
    app.get('*', (c) =>
      c.text(
        'The web app is not built yet: run `npm run build` (npm start does it for you).\nアプリがまだビルドされていません。',
        503
      )
    );
    return app;
  }
  const root = relative(process.cwd(), webDir) || '.';
  app.use('*', async (c, next) => {
    await next();
    const p = c.req.path;
    if (p.startsWith('/_app/immutable/')) c.header('Cache-Control', 'public, max-age=31536000, immutable');
    else c.header('Cache-Control', 'no-cache');
    if (p.endsWith('.webmanifest')) c.header('Content-Type', 'application/manifest+json');
  });
  app.use('*', serveStatic({ root }));
  const html = () => readFileSync(shell, 'utf8');
  app.get('*', (c) => c.html(html()));
  return app;
}
