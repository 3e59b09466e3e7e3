/// <reference lib="webworker" />
// Signs off the main thread: hashing the document, the signature, the timestamp and the B-LTA extension must not
// freeze the page. Only the signed-attributes digest leaves the browser (to the 契約印 signer); the TSA sees a hash.
import { createCryptoKeySigner, createRemoteSigner, fetchTransport, type Signer } from '@inkan/pki';
import { finalizePdf, signAsParticipant } from '../envelope/countersign.ts';
import { appearanceFor } from '../envelope/appearance.ts';
import type { SignerSpec, SignReply, SignRequest } from './sign-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (reply: SignReply, transfer: Transferable[] = []) => scope.postMessage(reply, transfer);

function signer(spec: SignerSpec): Promise<Signer> | Signer {
  return spec.kind === 'key'
    ? createCryptoKeySigner({ privateKey: spec.privateKey, certificate: spec.certificate, chain: spec.chain })
    : createRemoteSigner({
        baseUrl: spec.baseUrl,
        credentialID: spec.credentialID,
        headers: { authorization: `Bearer ${spec.token}` }
      });
}

scope.onmessage = async (event: MessageEvent<SignRequest>) => {
  const r = event.data;
  const tsa = {
    url: r.tsaUrl,
    transport: (url: string, body: Uint8Array, type: string) => {
      post({ type: 'timestamp' });
      return fetchTransport()(url, body, type);
    }
  };
  const fetchFn: typeof fetch = (i, init) => fetch(i, init);
  try {
    let out: Uint8Array;
    if (r.op === 'sign') {
      const signedAt = new Date(r.signedAt);
      const appearance = r.seal ? await appearanceFor(r.participant, r.seal, signedAt) : undefined;
      const services = { signer: await signer(r.signer), tsa, fetch: fetchFn };
      out = await signAsParticipant(new Uint8Array(r.pdf), r.participant, services, appearance, signedAt);
    } else {
      out = await finalizePdf(new Uint8Array(r.pdf), { tsa, fetch: fetchFn });
    }
    const buffer = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out.buffer : out.slice().buffer;
    post({ type: 'done', pdf: buffer as ArrayBuffer }, [buffer as ArrayBuffer]);
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    post({
      type: 'error',
      code: typeof code === 'string' ? code : 'UNEXPECTED',
      message: e instanceof Error ? e.message : String(e)
    });
  }
};
