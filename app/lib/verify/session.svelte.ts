import type { DocumentReport } from '@inkan/pades';
import { verifyInWorker } from './client.ts';
import { addExtraRoots, trustMaterial, type TrustMaterial } from './roots.ts';

/** The public verification page's state: which file, the roots trusted, the report (a rune class). */
export class VerifySession {
  status = $state<'idle' | 'running' | 'done' | 'error'>('idle');
  fileName = $state('');
  report = $state.raw<DocumentReport | null>(null);
  error = $state('');
  rootCount = $state(0);

  async loadRoots(): Promise<TrustMaterial> {
    const trust = await trustMaterial();
    this.rootCount = trust.roots.length;
    return trust;
  }

  async verify(file: File): Promise<void> {
    this.status = 'running';
    this.fileName = file.name;
    this.report = null;
    this.error = '';
    try {
      const [bytes, trust] = await Promise.all([file.arrayBuffer(), this.loadRoots()]);
      this.report = await verifyInWorker(new Uint8Array(bytes), trust);
      this.status = 'done';
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      this.status = 'error';
    }
  }

  async addRoots(file: File): Promise<number> {
    const n = addExtraRoots(await file.text());
    await this.loadRoots();
    return n;
  }
}
