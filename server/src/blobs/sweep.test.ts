import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import {
  addRevision,
  createEnvelope,
  errorCode,
  json,
  setupSender,
  upload,
  useServers
} from '../envelopes/fixtures.ts';
import type { TestServer } from '../envelopes/test-kit.ts';
import { BLOB_GRACE_MS, startBlobSweeper, sweepOrphanBlobs } from './sweep.ts';

const server = useServers();
const HOUR = 3600_000;
const later = (s: TestServer, ms: number) => (s.now.value = new Date(s.now.value.getTime() + ms));
const file = (s: TestServer, id: string) => join(s.dir, 'blobs', id.slice(0, 2), id);
const row = (s: TestServer, id: string) => s.db.prepare('SELECT id FROM blobs WHERE id = ?').get(id);
const sweep = (s: TestServer) => sweepOrphanBlobs({ db: s.db, blobs: s.blobs, now: s.now.value });

describe('orphaned blob sweep (real blob folder, SQLite, injected clock)', () => {
  it('deletes an unreferenced upload only after the grace period, never a referenced one', async () => {
    const s = await server();
    const token = await setupSender(s);
    const env = await createEnvelope(s, token);
    const kept = await upload(s, token);
    await json(await addRevision(s, token, env.id, { blob: kept, previous: null, action: 'draft' }), 201);
    const orphan = await upload(s, token);

    later(s, BLOB_GRACE_MS - 1000);
    expect(sweep(s)).toEqual({ deleted: [], tempRemoved: 0 });
    expect(existsSync(file(s, orphan))).toBe(true);

    later(s, 2000);
    expect(sweep(s)).toEqual({ deleted: [orphan], tempRemoved: 0 });
    expect(existsSync(file(s, orphan))).toBe(false);
    expect(row(s, orphan)).toBeUndefined();
    expect(await errorCode(s.call('GET', `/blobs/${orphan}`, { token }))).toEqual([404, 'BLOB_NOT_FOUND']);
    // Too late for a revision: it is refused, not half-written.
    expect(await errorCode(addRevision(s, token, env.id, { blob: orphan, previous: kept, action: 'draft' }))).toEqual([
      404,
      'BLOB_NOT_FOUND'
    ]);

    // A year on, the referenced revision is still there and readable.
    later(s, 365 * 24 * HOUR);
    expect(sweep(s).deleted).toEqual([]);
    expect(existsSync(file(s, kept))).toBe(true);
    expect((await s.call('GET', `/blobs/${kept}`, { token })).status).toBe(200);
  });

  it('restarts the grace period when the same bytes are uploaded again', async () => {
    const s = await server();
    const token = await setupSender(s);
    const bytes = randomBytes(1500);
    const id = await upload(s, token, bytes);
    later(s, 23 * HOUR);
    expect(await upload(s, token, bytes)).toBe(id);
    later(s, 2 * HOUR);
    expect(sweep(s).deleted).toEqual([]);
    later(s, 23 * HOUR);
    expect(sweep(s).deleted).toEqual([id]);
  });

  it('removes files a crash left without a row, and stale temp files, by their modification time', async () => {
    const s = await server();
    const now = s.now.value;
    const bytes = randomBytes(100);
    const stray = createHash('sha256').update(bytes).digest('hex');
    mkdirSync(join(s.dir, 'blobs', stray.slice(0, 2)), { recursive: true });
    writeFileSync(file(s, stray), bytes);
    const tmp = join(s.dir, 'blobs', 'tmp');
    writeFileSync(join(tmp, 'upload.old'), 'half');
    writeFileSync(join(tmp, 'upload.inflight'), 'half');
    const ago = (ms: number) => new Date(now.getTime() - ms);
    utimesSync(file(s, stray), ago(HOUR), ago(HOUR));
    utimesSync(join(tmp, 'upload.old'), ago(25 * HOUR), ago(25 * HOUR));
    utimesSync(join(tmp, 'upload.inflight'), ago(HOUR), ago(HOUR));
    expect(sweep(s)).toEqual({ deleted: [], tempRemoved: 1 });
    expect(readdirSync(tmp)).toEqual(['upload.inflight']);
    utimesSync(file(s, stray), ago(25 * HOUR), ago(25 * HOUR));
    expect(sweep(s)).toEqual({ deleted: [stray], tempRemoved: 0 });
    expect(existsSync(file(s, stray))).toBe(false);
  });

  it('runs once at start and then on an unref’d timer', async () => {
    const s = await server();
    const token = await setupSender(s);
    const orphan = await upload(s, token);
    later(s, 25 * HOUR);
    const lines: string[] = [];
    const sweeper = startBlobSweeper({
      db: s.db,
      blobs: s.blobs,
      clock: () => s.now.value,
      intervalMs: 20,
      log: (l) => lines.push(l)
    });
    expect(lines).toEqual(['[inkan] blob sweep: removed 1 unreferenced blob(s), 0 temp file(s)']);
    expect(existsSync(file(s, orphan))).toBe(false);
    const next = await upload(s, token);
    later(s, 25 * HOUR);
    await expect.poll(() => existsSync(file(s, next)), { timeout: 2000 }).toBe(false);
    sweeper.stop();
  });
});
