import type { Db } from '../db/sqlite.ts';
import type { FileBlobStore } from '../blobs/store.ts';
import type { EmailCodes, EnvelopeMailer } from './ports.ts';

/** What the envelope, blob and access routes are built from (a subset of AppDeps plus the two ports). */
export interface EnvelopeDeps {
  db: Db;
  blobs: FileBlobStore;
  config: { publicUrl: string; maxBlobBytes: number; recoveryPublicKey: string | null };
  clock: () => Date;
  mailer: EnvelopeMailer;
  codes: EmailCodes;
}

/** How long a counterparty's session lasts after the e-mail code: long enough to read and sign. */
export const PARTICIPANT_SESSION_MS = 24 * 60 * 60 * 1000;
