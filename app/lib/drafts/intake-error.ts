/** Why a file was refused as a draft. Stable codes: tests assert these, users see `intake.error.*` messages. */
export type IntakeErrorCode =
  'EMPTY_FILE' | 'NOT_PDF' | 'CORRUPT_PDF' | 'ENCRYPTED_PDF' | 'TOO_LARGE' | 'READ_FAILED' | 'STORAGE_FAILED';

export class IntakeError extends Error {
  override name = 'IntakeError';
  constructor(
    readonly code: IntakeErrorCode,
    message: string = code
  ) {
    super(message);
  }
}
