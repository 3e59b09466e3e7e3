import type { Envelope, EnvelopeEvent, EventChainVerification } from '@inkan/protocol';
import { unwrapWithPrivateKey } from '@inkan/vault';
import { EnvelopeApi } from './api.ts';
import { openDocument } from './document.ts';
import { deviceKey, linkSecrets, senderToken, type LinkKeys } from './keyring.ts';
import { uploadRevision, type SigningEngine } from './countersign.ts';
import type { SealImage } from '@inkan/pades';

/**
 * The sender's view of one envelope (the completion mail links to it): status, participants, event log, and the
 * current revision decrypted with this device's key. `problem` carries a stable code (`UNAUTHENTICATED` when this
 * device holds no sender session, `VAULT_WRONG_KEY` when the document was sent from another device, …).
 */
export class SenderEnvelope {
  envelope = $state<Envelope | null>(null);
  events = $state<EnvelopeEvent[]>([]);
  pdf = $state.raw<Uint8Array<ArrayBuffer> | null>(null);
  problem = $state<{ code: string; message: string } | null>(null);
  loading = $state(false);
  /** The server's recomputation of the event log's hash chain (GET …/events/verify). */
  verification = $state<EventChainVerification | null>(null);
  /** The sender's API client once loaded (for the invitation controls). */
  client = $state.raw<EnvelopeApi | null>(null);
  /** The counterparties' link secrets kept on this device (participant id → key), to pass on by hand. */
  secrets = $state<Record<string, string>>({});
  /** Whether those keys also went out in the invitation mails (the sender's opt-in). */
  keysMailed = $state(false);

  constructor(
    readonly envelopeId: string,
    private readonly api: () => Promise<EnvelopeApi> = async () => new EnvelopeApi(await senderToken()),
    private readonly keys: () => Promise<CryptoKeyPair> = deviceKey,
    private readonly secretsOf: (envelopeId: string) => Promise<LinkKeys> = linkSecrets
  ) {}

  #contentKey: CryptoKey | null = null;

  async load(): Promise<void> {
    await this.run(async () => {
      const api = await this.api();
      this.client = api;
      const env = await api.envelope(this.envelopeId);
      this.envelope = env;
      await this.loadLog(api);
      const kept = await this.secretsOf(this.envelopeId);
      this.secrets = kept.secrets;
      this.keysMailed = kept.mailed;
      const mine = env.wrappedKeys.find((k) => k.key.kind === 'device');
      if (env.head && mine) {
        this.#contentKey = await unwrapWithPrivateKey(mine.key, await this.keys());
        this.pdf = await openDocument(this.#contentKey, await api.downloadBlob(env.head));
      }
    });
  }

  /** The event log and its chain check, e.g. after a resend or revocation changed `envelope`. */
  async refresh(envelope: Envelope): Promise<void> {
    this.envelope = envelope;
    await this.run(async () => this.loadLog(await this.api()));
  }

  private async loadLog(api: EnvelopeApi): Promise<void> {
    this.events = await api.events(this.envelopeId);
    this.verification = await api.verifyEvents(this.envelopeId);
  }

  /** Whether the sender still has to sign (e.g. they sent first and sign after the counterparty). */
  get mayStillSign(): boolean {
    const me = this.envelope?.participants.find((p) => p.role === 'sender');
    return !!me && me.status !== 'signed' && this.envelope?.status === 'sent' && !!this.pdf;
  }

  /**
   * The sender signs the current revision with their 実印 (`engine`: in the browser a worker holding their key),
   * uploads it on top of the head and, when that completes the signatures, extends to B-LTA and uploads the final
   * revision. Nothing is uploaded when signing fails.
   */
  async sign(engine: SigningEngine, seal?: SealImage, signedAt: number = Date.now()): Promise<void> {
    const env = this.envelope;
    const me = env?.participants.find((p) => p.role === 'sender');
    if (!env || !me || !this.pdf || !this.#contentKey) return;
    await this.run(async () => {
      const api = await this.api();
      const signed = await engine.sign(this.pdf!, me, seal, signedAt);
      let next = await uploadRevision(api, env.id, this.#contentKey!, signed, env.head, 'sign');
      let pdf = signed;
      if (next.status === 'signed') {
        pdf = await engine.finalize(signed);
        next = await uploadRevision(api, env.id, this.#contentKey!, pdf, next.head, 'finalize');
      }
      this.pdf = new Uint8Array(pdf);
      this.envelope = next;
      await this.loadLog(api);
    });
  }

  private async run(step: () => Promise<void>): Promise<void> {
    this.loading = true;
    this.problem = null;
    try {
      await step();
    } catch (e) {
      const code = (e as { code?: unknown })?.code;
      this.problem = {
        code: typeof code === 'string' ? code : 'UNEXPECTED',
        message: String((e as Error)?.message ?? e)
      };
    } finally {
      this.loading = false;
    }
  }
}
