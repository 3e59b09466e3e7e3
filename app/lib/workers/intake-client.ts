import { IntakeError } from '../drafts/intake-error.ts';
import type { ReadProgress } from '../drafts/read.ts';
import type { IntakeReply, IntakeRequest } from './intake-protocol.ts';

/**
 * Runs one file through the intake worker. The worker is started per file and terminated afterwards, which is
 * also how `signal` cancels a read in progress.
 */
export function readPdfInWorker(
  file: Blob,
  onProgress: (p: ReadProgress) => void,
  signal?: AbortSignal
): Promise<{ bytes: Uint8Array<ArrayBuffer>; sha256: string }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./intake.worker.ts', import.meta.url), { type: 'module' });
    const finish = () => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      finish();
      reject(signal?.reason ?? new DOMException('Aborted', 'AbortError'));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    worker.onmessage = (event: MessageEvent<IntakeReply>) => {
      const m = event.data;
      if (m.type === 'progress') onProgress({ phase: m.phase, loaded: m.loaded, total: m.total });
      else if (m.type === 'done') {
        finish();
        resolve({ bytes: new Uint8Array(m.bytes), sha256: m.sha256 });
      } else {
        finish();
        reject(new IntakeError(m.code, m.message));
      }
    };
    worker.onerror = (e) => {
      finish();
      reject(new IntakeError('READ_FAILED', e.message));
    };
    const request: IntakeRequest = { file };
    worker.postMessage(request);
  });
}
