import { serve } from '@hono/node-server';
import { join } from 'node:path';
import { createApp } from './app.ts';
import { ConfigError, parseEnv } from './env.ts';
import { openDatabase } from './db/sqlite.ts';
import { FileBlobStore } from './blobs/store.ts';
import { OutboxMailer, SmtpMailer } from './mail/mailer.ts';
import { openTrustServices } from './ca/trust.ts';
import { SqliteEmailCodes } from './envelopes/codes.ts';
import { ensureRecoveryKey } from './envelopes/recovery.ts';
import { startBlobSweeper } from './blobs/sweep.ts';

/** Production entry point: embedded defaults (SQLite + file blobs under ./data), one port for app and API. */
async function main(): Promise<void> {
  let config;
  try {
    config = parseEnv(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`[inkan] configuration error: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  if (!config.recoveryPublicKey)
    config = { ...config, recoveryPublicKey: await ensureRecoveryKey(config.dataDir, (l) => console.warn(l)) };
  const db = openDatabase(join(config.dataDir, 'inkan.sqlite'));
  const blobs = new FileBlobStore(join(config.dataDir, 'blobs'));
  const clock = () => new Date();
  const mailer = config.smtpUrl
    ? new SmtpMailer(config.smtpUrl, config.mailFrom)
    : new OutboxMailer(db, clock, (l) => console.log(l));
  const emailCodes = new SqliteEmailCodes(db, mailer, clock);
  let trust;
  try {
    trust = await openTrustServices({ config, db, clock });
  } catch (e) {
    // Key store unreachable, wrong passphrase or PIN, an imported CA chain that does not fit: say so and stop.
    console.error(`[inkan] trust services could not start: ${(e as Error).message}`);
    process.exit(2);
  }
  const app = createApp({ config, db, blobs, clock, mailer, emailCodes, trust });
  // Unreferenced ciphertext older than the grace period (INKAN_BLOB_GRACE_HOURS) goes: now, then daily (unref'd).
  const sweeper = startBlobSweeper({ db, blobs, clock, graceMs: config.blobGraceMs });
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${info.port}`;
    console.log(`Inkan ${config.version} is running: ${url}/`);
    console.log(`  data: ${config.dataDir}`);
    console.log(
      `  keys: ${trust.keys.kind} · TSA: ${trust.tsa.mode} · CA roots: ${url}/api/ca/roots` +
        (mailer instanceof OutboxMailer && !config.production ? ` · mail outbox: ${url}/dev/mail` : '')
    );
  });
  const stop = () => {
    sweeper.stop();
    server.close();
    trust.close();
    db.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
