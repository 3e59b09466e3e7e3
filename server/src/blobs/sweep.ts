import type { Db } from '../db/sqlite.ts';
import type { FileBlobStore } from './store.ts';

/** How long an unreferenced blob is kept: an upload is followed by its revision within seconds, 24 h is ample. */
export const BLOB_GRACE_MS = 24 * 60 * 60 * 1000;
export const SWEEP_INTERVAL_MS = 24 * 60 * 60 * 1000;

export interface SweepResult {
  /** Blob ids whose file and row were removed. */
  deleted: string[];
  /** Abandoned temp files removed. */
  tempRemoved: number;
}

/**
 * Deletes ciphertext blobs that no revision references and that are older than `graceMs`: uploads whose
 * revision never came (a closed tab, a conflict lost and retried with another blob), and files a crash left
 * without a row. A blob's age is its row's `created_at` (refreshed when the same bytes are uploaded again), or
 * the file's modification time when there is no row. A referenced blob is never deleted: the check and the row's
 * removal run in one transaction, and the file goes right after it in the same synchronous step, so no request
 * can reference the blob in between.
 */
export function sweepOrphanBlobs(deps: { db: Db; blobs: FileBlobStore; now: Date; graceMs?: number }): SweepResult {
  const { db, blobs } = deps;
  const cutoff = new Date(deps.now.getTime() - (deps.graceMs ?? BLOB_GRACE_MS));
  const referenced = db.prepare('SELECT 1 FROM revisions WHERE blob = ? LIMIT 1');
  const row = db.prepare('SELECT created_at FROM blobs WHERE id = ?');
  const removeRow = db.prepare('DELETE FROM blobs WHERE id = ?');
  const orphan = (id: string, fileTime: Date | null): boolean => {
    if (referenced.get(id)) return false;
    const r = row.get(id) as { created_at: string } | undefined;
    const since = r ? new Date(r.created_at) : fileTime;
    return since !== null && since < cutoff;
  };
  const deleted: string[] = [];
  const claim = db.transaction((id: string, fileTime: Date | null) => {
    if (!orphan(id, fileTime)) return false;
    removeRow.run(id);
    return true;
  });
  const seen = new Set<string>();
  for (const { id, modifiedAt } of blobs.entries()) {
    seen.add(id);
    if (claim(id, modifiedAt)) {
      blobs.delete(id);
      deleted.push(id);
    }
  }
  // Rows whose file is already gone (nothing to serve) are cleared by the same rule.
  for (const { id } of db.prepare('SELECT id FROM blobs').all() as { id: string }[])
    if (!seen.has(id) && claim(id, null)) deleted.push(id);
  return { deleted, tempRemoved: blobs.removeStaleTemp(cutoff) };
}

/**
 * Runs the sweep once now and then every `intervalMs` on an unref'd timer (it never keeps the process alive).
 * A failing sweep is logged and retried at the next tick; it never stops the server.
 */
export function startBlobSweeper(deps: {
  db: Db;
  blobs: FileBlobStore;
  clock: () => Date;
  graceMs?: number;
  intervalMs?: number;
  log?: (line: string) => void;
}): { stop(): void } {
  const log = deps.log ?? ((l: string) => console.log(l));
  const run = () => {
    try {
      const r = sweepOrphanBlobs({ db: deps.db, blobs: deps.blobs, now: deps.clock(), graceMs: deps.graceMs });
      if (r.deleted.length || r.tempRemoved)
        log(`[inkan] blob sweep: removed ${r.deleted.length} unreferenced blob(s), ${r.tempRemoved} temp file(s)`);
    } catch (e) {
      log(`[inkan] blob sweep failed: ${(e as Error).message}`);
    }
  };
  run();
  const timer = setInterval(run, deps.intervalMs ?? SWEEP_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
