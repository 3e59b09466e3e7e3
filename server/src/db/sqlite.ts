import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations, type Migration } from './migrations.ts';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the SQLite database and brings its schema up to date.
 * Migrations are append-only and run inside one transaction each; `schema_migrations` records which ran.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: Db, list: Migration[] = migrations): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const done = new Set((db.prepare('SELECT id FROM schema_migrations').all() as { id: string }[]).map((r) => r.id));
  const record = db.prepare(
    "INSERT INTO schema_migrations (id, applied_at) VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
  );
  for (const m of list) {
    if (done.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.id);
    })();
  }
}

/** Number of migrations applied: reported by /api/health. */
export function schemaVersion(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n;
}
