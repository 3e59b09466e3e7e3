import type { AddKeysRequest, CreateEnvelopeRequest, Envelope } from '@inkan/protocol';
import {
  generateContentKey,
  importPublicKey,
  newLinkSecret,
  wrapForLinkSecret,
  wrapForPublicKey,
  type ByteSource
} from '@inkan/vault';
import type { EnvelopeApi } from './api.ts';
import { sealDocument } from './document.ts';

export interface SendInput {
  request: CreateEnvelopeRequest;
  /** The PDF as the sender leaves it: signed with their 実印 (`signed: true`) or not yet. */
  pdf: ByteSource;
  signed: boolean;
  deviceKey: CryptoKeyPair;
  /** Put the link secret into the invitation mail (default) or keep it for another channel. */
  mailSecret?: boolean;
}

export interface SendResult {
  envelope: Envelope;
  /** Per counterparty participant id: the `#k=` secret (the sender may pass it on another channel). */
  secrets: Record<string, string>;
}

/**
 * The sender's side of an envelope, in order: create it (metadata, participants), make a content key and wrap it
 * for this device, the organisation recovery key and each counterparty's link secret, encrypt and upload the PDF
 * as revision 0, and send the invitations. The server receives ciphertext and wrapped keys only.
 */
export async function sendEnvelope(api: EnvelopeApi, input: SendInput): Promise<SendResult> {
  const created = await api.createEnvelope(input.request);
  const contentKey = await generateContentKey();
  const recovery = await importPublicKey((await api.recoveryKey()).publicKey);
  const secrets: Record<string, string> = {};
  const keys: AddKeysRequest['keys'] = [
    { key: await wrapForPublicKey(contentKey, input.deviceKey.publicKey, 'device') },
    { key: await wrapForPublicKey(contentKey, recovery, 'recovery') }
  ];
  for (const p of created.participants.filter((x) => x.role === 'counterparty')) {
    secrets[p.id] = newLinkSecret();
    keys.push({ participantId: p.id, key: await wrapForLinkSecret(contentKey, secrets[p.id], created.id) });
  }
  await api.addKeys(created.id, { keys });
  const blob = await api.uploadBlob(await sealDocument(contentKey, input.pdf));
  await api.addRevision(created.id, { blob: blob.id, previous: null, action: input.signed ? 'sign' : 'draft' });
  const envelope = await api.send(created.id, input.mailSecret === false ? {} : { linkSecrets: secrets });
  return { envelope, secrets };
}
