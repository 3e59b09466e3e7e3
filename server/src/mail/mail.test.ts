import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { FileBlobStore } from '../blobs/store.ts';
import { openDatabase, type Db } from '../db/sqlite.ts';
import { parseEnv } from '../env.ts';
import { SqliteEmailCodes } from '../envelopes/codes.ts';
import { startMailbox, type Mailbox } from '../envelopes/test-kit.ts';
import { OutboxMailer, SmtpMailer } from './mailer.ts';

describe('SmtpMailer against a real smtp-server listener', () => {
  let box: Mailbox;
  beforeAll(async () => {
    box = await startMailbox();
  });
  afterAll(() => box.stop());

  it('delivers to the listener', async () => {
    const m = new SmtpMailer(`smtp://127.0.0.1:${box.port}`, 'Inkan <no-reply@inkan.test>');
    await m.send({ to: 'hanako@example.jp', subject: '署名のお願い', text: 'こんにちは' });
    expect(box.last('hanako@example.jp').subject).toBe('署名のお願い');
    m.close();
  });

  it('fails with MAIL_FAILED when the server is gone, and refuses header injection', async () => {
    const m = new SmtpMailer('smtp://127.0.0.1:1', 'Inkan <no-reply@inkan.test>');
    await expect(m.send({ to: 'a@example.jp', subject: 's', text: 't' })).rejects.toMatchObject({
      code: 'MAIL_FAILED'
    });
    await expect(m.send({ to: 'a@example.jp', subject: 's\r\nBcc: x@evil.test', text: 't' })).rejects.toMatchObject({
      code: 'MAIL_FAILED'
    });
    await expect(m.send({ to: 'not an address', subject: 's', text: 't' })).rejects.toMatchObject({
      code: 'MAIL_FAILED'
    });
  });
});

describe('dev outbox', () => {
  let dir: string;
  let db: Db;
  const app = (env: Record<string, string>) => {
    const config = parseEnv({ INKAN_DATA_DIR: dir, INKAN_WEB_DIR: dir, ...env });
    const clock = () => new Date('2026-06-01T00:00:00Z');
    const mailer = new OutboxMailer(db, clock);
    return {
      mailer,
      app: createApp({
        config,
        db,
        blobs: new FileBlobStore(join(dir, 'blobs')),
        clock,
        mailer,
        emailCodes: new SqliteEmailCodes(db, mailer, clock)
      })
    };
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'inkan-outbox-'));
    db = openDatabase(join(dir, 'inkan.sqlite'));
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores mails in SQLite and lists them at GET /dev/mail (HTML, escaped) outside production', async () => {
    const { app: a, mailer } = app({});
    await mailer.send({ to: 'taro@example.jp', subject: '確認コード 123456', text: '<script>alert(1)</script>' });
    const page = await a.request('/dev/mail');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('確認コード 123456');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>alert');
    const json = (await (await a.request('/dev/mail?format=json')).json()) as { mails: { to: string }[] };
    expect(json.mails[0]!.to).toBe('taro@example.jp');
  });

  it('is refused as the mail path of a production server', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/INKAN_SMTP_URL/);
  });

  it('is not served in production', async () => {
    const { app: a } = app({ NODE_ENV: 'production', INKAN_SMTP_URL: 'smtp://127.0.0.1:2525' });
    expect(await (await a.request('/dev/mail')).text()).not.toContain('Dev outbox');
  });
});
