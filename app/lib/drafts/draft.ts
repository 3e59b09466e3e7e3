/** The largest PDF accepted as a draft. Bigger files are refused before anything is read. */
export const MAX_PDF_BYTES = 256 * 1024 * 1024;

/**
 * A contract draft as kept on this device (IndexedDB). The PDF bytes live in a separate table
 * (`DraftFile`) so that listing drafts never loads documents.
 */
export interface Draft {
  id: string;
  /** Shown in lists; defaults to the file name without `.pdf`. */
  title: string;
  fileName: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Bytes. */
  size: number;
  pageCount: number;
  /** SHA-256 of the PDF bytes exactly as read from disk, lower-case hex. */
  sha256: string;
  /** Parties, transaction data and signature fields; absent until the sender starts preparing. */
  setup?: DraftSetup;
  /** Set once the draft was sent as an envelope; the draft is then read-only. */
  sent?: { envelopeId: string; at: number };
}

export interface DraftFile {
  id: string;
  pdf: Blob;
}

/** "契約書.pdf" → "契約書"; keeps names without the extension as they are. */
export function titleFromFileName(name: string): string {
  const trimmed = name.replace(/\.pdf$/i, '').trim();
  return trimmed || name;
}

/** Who signs in a field: the sender (自分) or the counterparty (相手方). */
export type FieldOwner = 'sender' | 'counterparty';

/**
 * A signature field placed by the sender: page (1-based) and rectangle in PDF user-space points, origin
 * bottom-left — the same shape as `Field` in `@inkan/protocol`, plus an id and whose field it is.
 */
export interface DraftField {
  id: string;
  owner: FieldOwner;
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DraftParty {
  name: string;
  email: string;
}

/**
 * What the sender prepares before sending: the parties, the 電子帳簿保存法 search keys (取引年月日, 取引先,
 * 取引金額) and the signature fields. Kept as typed, so a half-filled form survives a reload.
 */
export interface DraftSetup {
  sender: DraftParty;
  counterparty: DraftParty & { signingType: 'keiyakuin' | 'jitsuin' };
  transaction: {
    /** `YYYY-MM-DD` or '' */
    date: string;
    counterparty: string;
    /** As typed, e.g. "1,100,000"; parsed to whole yen when sending. */
    amount: string;
  };
  fields: DraftField[];
}

export function emptySetup(): DraftSetup {
  return {
    sender: { name: '', email: '' },
    counterparty: { name: '', email: '', signingType: 'keiyakuin' },
    transaction: { date: '', counterparty: '', amount: '' },
    fields: []
  };
}
