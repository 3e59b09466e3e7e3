/**
 * Test rig of the trust services: a server from createApp with real SQLite, a real key store (software files or a
 * SoftHSM2 token), a real SMTP listener for codes, and optionally a real listening socket (for openssl).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../src/app.ts';
import { FileBlobStore } from '../src/blobs/store.ts';
import { openTrustServices, type TrustServices } from '../src/ca/trust.ts';
import { openDatabase, type Db } from '../src/db/sqlite.ts';
import { parseEnv, type Config } from '../src/env.ts';
import { SqliteEmailCodes } from '../src/envelopes/codes.ts';
import { startMailbox, type Mailbox } from '../src/envelopes/test-kit.ts';
import { Pkcs11KeyStore, SoftwareKeyStore, type KeyStore } from '../src/keys/index.ts';
import { SmtpMailer } from '../src/mail/mailer.ts';
import { RateLimiter } from '../src/ratelimit/limiter.ts';
import { createSoftHsmToken } from './softhsm.ts';

export type StoreKind = 'software' | 'pkcs11';
export const STORE_KINDS: StoreKind[] = ['software', 'pkcs11'];

export interface TrustRig {
  app: ReturnType<typeof createApp>;
  config: Config;
  db: Db;
  trust: TrustServices;
  mailbox: Mailbox;
  dir: string;
  clock: () => Date;
  /** Reopens database and services on the same data (a restart), optionally with changed environment. */
  restart(env?: Record<string, string>): Promise<void>;
  /** Listens on 127.0.0.1:0; returns the origin. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function startTrustRig(
  kind: StoreKind,
  o: { env?: Record<string, string>; tsaLimiter?: RateLimiter; tsaAnchors?: Uint8Array[]; clock?: () => Date } = {}
): Promise<TrustRig> {
  const dir = mkdtempSync(join(tmpdir(), `inkan-trust-${kind}-`));
  const web = join(dir, 'web');
  mkdirSync(web);
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>shell</title>');
  const mailbox = await startMailbox();
  const hsm = kind === 'pkcs11' ? createSoftHsmToken() : null;
  // The public URL (AIA, CRL DP in certificates) names the port listen() will bind, so relying parties that
  // follow those URLs (NSS/pdfsig checking OCSP) reach this very server.
  const port = await freePort();
  const baseEnv = {
    INKAN_DATA_DIR: dir,
    INKAN_WEB_DIR: web,
    INKAN_WITNESS_KEY_ALG: 'RSA-2048',
    INKAN_PUBLIC_URL: `http://127.0.0.1:${port}`,
    INKAN_SMTP_URL: `smtp://127.0.0.1:${mailbox.port}`,
    ...o.env
  };
  let config = parseEnv(baseEnv);
  const clock = o.clock ?? (() => new Date());
  const openKeys = (): KeyStore =>
    hsm ? new Pkcs11KeyStore(hsm) : new SoftwareKeyStore(join(dir, 'pki'), 'test-passphrase');
  const servers: { close(cb?: () => void): void }[] = [];
  const rig = {} as TrustRig;
  const open = async () => {
    const db = openDatabase(join(dir, 'inkan.sqlite'));
    const mailer = new SmtpMailer(config.smtpUrl!, config.mailFrom);
    const emailCodes = new SqliteEmailCodes(db, mailer, clock);
    const trust = await openTrustServices({
      config,
      db,
      clock,
      keys: openKeys(),
      tsaAnchors: o.tsaAnchors,
      tsaLimiter: o.tsaLimiter ?? new RateLimiter({ burst: 1000, perSecond: 1000 })
    });
    const app = createApp({
      config,
      db,
      blobs: new FileBlobStore(join(dir, 'blobs')),
      clock,
      mailer,
      emailCodes,
      trust
    });
    Object.assign(rig, { app, db, trust });
  };
  const shut = async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise<void>((ok) => s.close(() => ok()))));
    rig.trust.close();
    rig.db.close();
  };
  await open();
  Object.assign(rig, {
    config,
    mailbox,
    dir,
    clock,
    restart: async (env?: Record<string, string>) => {
      await shut();
      if (env) rig.config = config = parseEnv({ ...baseEnv, ...env });
      await open();
    },
    listen: () =>
      new Promise<string>((ok) => {
        // The first listener takes the public URL's port; any further one gets a free port.
        const s = serve(
          { fetch: (req) => rig.app.fetch(req), hostname: '127.0.0.1', port: servers.length ? 0 : port },
          (info: AddressInfo) => ok(`http://127.0.0.1:${info.port}`)
        );
        servers.push(s);
      }),
    close: async () => {
      await shut();
      await mailbox.stop();
      hsm?.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return rig;
}

/** openssl, async (a sync child would deadlock against a server in this same process). */
export function openssl(args: string[], input?: Uint8Array): Promise<{ ok: boolean; out: string }> {
  return new Promise((ok) => {
    import('node:child_process').then(({ spawn }) => {
      const p = spawn('openssl', args);
      let out = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      p.stderr.on('data', (d: Buffer) => (out += d.toString()));
      p.on('close', (code) => ok({ ok: code === 0, out }));
      if (input) p.stdin.end(Buffer.from(input));
      else p.stdin.end();
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => ok(port));
    });
  });
}
