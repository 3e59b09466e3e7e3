import type { SealImage } from '@inkan/pades';
import type { Participant } from '@inkan/protocol';

/**
 * The key that signs, in a form that crosses to the worker: the user's own non-extractable CryptoKey (実印; a
 * CryptoKey is structured-cloneable, its private half stays unreadable) or the platform's remote hash signer
 * (契約印, authorised by the visitor's session token).
 */
export type SignerSpec =
  | { kind: 'key'; privateKey: CryptoKey; certificate: Uint8Array; chain: Uint8Array[] }
  | { kind: 'remote'; baseUrl: string; credentialID: string; token: string };

/** Main thread → signing worker. `pdf` is transferred, not copied. */
export type SignRequest =
  | {
      op: 'sign';
      pdf: ArrayBuffer;
      participant: Participant;
      seal?: SealImage;
      /** Epoch milliseconds: the time written into the signature and the picture. */
      signedAt: number;
      signer: SignerSpec;
      tsaUrl: string;
    }
  | { op: 'finalize'; pdf: ArrayBuffer; tsaUrl: string };

/** Signing worker → main thread: progress, then the result or a refusal with its stable code. */
export type SignReply =
  { type: 'timestamp' } | { type: 'done'; pdf: ArrayBuffer } | { type: 'error'; code: string; message: string };
