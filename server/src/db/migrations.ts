/**
 * Schema migrations, applied in list order, each once (recorded by id in `schema_migrations`).
 * Never edit or reorder a shipped entry: append a new one. Ids are `<area>-<nnn>`, e.g. `ca-001`.
 */
export interface Migration {
  id: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    id: 'core-001',
    sql: `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
          INSERT INTO meta (key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));`
  }
];
