import { z } from 'zod';

/**
 * Envelope API: a document (encrypted in the browser), its participants, its revision chain and its event log.
 * The server stores ciphertext and metadata only; see README "Trust model".
 */

/** Stable error codes of the envelope, blob and access routes (`{ error: { code, message } }`). */
export const ENVELOPE_ERROR_CODES = [
  'UNAUTHENTICATED', // no or unknown bearer token (401)
  'FORBIDDEN', // authenticated, but not for this envelope/blob/action (403)
  'INVALID_REQUEST', // body or parameters do not match the schema (400)
  'SETUP_DONE', // a verified sender profile already exists (409)
  'PARTICIPANT_NOT_FOUND', // no counterparty with that id in this envelope (404)
  'ENVELOPE_NOT_FOUND', // (404)
  'ENVELOPE_STATE', // the action does not fit the envelope's status, e.g. sending twice (409)
  'REVISION_CONFLICT', // `previous` is not the current head: fetch, rebase, retry (409)
  'BLOB_NOT_FOUND', // (404)
  'BLOB_TOO_LARGE', // above INKAN_MAX_BLOB_BYTES (413)
  'ACCESS_TOKEN_INVALID', // the signing link's `t=` is unknown or revoked (403)
  'MAIL_FAILED', // the mail server refused the invitation/notification (502)
  'RECOVERY_KEY_MISSING', // the server has no organisation recovery key configured (404)
  'OTP_INVALID', // wrong code, none requested, or already used (400)
  'OTP_EXPIRED', // older than 10 minutes (400)
  'OTP_TOO_MANY_ATTEMPTS', // 5 wrong codes: ask for a new one (429)
  'RATE_LIMITED' // too many code or invitation mails (429)
] as const;
export type EnvelopeErrorCode = (typeof ENVELOPE_ERROR_CODES)[number];

/** Hex SHA-256 of a ciphertext blob; also the id of a revision. */
export const BlobIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a blob id is 64 lowercase hex digits');
export const EnvelopeIdSchema = z.string().regex(/^env_[A-Za-z0-9_-]{22}$/, 'not an envelope id');
export const EmailSchema = z.email().max(254);
const b64url = (max: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'base64url')
    .max(max);

/** A content key wrapped by `@inkan/vault` (its `WrappedKey`), opaque to the server. */
export const WrappedKeySchema = z.object({
  v: z.literal(1),
  kind: z.enum(['device', 'recovery', 'link']),
  alg: z.enum(['ECDH-ES+HKDF-SHA256+A256KW', 'HKDF-SHA256+A256KW']),
  kid: b64url(64).optional(),
  epk: b64url(128).optional(),
  wrapped: b64url(128)
});
export type WrappedKeyJson = z.infer<typeof WrappedKeySchema>;

/**
 * 電子帳簿保存法 search keys (取引年月日, 取引先, 取引金額): the organisation's own index, stored in clear in the
 * database so that an auditor's search works without decrypting documents. Amount in the currency's minor unit.
 */
export const TransactionSchema = z.object({
  date: z.iso.date(),
  counterparty: z.string().trim().min(1).max(200),
  amount: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('JPY')
});
export type Transaction = z.infer<typeof TransactionSchema>;

/** A signature field: page (1-based) and rectangle in PDF user-space points, origin bottom-left. */
export const FieldSchema = z.object({
  page: z.number().int().min(1),
  x: z.number().nonnegative(),
  y: z.number().nonnegative(),
  width: z.number().positive(),
  height: z.number().positive()
});
export type Field = z.infer<typeof FieldSchema>;

/** 実印 (`jitsuin`: the signer's own key and certificate) or 契約印 (`keiyakuin`: the platform's witness signature). */
export const SigningTypeSchema = z.enum(['jitsuin', 'keiyakuin']);
export type SigningType = z.infer<typeof SigningTypeSchema>;

export const ParticipantInputSchema = z.object({
  role: z.enum(['sender', 'counterparty']),
  name: z.string().trim().min(1).max(200),
  email: EmailSchema,
  signingType: SigningTypeSchema,
  fields: z.array(FieldSchema).max(50).default([])
});
export type ParticipantInput = z.input<typeof ParticipantInputSchema>;

export const CreateEnvelopeRequestSchema = z
  .object({
    title: z.string().trim().min(1).max(300),
    transaction: TransactionSchema,
    participants: z.array(ParticipantInputSchema).min(2).max(10)
  })
  .refine((r) => r.participants.filter((p) => p.role === 'sender').length === 1, {
    message: 'exactly one participant is the sender',
    path: ['participants']
  })
  .refine((r) => new Set(r.participants.map((p) => p.email.toLowerCase())).size === r.participants.length, {
    message: 'each participant needs their own e-mail address',
    path: ['participants']
  });
export type CreateEnvelopeRequest = z.input<typeof CreateEnvelopeRequestSchema>;

/** Adds wrapped content keys; a `link` key names the counterparty whose signing link carries the secret. */
export const AddKeysRequestSchema = z.object({
  keys: z
    .array(z.object({ participantId: z.string().max(40).optional(), key: WrappedKeySchema }))
    .min(1)
    .max(20)
});
export type AddKeysRequest = z.infer<typeof AddKeysRequestSchema>;

/**
 * What a revision does: `draft` (sender's edits before sending), `sign` (the uploader's signature is in it),
 * `finalize` (the long-term extension, B-LTA, after everyone signed: completes the envelope).
 */
export const RevisionActionSchema = z.enum(['draft', 'sign', 'finalize']);
export type RevisionAction = z.infer<typeof RevisionActionSchema>;

/** Appends a revision; `previous` must be the current head (null for the first), else 409 REVISION_CONFLICT. */
export const AddRevisionRequestSchema = z.object({
  blob: BlobIdSchema,
  previous: BlobIdSchema.nullable(),
  action: RevisionActionSchema
});
export type AddRevisionRequest = z.infer<typeof AddRevisionRequestSchema>;

/**
 * Sends the invitations. `linkSecrets` maps a counterparty's participant id to their `#k=` value. It is optional:
 * when given, the server places it in that invitation mail's link and nowhere else (not stored, not logged); when
 * absent the mail carries the link without it and the sender passes the secret on another channel.
 */
export const SendRequestSchema = z.object({
  linkSecrets: z.record(z.string().max(40), b64url(64)).optional()
});
export type SendRequest = z.infer<typeof SendRequestSchema>;

/**
 * `POST /api/envelopes/:id/participants/:pid/resend`: a fresh signing link for one counterparty (the previous one
 * stops working) mailed again. `linkSecret` is the same opt-in as in {@link SendRequestSchema}: only when given
 * does the mail carry the key; it is not stored or logged.
 */
export const ResendRequestSchema = z.object({ linkSecret: b64url(64).optional() });
export type ResendRequest = z.infer<typeof ResendRequestSchema>;

/**
 * Claiming a fresh server takes two steps: `POST /api/setup {name, email}` mails a 6-digit code to that address
 * (202 {@link SetupPendingResponse}); `POST /api/setup/verify {email, code}` creates the sender profile and answers
 * its session ({@link SetupResponse}). Only a verified address claims the server: the first to verify wins.
 */
export const SetupRequestSchema = z.object({ name: z.string().trim().min(1).max(200), email: EmailSchema });
export type SetupRequest = z.infer<typeof SetupRequestSchema>;
export interface SetupPendingResponse {
  pending: true;
  /** The address the code went to, masked: `h***@sender.example`. */
  sentTo: string;
}
export const SetupVerifyRequestSchema = z.object({
  email: EmailSchema,
  code: z.string().regex(/^\d{6}$/, 'the code has 6 digits')
});
export type SetupVerifyRequest = z.infer<typeof SetupVerifyRequestSchema>;

export interface Sender {
  id: string;
  name: string;
  email: string;
}
export interface SetupResponse {
  token: string;
  sender: Sender;
}

/** Counterparty: ask for the e-mail code with the signing link's `t=` token. */
export const AccessRequestSchema = z.object({ token: z.string().min(20).max(100) });
export type AccessRequest = z.infer<typeof AccessRequestSchema>;
export interface AccessResponse {
  /** The address the code went to, masked: `t***@example.jp`. */
  sentTo: string;
}
export const AccessVerifyRequestSchema = z.object({
  token: z.string().min(20).max(100),
  code: z.string().regex(/^\d{6}$/, 'the code has 6 digits')
});
export type AccessVerifyRequest = z.infer<typeof AccessVerifyRequestSchema>;
export interface AccessVerifyResponse {
  /** Bearer token for this envelope only. */
  token: string;
  envelopeId: string;
  participantId: string;
  expiresAt: string;
}

export type EnvelopeStatus = 'draft' | 'sent' | 'signed' | 'completed';
export type ParticipantStatus = 'pending' | 'viewed' | 'signed';

export interface Participant {
  id: string;
  role: 'sender' | 'counterparty';
  name: string;
  email: string;
  signingType: SigningType;
  fields: Field[];
  status: ParticipantStatus;
  signedAt: string | null;
  /** When the sender revoked this counterparty's signing link (null: not revoked; a resend clears it). */
  accessRevokedAt?: string | null;
}

export interface Revision {
  index: number;
  blob: BlobId;
  previous: BlobId | null;
  action: RevisionAction;
  participantId: string;
  size: number;
  createdAt: string;
}

export interface StoredWrappedKey {
  id: number;
  participantId: string | null;
  key: WrappedKeyJson;
}

export type BlobId = string;

export interface Envelope {
  id: string;
  title: string;
  status: EnvelopeStatus;
  transaction: Transaction;
  createdAt: string;
  updatedAt: string;
  /** The current revision's blob id, or null before the first upload. */
  head: BlobId | null;
  participants: Participant[];
  revisions: Revision[];
  /** Only the keys the caller may use: all for the sender, the own `link` key for a counterparty. */
  wrappedKeys: StoredWrappedKey[];
}

/** `GET /api/recovery-key`: the organisation recovery public key (base64url raw P-256) every document key is wrapped for. */
export interface RecoveryKeyResponse {
  publicKey: string;
}

export interface BlobUploadResponse {
  id: BlobId;
  size: number;
}

export type EnvelopeEventType =
  | 'created'
  | 'sent'
  | 'viewed'
  | 'signed'
  | 'completed'
  | 'revision'
  | 'access'
  | 'invitation-resent'
  | 'access-revoked';

/** One audit-log line. `hash` chains each event to the previous one of the envelope (tamper evidence). */
export interface EnvelopeEvent {
  seq: number;
  type: EnvelopeEventType;
  at: string;
  email: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
  hash: string;
}

/**
 * `GET /api/envelopes/:id/events/verify`: the event log's hash chain recomputed on the server. `headHash` is the
 * last event's hash (keep it to notice a log cut short later); `firstBrokenSeq` names the first event that does
 * not match when `intact` is false.
 */
export interface EventChainVerification {
  intact: boolean;
  count: number;
  headHash: string | null;
  firstBrokenSeq?: number;
}
