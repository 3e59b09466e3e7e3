import type { DocumentReport } from '@inkan/pades';
import type { VerifyReply, VerifyRequest } from './protocol.ts';
import type { TrustMaterial } from './roots.ts';

/** Validates `pdf` in a fresh worker (terminated afterwards), trusting `trust.roots` (DER). */
export function verifyInWorker(pdf: Uint8Array, trust: TrustMaterial): Promise<DocumentReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./verify.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<VerifyReply>) => {
      worker.terminate();
      const m = event.data;
      if (m.type === 'done') resolve(m.report);
      else reject(new Error(m.message));
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message));
    };
    const copy = pdf.slice().buffer;
    const request: VerifyRequest = { pdf: copy, roots: trust.roots, intermediates: trust.intermediates };
    worker.postMessage(request, [copy]);
  });
}
