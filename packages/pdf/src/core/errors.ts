/**
 * The one error class thrown by `@inkan/pdf`. Tests and callers switch on the stable `code`.
 *
 * @example
 * try { openPdf(bytes) } catch (e) { if (e instanceof PdfError && e.code === 'PDF_ENCRYPTED') askPassword() }
 */
export type PdfErrorCode =
  /** Bytes are not a PDF we can make sense of, even after repair (ISO 32000-2 §7.5). */
  | 'PDF_MALFORMED'
  /** The file is encrypted (§7.6) and no password was given; the empty user password did not open it. */
  | 'PDF_ENCRYPTED'
  /** A password was given but it is neither the user nor the owner password (§7.6.4.4). */
  | 'PDF_BAD_PASSWORD'
  /** A valid feature we do not implement (public-key security handler, an exotic filter, …). */
  | 'PDF_UNSUPPORTED'
  /** The document permissions (§7.6.4.2 /P, §12.8.2.2 DocMDP) forbid the requested change. */
  | 'PDF_SIGNING_NOT_PERMITTED'
  /** A structure is nested, chained or sized beyond the safety limits (loops, bombs). */
  | 'PDF_LIMIT_EXCEEDED'
  /** The caller passed an argument that cannot be right (wrong type, out of range, unknown field). */
  | 'PDF_INVALID_ARGUMENT';

export class PdfError extends Error {
  override readonly name = 'PdfError';
  constructor(
    readonly code: PdfErrorCode,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options);
  }
}

/** Every code, for callers that map them (e.g. to HTTP statuses or UI messages). */
export const PDF_ERROR_CODES: readonly PdfErrorCode[] = [
  'PDF_MALFORMED',
  'PDF_ENCRYPTED',
  'PDF_BAD_PASSWORD',
  'PDF_UNSUPPORTED',
  'PDF_SIGNING_NOT_PERMITTED',
  'PDF_LIMIT_EXCEEDED',
  'PDF_INVALID_ARGUMENT'
];
