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
  },
  {
    // Envelopes: sender profile + sessions, envelopes with their 電帳法 search keys, participants, the revision
    // chain (UNIQUE (envelope_id, idx) backs the optimistic "previous must be head" check), wrapped content keys,
    // uploaded blobs, and the append-only hash-chained event log.
    id: 'env-001',
    sql: `CREATE TABLE senders (id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, created_at TEXT NOT NULL);
          CREATE TABLE envelopes (
            id TEXT PRIMARY KEY, sender_id TEXT NOT NULL REFERENCES senders(id), title TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'signed', 'completed')),
            tx_date TEXT NOT NULL, tx_counterparty TEXT NOT NULL, tx_amount INTEGER NOT NULL, tx_currency TEXT NOT NULL,
            head TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
          CREATE INDEX envelopes_by_transaction ON envelopes (tx_date, tx_counterparty, tx_amount);
          CREATE TABLE participants (
            id TEXT PRIMARY KEY, envelope_id TEXT NOT NULL REFERENCES envelopes(id), position INTEGER NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('sender', 'counterparty')), name TEXT NOT NULL, email TEXT NOT NULL,
            signing_type TEXT NOT NULL, fields TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'viewed', 'signed')),
            signed_at TEXT, access_token_hash TEXT UNIQUE);
          CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY, sender_id TEXT REFERENCES senders(id),
            participant_id TEXT REFERENCES participants(id), created_at TEXT NOT NULL, expires_at TEXT,
            CHECK ((sender_id IS NULL) <> (participant_id IS NULL)));
          CREATE TABLE blobs (id TEXT PRIMARY KEY, size INTEGER NOT NULL, uploaded_by TEXT NOT NULL, created_at TEXT NOT NULL);
          CREATE TABLE revisions (
            envelope_id TEXT NOT NULL REFERENCES envelopes(id), idx INTEGER NOT NULL,
            blob TEXT NOT NULL REFERENCES blobs(id), previous TEXT, action TEXT NOT NULL,
            participant_id TEXT NOT NULL REFERENCES participants(id), created_at TEXT NOT NULL,
            PRIMARY KEY (envelope_id, idx));
          CREATE INDEX revisions_by_blob ON revisions (blob);
          CREATE TABLE wrapped_keys (
            id INTEGER PRIMARY KEY AUTOINCREMENT, envelope_id TEXT NOT NULL REFERENCES envelopes(id),
            participant_id TEXT REFERENCES participants(id), key TEXT NOT NULL, created_at TEXT NOT NULL);
          CREATE TABLE events (
            envelope_id TEXT NOT NULL REFERENCES envelopes(id), seq INTEGER NOT NULL, type TEXT NOT NULL,
            at TEXT NOT NULL, email TEXT, ip TEXT, detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
            PRIMARY KEY (envelope_id, seq));
          CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
          CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;`
  },
  {
    // E-mail one-time codes for the counterparty's access (hashed codes only, 10 min, 5 attempts).
    id: 'env-002',
    sql: `CREATE TABLE email_codes (
            email TEXT NOT NULL, purpose TEXT NOT NULL, code_hash TEXT NOT NULL, expires_at TEXT NOT NULL,
            attempts INTEGER NOT NULL, PRIMARY KEY (email, purpose));`
  },
  {
    // Dev outbox: mails stored instead of sent when no SMTP server is configured (listed at GET /dev/mail).
    id: 'mail-001',
    sql: `CREATE TABLE dev_outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, to_addr TEXT NOT NULL,
            subject TEXT NOT NULL, text TEXT NOT NULL, html TEXT);`
  },
  {
    // Certificate authority: every certificate it issued (serial unique per CA, random 128-bit), revocations,
    // one-time enrollment tokens (SHA-256 only) and counters (CRL number).
    id: 'ca-001',
    sql: `CREATE TABLE ca_certificates (
            serial TEXT PRIMARY KEY, role TEXT NOT NULL, issuer_serial TEXT, subject TEXT NOT NULL, email TEXT,
            key_label TEXT, der BLOB NOT NULL, not_before TEXT NOT NULL, not_after TEXT NOT NULL, issued_at TEXT NOT NULL,
            revoked_at TEXT, revocation_reason TEXT);
          CREATE INDEX ca_certificates_by_role ON ca_certificates (role, issued_at);
          CREATE TABLE ca_enrollments (
            token_hash TEXT PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL, created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL, used_at TEXT, certificate_serial TEXT);
          CREATE TABLE ca_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);`
  },
  {
    // Built-in TSA: one row per granted timestamp; the AUTOINCREMENT id is the TSTInfo serial (never reused).
    id: 'tsa-001',
    sql: `CREATE TABLE tsa_tokens (serial INTEGER PRIMARY KEY AUTOINCREMENT, gen_time TEXT NOT NULL,
            hash_alg TEXT NOT NULL, imprint TEXT NOT NULL, client TEXT);`
  },
  {
    // Witness (契約印) hash signing: every signHash call (who, e-mail, digest, time, IP); append-only.
    id: 'sign-001',
    sql: `CREATE TABLE witness_signatures (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,
            principal TEXT NOT NULL, email TEXT NOT NULL, envelope_id TEXT, hash_alg TEXT NOT NULL, digest TEXT NOT NULL,
            ip TEXT, certificate_serial TEXT NOT NULL);
          CREATE TABLE witness_grants (token_hash TEXT PRIMARY KEY, email TEXT NOT NULL, expires_at TEXT NOT NULL,
            uses_left INTEGER NOT NULL);
          CREATE TRIGGER witness_signatures_append_only_update BEFORE UPDATE ON witness_signatures
            BEGIN SELECT RAISE(ABORT, 'witness_signatures is append-only'); END;
          CREATE TRIGGER witness_signatures_append_only_delete BEFORE DELETE ON witness_signatures
            BEGIN SELECT RAISE(ABORT, 'witness_signatures is append-only'); END;`
  },
  {
    // The SHA-256 of the certificate a CA row was issued under (null: self-signed), so service certificates are
    // re-issued when the issuing CA certificate changes (e.g. an imported commercial chain).
    id: 'ca-002',
    sql: `ALTER TABLE ca_certificates ADD COLUMN issuer_sha256 TEXT;`
  },
  {
    // Sender setup awaiting its e-mail code: the name to create the profile with once the address is proven.
    id: 'env-003',
    sql: `CREATE TABLE sender_setups (email TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL);`
  },
  {
    // A counterparty's signing link revoked by the sender (null: not revoked); a resend issues a fresh link.
    id: 'env-004',
    sql: `ALTER TABLE participants ADD COLUMN access_revoked_at TEXT;`
  },
  {
    // Built-in TSA serials are handed out from blocks reserved here (durably, before any serial of the block is
    // used): a restart — even after a crash — starts above the last reserved block, so no serial is issued twice.
    id: 'tsa-002',
    sql: `CREATE TABLE tsa_serial_blocks (first INTEGER PRIMARY KEY, last INTEGER NOT NULL, reserved_at TEXT NOT NULL);`
  }
];
