import type { IntakeErrorCode } from '../drafts/intake-error.ts';
import type { ReadProgress } from '../drafts/read.ts';

/** Main thread → intake worker. */
export interface IntakeRequest {
  file: Blob;
}

/** Intake worker → main thread. `bytes` is transferred, not copied. */
export type IntakeReply =
  | ({ type: 'progress' } & ReadProgress)
  | { type: 'done'; bytes: ArrayBuffer; sha256: string }
  | { type: 'error'; code: IntakeErrorCode; message: string };
