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
import {
  deviceKey,
  forgetSender,
  savedJitsuin,
  saveJitsuin,
  saveLinkSecrets,
  saveSenderToken,
  senderToken
} from './keyring.ts';
import { enrollJitsuin, jitsuinSpec, signWithJitsuin, type Jitsuin } from './jitsuin.ts';
import type { SigningEngine } from './countersign.ts';
import { workerEngine } from '../workers/sign-client.ts';
import { sealDocument } from './document.ts';
import { triesLeft } from './tries-left.ts';

export interface SendInput {
  request: CreateEnvelopeRequest;
  /** The PDF as the sender leaves it: signed with their 実印 (`signed: true`) or not yet. */
  pdf: ByteSource;
  signed: boolean;
  deviceKey: CryptoKeyPair;
  /** Put the link secret into the invitation mail (opt-in) or keep it for another channel (default). */
  mailSecret?: boolean;
  /** Called once everything is uploaded, just before the invitations go out. */
  beforeSend?: () => void;
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
  input.beforeSend?.();
  const envelope = await api.send(created.id, input.mailSecret ? { linkSecrets: secrets } : {});
  return { envelope, secrets };
}

/** The visible steps of sending a draft, in order; signing ones only when the sender signs first. */
export type SendStep = 'key' | 'sign' | 'timestamp' | 'encrypt' | 'send';

export interface SendDraftOptions {
  /** Sign the sender's field with their 実印 (B-T) before anything is sent (default true). */
  sign?: boolean;
  /** Put each counterparty's link secret into their invitation mail (default false: the server never sees it). */
  mailSecret?: boolean;
  base?: string;
  onStep?: (step: SendStep) => void;
  /** Asks for the code mailed to the sender when this device has no sender session yet (see ensureSenderSession). */
  askCode?: (sentTo: string, problem: string | null) => Promise<string>;
}

/**
 * The app's one call for "send this draft", in order: the sender session (the local sender profile, made from the
 * draft's sender on first use), then — when `sign` — their 実印 (enrolled on first use) signs at B-T, and only
 * after that the envelope is created, encrypted, uploaded and sent. A refusal before the envelope exists (e.g.
 * `TSA_UNAVAILABLE`) sends nothing. The link secrets are kept on this device for the sender's envelope page.
 * Throws with a stable `code` (`EnvelopeApiError`, `PkiError`, `PadesError`).
 */
export async function sendDraft(
  request: CreateEnvelopeRequest,
  pdf: Uint8Array,
  options: SendDraftOptions = {}
): Promise<SendResult> {
  const base = options.base ?? '';
  const step = options.onStep ?? (() => {});
  const anonymous = new EnvelopeApi(null, base);
  const token = await ensureSenderSession(request, base, options.askCode);
  const sign = options.sign ?? true;
  let document = pdf;
  if (sign) {
    const me = request.participants.find((p) => p.role === 'sender');
    if (!me) throw new EnvelopeApiError(400, 'INVALID_REQUEST', 'the draft has no sender');
    step('key');
    const jitsuin = await senderJitsuin(me, token, base);
    step('sign');
    const origin = base || location.origin;
    document = await signWithJitsuin(pdf, request, jitsuin, {
      base: origin,
      engine: workerEngine(jitsuinSpec(jitsuin), origin, () => step('timestamp'))
    });
  }
  step('encrypt');
  const result = await sendEnvelope(anonymous.withToken(token), {
    request,
    pdf: [document],
    signed: sign,
    deviceKey: await deviceKey(),
    mailSecret: options.mailSecret ?? false,
    beforeSend: () => step('send')
  });
  await saveLinkSecrets(result.envelope.id, { secrets: result.secrets, mailed: options.mailSecret ?? false });
  return result;
}

/**
 * This device's sender session: the one saved, or a new local sender profile made from the draft's sender, which
 * the server grants only once the sender typed the 6-digit code it mailed them (`askCode`). A wrong code asks
 * again (with the refusal's message); an expired code or too many tries ends with that code — sending again
 * mails a new one.
 */
export async function ensureSenderSession(
  request: CreateEnvelopeRequest,
  base = '',
  askCode: (sentTo: string, problem: string | null) => Promise<string> = () =>
    Promise.reject(new EnvelopeApiError(401, 'UNAUTHENTICATED', 'the sender must confirm their e-mail address'))
): Promise<string> {
  const saved = await senderToken();
  if (saved) {
    try {
      await new EnvelopeApi(saved, base).me();
      return saved;
    } catch (e) {
      // A session the server does not know (its data was reset): start over with a new, confirmed profile.
      if (!(e instanceof EnvelopeApiError) || e.status !== 401) throw e;
      await forgetSender();
    }
  }
  const me = request.participants.find((p) => p.role === 'sender');
  if (!me) throw new EnvelopeApiError(400, 'INVALID_REQUEST', 'the draft has no sender');
  const api = new EnvelopeApi(null, base);
  const pending = await api.setup({ name: me.name, email: me.email });
  let problem: string | null = null;
  for (;;) {
    const code = await askCode(pending.sentTo, problem);
    try {
      const { token } = await api.verifySetup({ email: me.email, code });
      await saveSenderToken(token);
      return token;
    } catch (e) {
      if (!(e instanceof EnvelopeApiError) || e.code !== 'OTP_INVALID') throw e;
      // The fifth wrong code is still OTP_INVALID ("0 tries left"): asking again could only be refused.
      if (triesLeft(e.message) === 0) throw new EnvelopeApiError(429, 'OTP_TOO_MANY_ATTEMPTS', e.message);
      problem = e.message;
    }
  }
}

/** The sender's 実印 on this device: the saved one, or a new non-extractable key certified by the server's CA. */
async function senderJitsuin(who: { name: string; email: string }, token: string, base: string): Promise<Jitsuin> {
  let jitsuin = await savedJitsuin();
  if (!jitsuin) {
    jitsuin = await enrollJitsuin(base || location.origin, token, { name: who.name, email: who.email });
    await saveJitsuin(jitsuin);
  }
  return jitsuin;
}

/** The sender's signing engine in this browser: a worker holding their 実印 (enrolled on first use) and the TSA. */
export async function senderEngine(who: { name: string; email: string }, base = ''): Promise<SigningEngine> {
  const origin = base || location.origin;
  const token = await senderToken();
  if (!token) throw new EnvelopeApiError(401, 'UNAUTHENTICATED', 'this browser holds no sender session');
  return workerEngine(jitsuinSpec(await senderJitsuin(who, token, origin)), origin);
}
