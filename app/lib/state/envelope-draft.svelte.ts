import type { CreateEnvelopeRequest } from '@inkan/protocol';
import type { SendStep } from '../envelope/send.ts';
import type { Draft, DraftField, DraftSetup, FieldOwner } from '../drafts/draft.ts';
import { emptySetup } from '../drafts/draft.ts';
import type { DraftStore } from '../drafts/store.ts';
import type { PdfRect } from '../pdf/geometry.ts';

/** Smallest field the sender can draw, in points; a tap places a field of the default size instead. */
export const MIN_FIELD = { width: 36, height: 18 };
export const DEFAULT_FIELD = { width: 160, height: 56 };

export type { SendStep };

/** How a counterparty gets the key of the signing link: from the sender by hand (default), or in the mail. */
export type KeyDelivery = 'separate' | 'mail';

export interface DeliverOptions {
  /** The sender signs their field with their 実印 before anything is sent. */
  sign: boolean;
  /** The invitation mail carries the link secret (opt-in: it passes through the server while the mail is sent). */
  mailSecret: boolean;
  onStep: (step: SendStep) => void;
  /** Asks the sender for the 6-digit code mailed to them (first send from this device); `problem` = last refusal. */
  askCode: (sentTo: string, problem: string | null) => Promise<string>;
}

/** Sends an envelope (the envelope client's `sendDraft`: sign, encrypt, upload, invite); injected for tests. */
export type Deliver = (
  request: CreateEnvelopeRequest,
  pdf: Uint8Array,
  options: DeliverOptions
) => Promise<{ envelope: { id: string } }>;

export type SetupProblem =
  | 'title'
  | 'senderName'
  | 'senderEmail'
  | 'counterpartyName'
  | 'counterpartyEmail'
  | 'sameEmail'
  | 'date'
  | 'transactionCounterparty'
  | 'amount'
  | 'senderField'
  | 'counterpartyField';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** "¥1,100,000" / "１１００" → 1100000; '' or anything else → null. Whole yen only. */
export function parseYen(text: string): number | null {
  const ascii = text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  const digits = ascii.replace(/[¥￥,，\s円]/g, '');
  if (!/^\d{1,15}$/.test(digits)) return null;
  return Number(digits);
}

/**
 * The sender's preparation of one draft: title, parties, transaction data (取引年月日・取引先・取引金額) and the
 * signature fields on the pages. Every change is saved to the draft on this device shortly after it is made.
 */
export class EnvelopeDraft {
  title = $state('');
  setup = $state<DraftSetup>(emptySetup());
  /** Whose field a drag on a page creates; `null` = pages scroll normally (no placing). */
  placing = $state<FieldOwner | null>(null);
  selected = $state<string | null>(null);
  saveState = $state<'saved' | 'saving' | 'failed'>('saved');
  sending = $state(false);
  /** Why the last send failed: an envelope API error code, or `NETWORK`. */
  sendError = $state<string | null>(null);
  sent = $state<{ envelopeId: string; at: number } | null>(null);
  /** The step being worked on while sending; the steps before it are done. */
  step = $state<SendStep | null>(null);
  keyDelivery = $state<KeyDelivery>('separate');
  /** While the server waits for the sender's e-mail code: where it was sent, and why the last code was refused. */
  verification = $state<{ sentTo: string; problem: string | null; checking: boolean } | null>(null);

  #codeAnswer: { ok: (code: string) => void; fail: (e: Error) => void } | null = null;

  readonly problems = $derived(this.#check());
  readonly ready = $derived(this.problems.length === 0);

  #timer: ReturnType<typeof setTimeout> | null = null;
  #pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: DraftStore,
    readonly draft: Draft,
    private readonly newId: () => string = () => crypto.randomUUID(),
    private readonly delayMs = 400
  ) {
    this.title = draft.title;
    this.setup = structuredClone(draft.setup ?? emptySetup());
    this.sent = draft.sent ?? null;
  }

  /** The sender signs with their 実印 before sending whenever they placed a field for themself. */
  get signsFirst(): boolean {
    return this.setup.fields.some((f) => f.owner === 'sender');
  }

  /**
   * Sends the prepared draft as an envelope through `deliver` (the envelope client's `sendDraft`: sign, encrypt,
   * upload, invite) and marks the draft as sent. Refuses while anything is missing; keeps the error code on
   * failure, and the draft stays as it was, so sending can simply be tried again.
   */
  async send(deliver: Deliver, now: () => number = Date.now): Promise<boolean> {
    if (!this.ready || this.sending || this.sent) return false;
    this.sending = true;
    this.sendError = null;
    this.step = null;
    try {
      await this.flush();
      const blob = await this.store.pdf(this.draft.id);
      if (!blob) throw Object.assign(new Error('draft PDF missing'), { code: 'DRAFT_MISSING' });
      const { envelope } = await deliver(this.toEnvelopeRequest(), new Uint8Array(await blob.arrayBuffer()), {
        sign: this.signsFirst,
        mailSecret: this.keyDelivery === 'mail',
        onStep: (step) => (this.step = step),
        askCode: (sentTo, problem) =>
          new Promise<string>((ok, fail) => {
            this.verification = { sentTo, problem, checking: false };
            this.#codeAnswer = { ok, fail };
          })
      });
      const sent = { envelopeId: envelope.id, at: now() };
      await this.store.update(this.draft.id, { sent });
      this.sent = sent;
      this.placing = null;
      return true;
    } catch (e) {
      const code = (e as { code?: unknown } | null)?.code;
      this.sendError = typeof code === 'string' ? code : 'NETWORK';
      return false;
    } finally {
      this.sending = false;
      this.step = null;
      this.verification = null;
      this.#codeAnswer = null;
    }
  }

  /** The sender's answer to `verification`: the code from their mail. */
  submitCode(code: string): void {
    const answer = this.#codeAnswer;
    this.#codeAnswer = null;
    if (this.verification) this.verification = { ...this.verification, checking: true };
    answer?.ok(code.trim());
  }

  /** The sender gives up on the code: sending stops with `SEND_CANCELLED`, nothing was sent. */
  cancelCode(): void {
    const answer = this.#codeAnswer;
    this.#codeAnswer = null;
    answer?.fail(Object.assign(new Error('the sender stopped sending'), { code: 'SEND_CANCELLED' }));
  }

  fieldsOn(page: number): DraftField[] {
    return this.setup.fields.filter((f) => f.page === page);
  }

  /** Adds a field for `owner` (default: the party being placed); tiny rectangles grow to the default size. */
  addField(page: number, rect: PdfRect, owner: FieldOwner | null = this.placing): DraftField | null {
    if (!owner) return null;
    const field: DraftField = { id: this.newId(), owner, page, ...rect };
    if (rect.width < MIN_FIELD.width || rect.height < MIN_FIELD.height) {
      Object.assign(field, DEFAULT_FIELD);
    }
    this.setup.fields.push(field);
    this.selected = field.id;
    this.changed();
    return field;
  }

  moveField(id: string, rect: PdfRect): void {
    const f = this.setup.fields.find((x) => x.id === id);
    if (!f) return;
    Object.assign(f, rect);
    this.changed();
  }

  removeField(id: string): void {
    this.setup.fields = this.setup.fields.filter((f) => f.id !== id);
    if (this.selected === id) this.selected = null;
    this.changed();
  }

  /** Call after any edit (form inputs call it on input): saves after a short pause. */
  changed(): void {
    this.saveState = 'saving';
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Saves now (e.g. before leaving the page). */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const title = this.title.trim() || this.draft.title;
    const setup = $state.snapshot(this.setup) as DraftSetup;
    this.#pending = this.#pending.then(async () => {
      try {
        await this.store.update(this.draft.id, { title, setup });
        this.saveState = 'saved';
      } catch {
        this.saveState = 'failed';
      }
    });
    return this.#pending;
  }

  /** The envelope API's create request (`@inkan/protocol`), once `ready`. */
  toEnvelopeRequest(): CreateEnvelopeRequest {
    const s = this.setup;
    const fields = (owner: FieldOwner) =>
      s.fields.filter((f) => f.owner === owner).map(({ page, x, y, width, height }) => ({ page, x, y, width, height }));
    return {
      title: this.title.trim(),
      transaction: {
        date: s.transaction.date,
        counterparty: s.transaction.counterparty.trim(),
        amount: parseYen(s.transaction.amount) ?? 0,
        currency: 'JPY'
      },
      participants: [
        {
          role: 'sender',
          name: s.sender.name.trim(),
          email: s.sender.email.trim(),
          signingType: 'jitsuin',
          fields: fields('sender')
        },
        {
          role: 'counterparty',
          name: s.counterparty.name.trim(),
          email: s.counterparty.email.trim(),
          signingType: s.counterparty.signingType,
          fields: fields('counterparty')
        }
      ]
    };
  }

  #check(): SetupProblem[] {
    const s = this.setup;
    const p: SetupProblem[] = [];
    if (!this.title.trim()) p.push('title');
    if (!s.sender.name.trim()) p.push('senderName');
    if (!EMAIL.test(s.sender.email.trim())) p.push('senderEmail');
    if (!s.counterparty.name.trim()) p.push('counterpartyName');
    if (!EMAIL.test(s.counterparty.email.trim())) p.push('counterpartyEmail');
    else if (s.counterparty.email.trim().toLowerCase() === s.sender.email.trim().toLowerCase()) p.push('sameEmail');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s.transaction.date)) p.push('date');
    if (!s.transaction.counterparty.trim()) p.push('transactionCounterparty');
    if (parseYen(s.transaction.amount) === null) p.push('amount');
    if (!s.fields.some((f) => f.owner === 'sender')) p.push('senderField');
    if (!s.fields.some((f) => f.owner === 'counterparty')) p.push('counterpartyField');
    return p;
  }
}
