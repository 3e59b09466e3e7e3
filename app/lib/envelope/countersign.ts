import type { Envelope, Participant, RevisionAction } from '@inkan/protocol';
import { extendPdf, signPdf, type SealImage, type SignatureAppearance } from '@inkan/pades';
import type { Signer, TimestampClientOptions } from '@inkan/pki';
import type { EnvelopeApi } from './api.ts';
import { sealDocument } from './document.ts';
import { appearanceFor } from './appearance.ts';

/**
 * What signing needs from outside: the key (the platform's 契約印 remote hash signer, or the user's own 実印
 * CryptoKey signer), the timestamp authority, and a fetch for revocation data when the document is finalized.
 */
export interface SigningServices {
  signer: Signer;
  tsa: TimestampClientOptions;
  fetch: typeof fetch;
}

/**
 * Signs the participant's first field at B-T (a signature timestamp from the TSA): an incremental revision, the
 * earlier bytes untouched. Field rectangles are PDF points, origin bottom-left, 1-based page.
 */
export async function signAsParticipant(
  pdf: Uint8Array,
  participant: Participant,
  services: SigningServices,
  appearance?: SignatureAppearance,
  signingTime?: Date
): Promise<Uint8Array> {
  const f = participant.fields[0];
  return signPdf(pdf, services.signer, {
    level: 'B-T',
    tsa: services.tsa,
    field: `Inkan-${participant.role}-${participant.id}`,
    visible: f ? { page: f.page - 1, rect: [f.x, f.y, f.width, f.height] } : undefined,
    appearance: f ? appearance : undefined,
    signerName: participant.name,
    signingTime,
    reason: participant.signingType === 'jitsuin' ? '実印による署名' : '契約印（立会人型）による署名'
  });
}

/** After everyone signed: validation data (DSS) and a document timestamp, i.e. PAdES B-LTA, for long retention. */
export function finalizePdf(pdf: Uint8Array, services: Pick<SigningServices, 'tsa' | 'fetch'>): Promise<Uint8Array> {
  return extendPdf(pdf, { level: 'B-LTA', tsa: services.tsa, fetch: services.fetch });
}

/**
 * Encrypts a new revision with the envelope's content key, uploads it and appends it on top of `previous`.
 * A `REVISION_CONFLICT` (someone else's revision landed first) propagates: the caller reloads and signs again on
 * top of the new head, since a signature covers exact bytes and cannot be rebased.
 */
export async function uploadRevision(
  api: EnvelopeApi,
  envelopeId: string,
  contentKey: CryptoKey,
  pdf: Uint8Array,
  previous: string | null,
  action: RevisionAction
): Promise<Envelope> {
  const blob = await api.uploadBlob(await sealDocument(contentKey, [pdf]));
  return api.addRevision(envelopeId, { blob: blob.id, previous, action });
}

/**
 * Where the signing work runs: `localEngine` here (Node tests, scripts), `workerEngine` (app/lib/workers) in the
 * browser, off the main thread. Both sign a participant's first field at B-T with the adopted picture, and extend
 * to B-LTA.
 */
export interface SigningEngine {
  /** `signedAt`: epoch milliseconds, the time written into the signature dictionary and the picture. */
  sign(pdf: Uint8Array, participant: Participant, seal: SealImage | undefined, signedAt: number): Promise<Uint8Array>;
  finalize(pdf: Uint8Array): Promise<Uint8Array>;
}

export function localEngine(services: SigningServices): SigningEngine {
  return {
    sign: async (pdf, participant, seal, signedAt) => {
      const at = new Date(signedAt);
      const appearance = seal ? await appearanceFor(participant, seal, at) : undefined;
      return signAsParticipant(pdf, participant, services, appearance, at);
    },
    finalize: (pdf) => finalizePdf(pdf, services)
  };
}
