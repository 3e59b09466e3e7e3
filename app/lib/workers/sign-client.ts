import type { SigningEngine } from '../envelope/countersign.ts';
import type { SignerSpec, SignReply, SignRequest } from './sign-protocol.ts';

/** A refusal from the signing worker, with the stable code of the package that raised it (e.g. TSA_UNAVAILABLE). */
export class SigningWorkerError extends Error {
  constructor(
    readonly code: string,
    message: string
  ) {
    super(message);
    this.name = 'SigningWorkerError';
  }
}

/** Runs one signing step in a fresh worker (terminated afterwards); `onTimestamp` hears when the TSA is asked. */
function run(request: SignRequest, onTimestamp?: () => void): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./sign.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<SignReply>) => {
      const m = event.data;
      if (m.type === 'timestamp') return onTimestamp?.();
      worker.terminate();
      if (m.type === 'done') resolve(new Uint8Array(m.pdf));
      else reject(new SigningWorkerError(m.code, m.message));
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new SigningWorkerError('SIGNING_WORKER_FAILED', e.message));
    };
    worker.postMessage(request, [request.pdf]);
  });
}

/**
 * The browser's signing engine: every step in a worker, with `signer` and the TSA at `origin`/api/tsa. The PDF is
 * copied into the worker, so the caller's bytes stay as they are.
 */
export function workerEngine(signer: SignerSpec, origin: string, onTimestamp?: () => void): SigningEngine {
  const tsaUrl = `${origin}/api/tsa`;
  return {
    sign: (pdf, participant, seal, signedAt) =>
      run(
        {
          op: 'sign',
          pdf: pdf.slice().buffer,
          // Plain data: a participant held in Svelte state is a proxy, which cannot be posted.
          participant: JSON.parse(JSON.stringify(participant)) as typeof participant,
          seal,
          signedAt,
          signer,
          tsaUrl
        },
        onTimestamp
      ),
    finalize: (pdf) => run({ op: 'finalize', pdf: pdf.slice().buffer, tsaUrl }, onTimestamp)
  };
}
