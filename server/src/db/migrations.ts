/**
 * Append-only list of schema migrations. Never edit a shipped entry: add a new one.
 * Index i brings the schema from user_version i to i + 1.
 */
export const migrations: string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   INSERT INTO meta (key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));`
];
