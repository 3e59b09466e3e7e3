/**
 * Test helpers for the envelope area: a real SMTP listener (smtp-server) that keeps what it receives, a
 * nodemailer transport pointed at it, and a server assembled from real SQLite + real files in a temp folder.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Hono } from 'hono';
import { openDatabase, type Db } from '../db/sqlite.ts';
import { FileBlobStore } from '../blobs/store.ts';
import { createApp, type AppEnv } from '../app.ts';
import { parseEnv } from '../env.ts';
import { SqliteEmailCodes } from './codes.ts';
import { SmtpMailer } from '../mail/mailer.ts';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

export interface Mailbox {
  port: number;
  mails: ReceivedMail[];
  /** Recipients this mail server refuses (550), to test delivery failures. */
  refused: Set<string>;
  /** The last mail to `to`, failing the test if there is none. */
  last(to: string): ReceivedMail;
  stop(): Promise<void>;
}

export async function startMailbox(): Promise<Mailbox> {
  const mails: ReceivedMail[] = [];
  const refused = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(address, _session, callback) {
      if (refused.has(address.address)) {
        const err = new Error(`mailbox unavailable: ${address.address}`) as Error & { responseCode: number };
        err.responseCode = 550;
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const parts: Buffer[] = [];
      stream.on('data', (d: Buffer) => parts.push(d));
      stream.on('end', () => {
        const raw = Buffer.concat(parts).toString('latin1');
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          ...decodeMessage(raw)
        });
        callback();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    refused,
    last(to) {
      const found = mails.filter((m) => m.to.includes(to)).at(-1);
      if (!found) throw new Error(`no mail to ${to}; got ${mails.map((m) => m.to.join(',')).join(' | ')}`);
      return found;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve()))
  };
}

/** The 6-digit code of the last confirmation mail to `to` (sender setup, counterparty access), failing if none. */
export function mailedCode(mailbox: Mailbox, to: string): string {
  const m = /確認コード: (\d{6})/.exec(mailbox.last(to).text);
  if (!m) throw new Error(`the last mail to ${to} carries no confirmation code`);
  return m[1];
}

/** A minimal RFC 5322/2045/2047 reader for the single-part text mails nodemailer sends. */
function decodeMessage(raw: string): { subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1] ?? '';
  const subject = header('Subject').replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, enc: string, data: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(qp(data.replace(/_/g, ' ')), 'latin1').toString('utf8')
  );
  const cte = header('Content-Transfer-Encoding').toLowerCase();
  const bytes =
    cte === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
      : cte === 'quoted-printable'
        ? Buffer.from(qp(body.replace(/=\r\n/g, '')), 'latin1')
        : Buffer.from(body, 'latin1');
  return { subject, text: bytes.toString('utf8').replace(/\r\n/g, '\n') };
}

function qp(s: string): string {
  return s.replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

export interface TestServer {
  dir: string;
  db: Db;
  blobs: FileBlobStore;
  app: Hono<AppEnv>;
  mailbox: Mailbox;
  now: { value: Date };
  /** Calls the API; `ip` becomes the connection's peer address. */
  call(
    method: string,
    path: string,
    opts?: { token?: string; json?: unknown; body?: BodyInit; ip?: string }
  ): Promise<Response>;
  /** Closes the database (a "stopped" server); `reopen` starts a new one over the same folder. */
  close(): void;
}

export const PUBLIC_URL = 'https://inkan.test';

export async function startTestServer(
  opts: { dir?: string; mailbox?: Mailbox; maxBlobBytes?: number; recoveryPublicKey?: string } = {}
): Promise<TestServer> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'inkan-envelopes-'));
  const mailbox = opts.mailbox ?? (await startMailbox());
  const db = openDatabase(join(dir, 'inkan.sqlite'));
  const blobs = new FileBlobStore(join(dir, 'blobs'));
  const now = { value: new Date('2026-04-01T09:00:00Z') };
  const clock = () => now.value;
  const config = parseEnv({
    INKAN_DATA_DIR: dir,
    INKAN_WEB_DIR: join(dir, 'web'),
    INKAN_PUBLIC_URL: PUBLIC_URL,
    INKAN_MAX_BLOB_BYTES: String(opts.maxBlobBytes ?? 8 * 1024 * 1024),
    INKAN_RECOVERY_PUBLIC_KEY: opts.recoveryPublicKey,
    INKAN_SMTP_URL: `smtp://127.0.0.1:${mailbox.port}`
  });
  const mailer = new SmtpMailer(config.smtpUrl!, config.mailFrom);
  // The production factory, so the tests also prove the routes are wired into it.
  const app = createApp({ config, db, blobs, clock, mailer, emailCodes: new SqliteEmailCodes(db, mailer, clock) });
  return {
    dir,
    db,
    blobs,
    app,
    mailbox,
    now,
    call(method, path, o = {}) {
      const headers: Record<string, string> = {};
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      let body = o.body;
      if (o.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(o.json);
      }
      const env = { incoming: { socket: { remoteAddress: o.ip ?? '192.0.2.10', remotePort: 50000 } } };
      return Promise.resolve(app.request(`/api${path}`, { method, headers, body }, env));
    },
    close: () => db.close()
  };
}
