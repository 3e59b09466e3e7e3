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
