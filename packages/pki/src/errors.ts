/**
 * The one error class of `@inkan/pki`. `code` is stable and meant for programs (tests, the server's
 * HTTP mapping); `message` is for people.
 */
export type PkiErrorCode =
  | 'PKI_INVALID_ARGUMENT'
  | 'PKI_MALFORMED'
  | 'PKI_ALGORITHM_NOT_ALLOWED'
  | 'PKI_WEAK_KEY'
  | 'PKI_BAD_PASSWORD'
  | 'PKI_KEY_NOT_FOUND'
  | 'PKI_KEY_MISMATCH'
  | 'PKI_CHAIN_NOT_FOUND'
  | 'PKI_SIGNING_FAILED'
  | 'PKI_REMOTE_SIGNER_FAILED'
  | 'PKI_FETCH_FAILED'
  | 'TSA_UNAVAILABLE'
  | 'TSA_BAD_RESPONSE';

export class PkiError extends Error {
  override readonly name = 'PkiError';
  constructor(
    readonly code: PkiErrorCode,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options);
  }
}

/** Fail closed at a public boundary: throws `PKI_INVALID_ARGUMENT` unless `condition` holds. */
export function assertArg(condition: unknown, message: string): asserts condition {
  if (!condition) throw new PkiError('PKI_INVALID_ARGUMENT', message);
}
