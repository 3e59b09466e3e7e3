import type { Envelope, EnvelopeEvent } from '@inkan/protocol';
import { unwrapWithPrivateKey } from '@inkan/vault';
import { EnvelopeApi } from './api.ts';
import { openDocument } from './document.ts';
import { deviceKey, senderToken } from './keyring.ts';

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

  constructor(
    readonly envelopeId: string,
    private readonly api: () => Promise<EnvelopeApi> = async () => new EnvelopeApi(await senderToken()),
    private readonly keys: () => Promise<CryptoKeyPair> = deviceKey
  ) {}

  async load(): Promise<void> {
    this.loading = true;
    this.problem = null;
    try {
      const api = await this.api();
      const env = await api.envelope(this.envelopeId);
      this.envelope = env;
      this.events = await api.events(this.envelopeId);
      const mine = env.wrappedKeys.find((k) => k.key.kind === 'device');
      if (env.head && mine) {
        const key = await unwrapWithPrivateKey(mine.key, await this.keys());
        this.pdf = await openDocument(key, await api.downloadBlob(env.head));
      }
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

  /** A download link for the decrypted PDF (revoke it with URL.revokeObjectURL when done). */
  downloadUrl(): string | null {
    return this.pdf ? URL.createObjectURL(new Blob([this.pdf], { type: 'application/pdf' })) : null;
  }
}
