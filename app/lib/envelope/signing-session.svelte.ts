import type { AccessResponse, Envelope, EnvelopeEvent, EventChainVerification } from '@inkan/protocol';
import { unwrapWithLinkSecret, VaultError } from '@inkan/vault';
import { EnvelopeApi, EnvelopeApiError } from './api.ts';
import { openDocument } from './document.ts';
import { uploadRevision, type SigningEngine } from './countersign.ts';
import { workerEngine } from '../workers/sign-client.ts';
import type { SealImage } from '@inkan/pades';
import { parseKeyInput, rememberSecret, type SigningLink } from './link.ts';

/**
 * The counterparty's visit, as a state machine the `/sign/[id]` page renders:
 *
 * ```
 * invalid-link                             (dead end with a clear message; nothing is fetched or decrypted)
 * missing-secret → start                   (the link has no #k=: the key the sender passed on is typed in)
 * start → code-sent → opening → ready      (ready: `pdf` holds the decrypted document)
 *                         ↘ missing-secret (VAULT_WRONG_KEY: the key does not open it; nothing was decrypted)
 *                         ↘ failed          (e.g. VAULT_TAMPERED: the document is refused, not shown)
 * ready → signing → signed | completed     (uploaded; `signed` waits for others, the last signer's B-LTA completes)
 *            ↘ ready + problem             (TSA down, conflict…: nothing was uploaded)
 * ```
 */
export type SigningPhase =
  | 'invalid-link'
  | 'missing-secret'
  | 'start'
  | 'code-sent'
  | 'opening'
  | 'ready'
  | 'signing'
  | 'signed'
  | 'completed'
  | 'failed';

export interface SigningProblem {
  code: string;
  message: string;
}

export class SigningSession {
  phase = $state<SigningPhase>('start');
  busy = $state(false);
  sentTo = $state<string | null>(null);
  /** The last refusal: a wrong code keeps the phase (`code-sent`) and shows this. */
  problem = $state<SigningProblem | null>(null);
  envelope = $state<Envelope | null>(null);
  pdf = $state.raw<Uint8Array<ArrayBuffer> | null>(null);
  /** The link secret (`#k=…`): from the link, or typed in from what the sender passed on. */
  secret = $state<string | null>(null);

  #api: EnvelopeApi;
  #contentKey: CryptoKey | null = null;
  #sessionToken: string | null = null;
  /** The envelope's event log (created, sent, viewed, signed, completed), loaded once the envelope completes. */
  events = $state<EnvelopeEvent[]>([]);
  /** The server's recomputation of the event log's hash chain, loaded with the events. */
  verification = $state<EventChainVerification | null>(null);
  /** This visitor's participant id (an envelope may have several counterparties). */
  participantId = $state<string | null>(null);

  constructor(
    readonly link: SigningLink,
    private readonly base: EnvelopeApi = new EnvelopeApi(),
    private readonly storage: Storage | null = typeof sessionStorage === 'undefined' ? null : sessionStorage
  ) {
    this.#api = base;
    this.secret = link.secret;
    if (!link.accessToken) this.phase = 'invalid-link';
    else if (!link.secret) this.phase = 'missing-secret';
  }

  /**
   * The counterparty enters the key the sender passed on (or pastes a link holding `#k=`). A malformed key is
   * refused at once (`KEY_MALFORMED`); a well-formed one is kept for this tab and, once the e-mail code is done,
   * tried on the document — a wrong one comes back here as `VAULT_WRONG_KEY` with nothing decrypted.
   */
  async useKey(text: string): Promise<void> {
    const secret = parseKeyInput(text);
    if (!secret) {
      this.problem = { code: 'KEY_MALFORMED', message: 'not a link secret' };
      return;
    }
    this.problem = null;
    this.secret = secret;
    if (this.storage) rememberSecret(this.link.envelopeId, secret, this.storage);
    if (this.#sessionToken) await this.open();
    else {
      this.phase = 'start';
      await this.resume();
    }
  }

  private get sessionKey(): string {
    return `inkan.sign.session.${this.link.envelopeId}`;
  }

  /** Resumes after a reload: a session from an earlier code in this tab opens the document directly. */
  async resume(): Promise<void> {
    const token = this.storage?.getItem(this.sessionKey);
    if (!token || (this.phase !== 'start' && this.phase !== 'missing-secret')) return;
    this.#api = this.base.withToken(token);
    this.#sessionToken = token;
    if (this.phase === 'missing-secret') return; // the key opens it (useKey)
    await this.open();
    if (this.problem?.code === 'UNAUTHENTICATED') {
      this.storage?.removeItem(this.sessionKey);
      this.problem = null;
      this.phase = 'start';
    }
  }

  async requestCode(): Promise<void> {
    await this.run(async () => {
      const r: AccessResponse = await this.base.requestCode(this.link.envelopeId, this.link.accessToken!);
      this.sentTo = r.sentTo;
      this.phase = 'code-sent';
    });
  }

  async verify(code: string): Promise<void> {
    const ok = await this.run(async () => {
      const r = await this.base.verifyCode(this.link.envelopeId, this.link.accessToken!, code.trim());
      this.storage?.setItem(this.sessionKey, r.token);
      this.#api = this.base.withToken(r.token);
      this.#sessionToken = r.token;
    });
    if (ok) await this.open();
  }

  /** Fetches the envelope, unwraps the content key with the link secret, downloads and decrypts the head. */
  async open(): Promise<void> {
    this.phase = 'opening';
    const ok = await this.run(async () => {
      const env = await this.#api.envelope(this.link.envelopeId);
      this.participantId = (await this.#api.me()).participantId ?? null;
      const wrapped = env.wrappedKeys.find((k) => k.key.kind === 'link');
      if (!wrapped || !env.head)
        throw new EnvelopeApiError(409, 'ENVELOPE_STATE', 'the document is not ready to be opened yet');
      if (!this.secret) throw new VaultError('VAULT_WRONG_KEY', 'no link secret');
      const key = await unwrapWithLinkSecret(wrapped.key, this.secret, env.id);
      this.pdf = await openDocument(key, await this.#api.downloadBlob(env.head));
      this.#contentKey = key;
      this.envelope = env;
    });
    if (!ok && this.problem?.code === 'VAULT_WRONG_KEY') {
      // Nothing was decrypted; forget the key and ask for it again.
      this.secret = null;
      if (this.storage) rememberSecret(this.link.envelopeId, null, this.storage);
      this.phase = 'missing-secret';
      return;
    }
    this.phase = !ok ? (this.problem?.code === 'UNAUTHENTICATED' ? 'start' : 'failed') : this.afterSigning();
    if (this.phase === 'completed') await this.loadEvents();
  }

  /** Where a visitor stands once the document is open: all done, their part done, or still to sign. */
  private afterSigning(): SigningPhase {
    if (this.envelope?.status === 'completed') return 'completed';
    const me = this.envelope?.participants.find((p) => p.id === this.participantId);
    return me?.status === 'signed' ? 'signed' : 'ready';
  }

  /**
   * Signs (B-T), encrypts and uploads the revision; when that makes everyone signed, extends to B-LTA and uploads
   * the final revision, which completes the envelope. Any failure before an upload leaves the server unchanged.
   * `engine` does the signing work (in the browser: a worker, see `signWithPlatform`).
   */
  async sign(engine: SigningEngine, seal?: SealImage, signedAt: number = Date.now()): Promise<void> {
    const env = this.envelope;
    const me = env?.participants.find((p) => p.id === this.participantId);
    if (!env || !me || !this.pdf || !this.#contentKey) return;
    this.phase = 'signing';
    const ok = await this.run(async () => {
      const signed = await engine.sign(this.pdf!, me, seal, signedAt);
      let next = await uploadRevision(this.#api, env.id, this.#contentKey!, signed, env.head, 'sign');
      let pdf = signed;
      if (next.status === 'signed') {
        pdf = await engine.finalize(signed);
        next = await uploadRevision(this.#api, env.id, this.#contentKey!, pdf, next.head, 'finalize');
      }
      this.pdf = new Uint8Array(pdf);
      this.envelope = next;
    });
    this.phase = ok ? this.afterSigning() : 'ready';
    if (this.phase === 'completed') await this.loadEvents();
  }

  /**
   * Signs with the platform's 契約印 through this server, in a worker: the server signs only the digest of the
   * signed attributes (CSC signHash), authorised by this visitor's session; timestamps come from its `/api/tsa`.
   */
  async signWithPlatform(origin: string, seal?: SealImage): Promise<void> {
    if (!this.#sessionToken) return;
    const signer = { kind: 'remote' as const, baseUrl: `${origin}/api/csc/v2`, credentialID: 'witness' };
    await this.sign(workerEngine({ ...signer, token: this.#sessionToken }, origin), seal);
  }

  async loadEvents(): Promise<void> {
    await this.run(async () => {
      [this.events, this.verification] = await Promise.all([
        this.#api.events(this.link.envelopeId),
        this.#api.verifyEvents(this.link.envelopeId)
      ]);
    });
  }

  private async run(step: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    this.problem = null;
    try {
      await step();
      return true;
    } catch (e) {
      // Every package's error carries a stable string code (EnvelopeApiError, VaultError, PadesError, PkiError).
      const code = (e as { code?: unknown })?.code;
      this.problem =
        e instanceof Error && typeof code === 'string'
          ? { code, message: e.message }
          : { code: 'UNEXPECTED', message: String(e) };
      return false;
    } finally {
      this.busy = false;
    }
  }
}
