import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../app.ts';
import { parseEnv } from '../env.ts';
import { openDatabase } from '../db/sqlite.ts';
import { FileBlobStore } from '../blobs/store.ts';
import { migrations } from '../db/migrations.ts';
import { OutboxMailer } from '../mail/mailer.ts';
import { SqliteEmailCodes } from '../envelopes/codes.ts';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'inkan-health-'));
  const web = join(dir, 'web');
  mkdirSync(web);
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>shell</title>');
  const config = parseEnv({ INKAN_DATA_DIR: dir, INKAN_WEB_DIR: web });
  const db = openDatabase(join(dir, 'inkan.sqlite'));
  const blobs = new FileBlobStore(join(dir, 'blobs'));
  const clock = () => new Date('2026-01-02T03:04:05Z');
  const mailer = new OutboxMailer(db, clock);
  const app = createApp({ config, db, blobs, clock, mailer, emailCodes: new SqliteEmailCodes(db, mailer, clock) });
  return { app, dir, db, blobs, cleanup: () => (db.close(), rmSync(dir, { recursive: true, force: true })) };
}

describe('GET /api/health', () => {
  it('reports version and store status', async () => {
    const { app, cleanup } = setup();
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      name: 'inkan',
      version: '0.1.0',
      time: '2026-01-02T03:04:05.000Z',
      stores: {
        database: { ok: true, kind: 'sqlite', schemaVersion: migrations.length },
        blobs: { ok: true, kind: 'file' }
      }
    });
    cleanup();
  });

  it('reports degraded with 503 when the blob folder is gone', async () => {
    const { app, dir, cleanup } = setup();
    rmSync(join(dir, 'blobs'), { recursive: true });
    const res = await app.request('/api/health');
    expect(res.status).toBe(503);
    expect((await res.json()).status).toBe('degraded');
    cleanup();
  });

  it('answers unknown API routes with a typed 404 and unknown pages with the SPA shell', async () => {
    const { app, cleanup } = setup();
    const api = await app.request('/api/nope');
    expect(api.status).toBe(404);
    expect((await api.json()).error.code).toBe('NOT_FOUND');
    const page = await app.request('/drafts/123');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>shell</title>');
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    cleanup();
  });
});

describe('parseEnv', () => {
  it('fails fast on a bad port', () => {
    expect(() => parseEnv({ PORT: 'eighty' })).toThrow(/PORT/);
  });
  it('keeps unreferenced blobs 24 h unless told otherwise, in whole hours', () => {
    expect(parseEnv({}).blobGraceMs).toBe(24 * 3_600_000);
    expect(parseEnv({ INKAN_BLOB_GRACE_HOURS: '2' }).blobGraceMs).toBe(2 * 3_600_000);
    for (const bad of ['0', '1.5', 'soon']) expect(() => parseEnv({ INKAN_BLOB_GRACE_HOURS: bad })).toThrow(/GRACE/);
  });
  it('reuses the data folder across starts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inkan-env-'));
    const a = openDatabase(join(dir, 'x.sqlite'));
    a.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
    a.close();
    const b = openDatabase(join(dir, 'x.sqlite'));
    expect(b.prepare("SELECT value FROM meta WHERE key = 'k'").get()).toEqual({ value: 'v' });
    b.close();
    rmSync(dir, { recursive: true });
  });
});
