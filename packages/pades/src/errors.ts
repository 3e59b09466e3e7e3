/**
 * The one error class of `@inkan/pades`. `code` is stable (tests and the server switch on it); `message` is
 * for people. Errors of the lower layers keep their own code when they pass through: a `PdfError` with
 * `PDF_ENCRYPTED` or a `PkiError` with `TSA_UNAVAILABLE` becomes a `PadesError` with that same code
 * (see {@link PadesError.from}), so a caller needs to know one class only.
 *
 * @example
 * try { await sign(doc, opts) } catch (e) { if (e instanceof PadesError && e.code === 'PDF_ENCRYPTED') askPassword() }
 */
export type PadesErrorCode =
  /** The caller passed an option that cannot be right (bad level/TSA combination, unknown field, …). */
  | 'PADES_INVALID_ARGUMENT'
  /** A stage was resumed with a value that does not belong to it (wrong digest length, stale session). */
  | 'PADES_STAGE_MISMATCH'
  /** The CMS did not fit the /Contents placeholder sized by the dry run. */
  | 'PADES_CONTENTS_OVERFLOW'
  /** The appearance asks for a character that the font cannot draw. */
  | 'PADES_GLYPH_MISSING'
  /** A seal image that is not a PNG/JPEG we can embed. */
  | 'PADES_BAD_IMAGE'
  /** The named signature field already holds a signature. */
  | 'PADES_FIELD_ALREADY_SIGNED'
  /** The document has no signature to extend. */
  | 'PADES_NOTHING_TO_EXTEND'
  /** Validation data (certificates, CRL, OCSP) could not be collected for B-LT. */
  | 'PADES_REVOCATION_UNAVAILABLE'
  /** An unexpected failure (a bug): the message says where. */
  | 'PADES_INTERNAL'
  /** Codes of @inkan/pdf and @inkan/pki, kept as they are (PDF_ENCRYPTED, TSA_UNAVAILABLE, …). */
  | (string & {});

export class PadesError extends Error {
  override readonly name = 'PadesError';
  constructor(
    readonly code: PadesErrorCode,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options);
  }

  /** Wraps any error; errors of @inkan/pdf and @inkan/pki keep their `code`. */
  static from(e: unknown, fallback: PadesErrorCode = 'PADES_INTERNAL'): PadesError {
    if (e instanceof PadesError) return e;
    if (e instanceof Error) {
      const code = (e as { code?: unknown }).code;
      return new PadesError(typeof code === 'string' ? code : fallback, e.message, { cause: e });
    }
    return new PadesError(fallback, String(e));
  }
}

/** Throws `PADES_INVALID_ARGUMENT` unless `cond` holds (assert at every public boundary). */
export function check(cond: unknown, message: string, code: PadesErrorCode = 'PADES_INVALID_ARGUMENT'): asserts cond {
  if (!cond) throw new PadesError(code, message);
}
