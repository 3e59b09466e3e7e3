import type { AddKeysRequest, CreateEnvelopeRequest, Envelope } from '@inkan/protocol';
import {
  generateContentKey,
  importPublicKey,
  newLinkSecret,
  wrapForLinkSecret,
  wrapForPublicKey,
  type ByteSource
} from '@inkan/vault';
import { EnvelopeApi, EnvelopeApiError } from './api.ts';
import { deviceKey, savedJitsuin, saveJitsuin, saveSenderToken, senderToken } from './keyring.ts';
import { enrollJitsuin, jitsuinSigner, signWithJitsuin } from './jitsuin.ts';
import type { SigningServices } from './countersign.ts';
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

/**
 * The app's one call for "send this draft": ensures the local sender profile (created with the sender's name and
 * address on first use — accounts come later), uses this device's key, and runs `sendEnvelope`.
 * Throws `EnvelopeApiError` (e.g. `SETUP_DONE` when another device already claimed this server).
 */
export async function sendDraft(
  request: CreateEnvelopeRequest,
  pdf: Uint8Array,
  options: { signed?: boolean; mailSecret?: boolean; base?: string } = {}
): Promise<SendResult> {
  const anonymous = new EnvelopeApi(null, options.base ?? '');
  const token = await ensureSenderSession(request, options.base ?? '');
  return sendEnvelope(anonymous.withToken(token), {
    request,
    pdf: [pdf],
    signed: options.signed ?? false,
    deviceKey: await deviceKey(),
    mailSecret: options.mailSecret
  });
}

/** This device's sender session: the one saved, or a new local sender profile made from the draft's sender. */
export async function ensureSenderSession(request: CreateEnvelopeRequest, base = ''): Promise<string> {
  const saved = await senderToken();
  if (saved) return saved;
  const me = request.participants.find((p) => p.role === 'sender');
  if (!me) throw new EnvelopeApiError(400, 'INVALID_REQUEST', 'the draft has no sender');
  const token = (await new EnvelopeApi(null, base).setup({ name: me.name, email: me.email })).token;
  await saveSenderToken(token);
  return token;
}

/**
 * The sender's 実印 step before `sendDraft(request, signed, { signed: true })`: on first use a non-extractable key
 * is made and certified by the server's CA (kept in IndexedDB for next time), then the PDF is signed at B-T with
 * the generated 印影. `base` is the server origin ('' = this page's).
 */
export async function signAsSender(pdf: Uint8Array, request: CreateEnvelopeRequest, base = ''): Promise<Uint8Array> {
  const origin = base || location.origin;
  const token = await ensureSenderSession(request, base);
  const me = request.participants.find((p) => p.role === 'sender')!;
  let jitsuin = await savedJitsuin();
  if (!jitsuin) {
    jitsuin = await enrollJitsuin(origin, token, { name: me.name, email: me.email });
    await saveJitsuin(jitsuin);
  }
  return signWithJitsuin(pdf, request, jitsuin, { base: origin });
}

/** The sender's signing services in this browser: their 実印 (enrolled on first use) and the server's TSA. */
export async function senderServices(who: { name: string; email: string }, base = ''): Promise<SigningServices> {
  const origin = base || location.origin;
  const token = await senderToken();
  if (!token) throw new EnvelopeApiError(401, 'UNAUTHENTICATED', 'this browser holds no sender session');
  let jitsuin = await savedJitsuin();
  if (!jitsuin) {
    jitsuin = await enrollJitsuin(origin, token, who);
    await saveJitsuin(jitsuin);
  }
  return {
    signer: await jitsuinSigner(jitsuin),
    tsa: { url: `${origin}/api/tsa` },
    fetch: (i, init) => fetch(i, init)
  };
}
