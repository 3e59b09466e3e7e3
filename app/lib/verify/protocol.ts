import type { DocumentReport } from '@inkan/pades';

/** Main thread → verification worker. `pdf` is transferred, not copied. */
export interface VerifyRequest {
  pdf: ArrayBuffer;
  /** DER certificates to trust (the server's CA roots and configured extra roots). */
  roots: Uint8Array[];
  /** Intermediate CA certificates offered by the server, for building paths. */
  intermediates: Uint8Array[];
}

/** Verification worker → main thread. */
export type VerifyReply = { type: 'done'; report: DocumentReport } | { type: 'error'; message: string };
