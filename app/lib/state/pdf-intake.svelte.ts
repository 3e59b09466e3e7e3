import type { Draft } from '../drafts/draft.ts';
import { MAX_PDF_BYTES, titleFromFileName } from '../drafts/draft.ts';
import { IntakeError, type IntakeErrorCode } from '../drafts/intake-error.ts';
import type { ReadPdf, ReadProgress } from '../drafts/read.ts';
import type { DraftStore } from '../drafts/store.ts';

export type IntakePhase = 'idle' | 'reading' | 'hashing' | 'parsing' | 'saving';

export interface IntakeDeps {
  read: (file: Blob, onProgress: (p: ReadProgress) => void, signal: AbortSignal) => Promise<ReadPdf>;
  inspect: (bytes: Uint8Array<ArrayBuffer>) => Promise<{ pageCount: number }>;
  now: () => number;
  newId: () => string;
}

/**
 * Turns a file the user picked into a stored draft: read + validate + hash (worker) → parse (pdf.js) → save
 * (IndexedDB). Nothing is stored unless every step succeeds. One file at a time; `cancel()` stops a read.
 */
export class PdfIntake {
  phase = $state<IntakePhase>('idle');
  loaded = $state(0);
  total = $state(0);
  fileName = $state('');
  error = $state<IntakeErrorCode | null>(null);
  cancelled = $state(false);
  readonly busy = $derived(this.phase !== 'idle');
  /** 0…1 while reading; `null` when the step has no measurable progress. */
  readonly fraction = $derived(this.phase === 'reading' && this.total > 0 ? this.loaded / this.total : null);

  #abort: AbortController | null = null;

  constructor(
    private readonly store: DraftStore,
    private readonly deps: IntakeDeps
  ) {}

  async accept(file: File): Promise<Draft | null> {
    if (this.busy) return null;
    this.error = null;
    this.cancelled = false;
    this.fileName = file.name;
    this.loaded = 0;
    this.total = file.size;
    const abort = new AbortController();
    this.#abort = abort;
    try {
      if (file.size > MAX_PDF_BYTES) throw new IntakeError('TOO_LARGE');
      this.phase = 'reading';
      const { bytes, sha256 } = await this.deps.read(
        file,
        (p) => {
          if (abort.signal.aborted) return;
          this.phase = p.phase;
          this.loaded = p.loaded;
        },
        abort.signal
      );
      this.phase = 'parsing';
      const { pageCount } = await this.deps.inspect(bytes);
      if (abort.signal.aborted) throw abort.signal.reason;
      this.phase = 'saving';
      const draft: Draft = {
        id: this.deps.newId(),
        title: titleFromFileName(file.name),
        fileName: file.name,
        createdAt: this.deps.now(),
        size: file.size,
        pageCount,
        sha256
      };
      try {
        await this.store.add(draft, file.slice(0, file.size, 'application/pdf'));
      } catch (e) {
        throw new IntakeError('STORAGE_FAILED', String(e));
      }
      return draft;
    } catch (e) {
      if (abort.signal.aborted) this.cancelled = true;
      else this.error = e instanceof IntakeError ? e.code : 'READ_FAILED';
      return null;
    } finally {
      this.#abort = null;
      this.phase = 'idle';
    }
  }

  cancel(): void {
    this.#abort?.abort();
  }

  dismiss(): void {
    this.error = null;
    this.cancelled = false;
  }
}
