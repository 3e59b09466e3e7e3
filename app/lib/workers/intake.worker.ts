/// <reference lib="webworker" />
// Reads, validates and hashes a chosen PDF off the main thread (a 100 MB file must not freeze the page).
import { IntakeError } from '../drafts/intake-error.ts';
import { readPdf } from '../drafts/read.ts';
import type { IntakeReply, IntakeRequest } from './intake-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const reply = (m: IntakeReply, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

scope.onmessage = async (event: MessageEvent<IntakeRequest>) => {
  try {
    const { bytes, sha256 } = await readPdf(event.data.file, { onProgress: (p) => reply({ type: 'progress', ...p }) });
    reply({ type: 'done', bytes: bytes.buffer, sha256 }, [bytes.buffer]);
  } catch (e) {
    const code = e instanceof IntakeError ? e.code : 'READ_FAILED';
    reply({ type: 'error', code, message: e instanceof Error ? e.message : String(e) });
  }
};
