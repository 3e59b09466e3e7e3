/// <reference lib="webworker" />
// Validates a signed PDF off the main thread: parsing, hashing 50 MB and CMS checks must not freeze the page.
// The file never leaves the browser.
import { validatePdf } from '@inkan/pades';
import type { VerifyReply, VerifyRequest } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<VerifyRequest>) => {
  const { pdf, roots, intermediates } = event.data;
  let reply: VerifyReply;
  try {
    reply = {
      type: 'done',
      report: await validatePdf(new Uint8Array(pdf), { trustAnchors: roots, extraCertificates: intermediates })
    };
  } catch (e) {
    reply = { type: 'error', message: e instanceof Error ? e.message : String(e) };
  }
  scope.postMessage(reply);
};
