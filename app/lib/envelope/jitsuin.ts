import type { CreateEnvelopeRequest, EnrollmentResponse, IssueCertificateResponse, Participant } from '@inkan/protocol';
import type { SealImage } from '@inkan/pades';
import { createCryptoKeySigner, createCsr, type Signer } from '@inkan/pki';
import { EnvelopeApiError, refusal } from './api.ts';
import { familyName } from './appearance.ts';
import { localEngine, type SigningEngine } from './countersign.ts';
import type { SignerSpec } from '../workers/sign-protocol.ts';

/** The sender's 実印: a P-256 key made in this browser (private half non-extractable) and its certificate. */
export interface Jitsuin {
  keyPair: CryptoKeyPair;
  certificate: Uint8Array;
  chain: Uint8Array[];
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function post<T>(base: string, path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body)
  });
  if (!res.ok) throw await refusal(res);
  return (await res.json()) as T;
}

/**
 * Gets a certificate for a new non-extractable key from the server's CA: an enrollment token (granted to the
 * sender session), a PKCS#10 CSR proving possession of the key, `POST /api/ca/issue`.
 */
export async function enrollJitsuin(
  base: string,
  senderToken: string,
  who: { name: string; email: string }
): Promise<Jitsuin> {
  const keyPair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const enrollment = await post<EnrollmentResponse>(base, '/api/ca/enrollments', who, senderToken);
  const csr = await createCsr(keyPair, { commonName: who.name, emailAddress: who.email });
  const issued = await post<IssueCertificateResponse>(base, '/api/ca/issue', {
    csr: b64(csr),
    token: enrollment.token
  });
  return { keyPair, certificate: unb64(issued.certificate), chain: issued.chain.map(unb64) };
}

export function jitsuinSigner(j: Jitsuin): Promise<Signer> | Signer {
  return createCryptoKeySigner({ privateKey: j.keyPair.privateKey, certificate: j.certificate, chain: j.chain });
}

/** The sender as the participant who signs before the envelope exists (field name `Inkan-sender-sender`). */
export function senderParticipant(request: CreateEnvelopeRequest): Participant {
  const me = request.participants.find((p) => p.role === 'sender');
  if (!me) throw new EnvelopeApiError(400, 'INVALID_REQUEST', 'the draft has no sender');
  return { id: 'sender', status: 'pending', signedAt: null, ...me, fields: me.fields ?? [] };
}

/** The 実印 as the signing worker takes it (the CryptoKey crosses as is; its private half stays unreadable). */
export function jitsuinSpec(j: Jitsuin): SignerSpec {
  return { kind: 'key', privateKey: j.keyPair.privateKey, certificate: j.certificate, chain: j.chain };
}

/**
 * Signs the sender's field with their 実印 at B-T (server TSA), with the visible picture (generated 印影 of the
 * family name unless `seal` is given). `engine` is where the work runs: `sendDraft` passes the browser's signing
 * worker; without one it runs here (Node). `sendDraft` calls this before anything is sent.
 */
export async function signWithJitsuin(
  pdf: Uint8Array,
  request: CreateEnvelopeRequest,
  jitsuin: Jitsuin,
  options: { base: string; seal?: SealImage; withPicture?: boolean; now?: () => Date; engine?: SigningEngine }
): Promise<Uint8Array> {
  const participant = senderParticipant(request);
  const engine =
    options.engine ??
    localEngine({
      signer: await jitsuinSigner(jitsuin),
      tsa: { url: `${options.base}/api/tsa` },
      fetch: (i, init) => fetch(i, init)
    });
  const signedAt = (options.now ? options.now() : new Date()).getTime();
  const seal =
    options.withPicture === false ? undefined : (options.seal ?? { kind: 'name', name: familyName(participant.name) });
  return engine.sign(pdf, participant, seal, signedAt);
}
