/**
 * The whole signing sequence in one call, for callers that hold the key: prepare → sign the signed
 * attributes with the one primitive (`Signer.signRaw`) → complete (CMS, time-stamp, DSS, document
 * time-stamp). Callers that must pause (remote 契約印 signing, a worker) use the stages directly.
 *
 * @example
 * const out = await signPdf(pdf, await createPkcs8Signer({ pkcs8, certificate }), {
 *   level: 'B-T', tsa: { url: 'http://127.0.0.1:8778/tsa' }, reason: '契約に同意します' });
 */
import type { Signer } from '@inkan/pki';
import { joinChunks } from '@inkan/pdf';
import { completeSignatureChunks } from './complete.ts';
import { prepareSignature } from './prepare.ts';
import type { SignatureRequest } from './request.ts';

/**
 * The signed PDF as chunks to write one after the other (e.g. to a file): with a `digester`, `pdf` itself
 * (unmodified, not copied) followed by the appended revisions — no full-size copy of a large document.
 */
export async function signPdfChunks(pdf: Uint8Array, signer: Signer, request: SignatureRequest): Promise<Uint8Array[]> {
  const prepared = await prepareSignature(pdf, signer, request);
  const tbs = prepared.toBeSigned;
  const value = await signer.signRaw(signer.acceptsDigest ? { digest: tbs.digest } : { data: tbs.data }, prepared.hash);
  return completeSignatureChunks(prepared, value, request);
}

/** The signed PDF in one new array. */
export async function signPdf(pdf: Uint8Array, signer: Signer, request: SignatureRequest): Promise<Uint8Array> {
  return joinChunks(await signPdfChunks(pdf, signer, request));
}
