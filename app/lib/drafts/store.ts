import { Dexie, type EntityTable } from 'dexie';
import type { Draft, DraftFile } from './draft.ts';

class InkanDb extends Dexie {
  drafts!: EntityTable<Draft, 'id'>;
  draftFiles!: EntityTable<DraftFile, 'id'>;

  constructor(name: string) {
    super(name);
    this.version(1).stores({ drafts: 'id, createdAt', draftFiles: 'id' });
  }
}

/** Drafts on this device: metadata and PDF bytes, written and deleted together. */
export class DraftStore {
  readonly #db: InkanDb;

  constructor(name = 'inkan') {
    this.#db = new InkanDb(name);
  }

  /** Newest first. */
  list(): Promise<Draft[]> {
    return this.#db.drafts.orderBy('createdAt').reverse().toArray();
  }

  get(id: string): Promise<Draft | undefined> {
    return this.#db.drafts.get(id);
  }

  async pdf(id: string): Promise<Blob | undefined> {
    return (await this.#db.draftFiles.get(id))?.pdf;
  }

  async add(draft: Draft, pdf: Blob): Promise<void> {
    await this.#db.transaction('rw', this.#db.drafts, this.#db.draftFiles, async () => {
      await this.#db.draftFiles.add({ id: draft.id, pdf });
      await this.#db.drafts.add(draft);
    });
  }

  async update(id: string, changes: Partial<Omit<Draft, 'id'>>): Promise<void> {
    await this.#db.drafts.update(id, changes);
  }

  async remove(id: string): Promise<void> {
    await this.#db.transaction('rw', this.#db.drafts, this.#db.draftFiles, async () => {
      await this.#db.drafts.delete(id);
      await this.#db.draftFiles.delete(id);
    });
  }

  close(): void {
    this.#db.close();
  }
}

let shared: DraftStore | undefined;

/** The app's one store (the edge default); tests construct their own with a unique name. */
export function draftStore(): DraftStore {
  shared ??= new DraftStore();
  return shared;
}
