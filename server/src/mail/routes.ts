import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import type { OutboxMailer } from './mailer.ts';

/**
 * `GET /dev/mail`: the dev outbox as an HTML page (newest first; `?format=json` for tests and scripts).
 * Mounted only outside production and only when the outbox mailer is in use.
 */
export function devMailRoutes(outbox: OutboxMailer): Hono {
  const app = new Hono();
  app.get('/', (c) => {
    const mails = outbox.list();
    if (c.req.query('format') === 'json') return c.json({ mails });
    c.header('cache-control', 'no-store');
    return c.html(
      html`<!doctype html>
        <html lang="ja">
          <head>
            <meta charset="utf-8" />
            <title>Inkan dev outbox</title>
          </head>
          <body>
            <h1>Dev outbox (${mails.length})</h1>
            ${mails.map(
              (m) =>
                html`<article>
                  <h2>#${m.id} ${m.subject}</h2>
                  <p>to ${m.to} · ${m.at}</p>
                  <pre>${m.text}</pre>
                </article>`
            )}
            ${raw('')}
          </body>
        </html>`
    );
  });
  return app;
}
