import { draftStore } from '../drafts/store.ts';
import { inspectPdf } from '../pdf/inspect.ts';
import { readPdfInWorker } from '../workers/intake-client.ts';
import { DraftLibrary } from './draft-library.svelte.ts';
import { PdfIntake } from './pdf-intake.svelte.ts';

/** The edge: real worker, pdf.js, IndexedDB, clock and ids. Unit tests build the classes with fakes instead. */
export function createIntake(): PdfIntake {
  return new PdfIntake(draftStore(), {
    read: readPdfInWorker,
    inspect: inspectPdf,
    now: Date.now,
    newId: () => crypto.randomUUID()
  });
}

export function createLibrary(): DraftLibrary {
  return new DraftLibrary(draftStore());
}
