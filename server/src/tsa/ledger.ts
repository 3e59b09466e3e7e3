import { closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';
import type { Db } from '../db/sqlite.ts';

/** One granted timestamp as `tsa_tokens` records it. */
export interface TokenRecord {
  serial: number;
  genTime: string;
  hashAlg: string;
  /** Hex of the hashed message. */
  imprint: string;
  client: string;
}

/**
 * The built-in TSA's serial numbers and its log of issued tokens (ETSI EN 319 421 §7.7: issued tokens are
 * recorded), both in SQLite and both kept off the per-request path:
 *
 * - Serials come from blocks of `blockSize` reserved in `tsa_serial_blocks` by a transaction synced to disk
 *   before the first serial of the block is used. A restart — also after a crash or power loss, when the last
 *   block was only partly used — reserves above the highest block ever reserved (and above any logged token), so
 *   no serial is issued twice; unused serials of a crashed block are a gap, which RFC 3161 allows (unique, not
 *   consecutive).
 * - Token rows are written by group commit: every token finished in one turn of the event loop goes into one
 *   transaction, and {@link record} resolves only once that transaction is on disk — a reply is never sent for a
 *   token whose row could still be lost. The disk sync is an `fdatasync` of the WAL file on libuv's thread pool
 *   (what `synchronous = FULL` would do inside the commit, but without stopping the event loop for the ~ms it
 *   takes: other requests are parsed and signed meanwhile, and their rows form the next group). Without a WAL
 *   (an in-memory or rollback-journal database) the commit itself is synced instead.
 */
export class TsaLedger {
  private next = 0;
  private last = -1;
  private pending: { row: TokenRecord; done: (e?: unknown) => void }[] = [];
  private scheduled: NodeJS.Immediate | null = null;
  private closed = false;
  private readonly wal: string | null;
  private walFd: number | null = null;
  /** Batches committed but not yet synced, released together by the next fdatasync. */
  private unsynced: ((e?: unknown) => void)[] = [];
  private syncing = false;
  private readonly insert;
  private readonly reserve;
  private readonly high;

  constructor(
    private readonly db: Db,
    private readonly clock: () => Date,
    private readonly blockSize = 1000
  ) {
    if (!Number.isSafeInteger(blockSize) || blockSize < 1) throw new RangeError('blockSize must be a positive integer');
    this.insert = db.prepare(
      'INSERT INTO tsa_tokens (serial, gen_time, hash_alg, imprint, client) VALUES (?, ?, ?, ?, ?)'
    );
    this.reserve = db.prepare('INSERT INTO tsa_serial_blocks (first, last, reserved_at) VALUES (?, ?, ?)');
    const walMode = !db.memory && db.pragma('journal_mode', { simple: true }) === 'wal';
    this.wal = walMode ? `${db.name}-wal` : null;
    this.high = db.prepare(
      `SELECT max(coalesce((SELECT max(last) FROM tsa_serial_blocks), 0),
                  coalesce((SELECT max(serial) FROM tsa_tokens), 0)) AS high`
    );
  }

  /** The next serial number: from the current block, reserving a new block (one synced write) when it is used up. */
  nextSerial(): number {
    if (this.closed) throw new Error('TSA ledger closed');
    if (this.next > this.last) {
      const first = (this.high.get() as { high: number }).high + 1;
      const last = first + this.blockSize - 1;
      this.durably(() => this.reserve.run(first, last, this.clock().toISOString()));
      this.next = first;
      this.last = last;
    }
    return this.next++;
  }

  /** Resolves once the token's row is committed and synced (shared with the other tokens of this turn). */
  record(row: TokenRecord): Promise<void> {
    if (this.closed) return Promise.reject(new Error('TSA ledger closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ row, done: (e) => (e === undefined ? resolve() : reject(e as Error)) });
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /**
   * Commits whatever is waiting now; its waiters are released once the WAL is synced. `sync: true` (close) syncs
   * inside the commit instead, so the rows are on disk when this returns.
   */
  flush(sync = false): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    const write = () => {
      for (const { row: r } of batch) this.insert.run(r.serial, r.genTime, r.hashAlg, r.imprint, r.client);
    };
    const settle = (e?: unknown) => {
      for (const p of batch) p.done(e);
    };
    try {
      if (sync || !this.wal) {
        this.durably(write);
        settle();
        return;
      }
      this.db.transaction(write)();
    } catch (e) {
      settle(e);
      return;
    }
    this.unsynced.push(settle);
    this.syncWal();
  }

  /** One fdatasync at a time; whatever was committed while it ran waits for the next one (group commit). */
  private syncWal(): void {
    if (this.syncing || this.unsynced.length === 0) return;
    const waiting = this.unsynced;
    this.unsynced = [];
    this.syncing = true;
    const done = (e?: unknown) => {
      this.syncing = false;
      for (const settle of waiting) settle(e ?? undefined);
      if (this.closed) this.closeWal();
      else this.syncWal();
    };
    try {
      // The WAL file stays the same inode while the connection is open (SQLite deletes it on close only).
      this.walFd ??= openSync(this.wal!, 'r');
    } catch (e) {
      done(e);
      return;
    }
    fdatasync(this.walFd, (e) => done(e ?? undefined));
  }

  /** Commits and syncs everything still waiting; the ledger takes nothing afterwards. */
  close(): void {
    this.flush(true);
    this.closed = true;
    const waiting = this.unsynced;
    this.unsynced = [];
    if (waiting.length) {
      let error: unknown;
      try {
        this.walFd ??= openSync(this.wal!, 'r');
        fdatasyncSync(this.walFd);
      } catch (e) {
        error = e;
      }
      for (const settle of waiting) settle(error);
    }
    if (!this.syncing) this.closeWal();
  }

  private closeWal(): void {
    if (this.walFd !== null) closeSync(this.walFd);
    this.walFd = null;
  }

  /**
   * One transaction committed with a full sync of the WAL (the connection otherwise runs `synchronous = NORMAL`,
   * which survives a process crash but may lose the last commits on power loss). better-sqlite3 is synchronous,
   * so nothing else runs on the connection while the setting is raised.
   */
  private durably(work: () => void): void {
    const before = this.db.pragma('synchronous', { simple: true }) as number;
    if (before < 2) this.db.pragma('synchronous = FULL');
    try {
      this.db.transaction(work)();
    } finally {
      if (before < 2) this.db.pragma(`synchronous = ${before}`);
    }
  }
}
