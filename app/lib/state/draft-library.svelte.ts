import type { Draft } from '../drafts/draft.ts';
import type { DraftStore } from '../drafts/store.ts';

/** The drafts list on the home page, newest first. */
export class DraftLibrary {
  items = $state<Draft[]>([]);
  loaded = $state(false);
  /** IndexedDB refused to open (e.g. storage disabled by the browser's privacy settings). */
  unavailable = $state(false);

  constructor(private readonly store: DraftStore) {}

  async refresh(): Promise<void> {
    try {
      this.items = await this.store.list();
      this.unavailable = false;
    } catch {
      this.items = [];
      this.unavailable = true;
    }
    this.loaded = true;
  }

  async remove(id: string): Promise<void> {
    await this.store.remove(id);
    this.items = this.items.filter((d) => d.id !== id);
  }
}
