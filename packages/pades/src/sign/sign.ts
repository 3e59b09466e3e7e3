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
import { completeSignature } from './complete.ts';
import { prepareSignature } from './prepare.ts';
import type { SignatureRequest } from './request.ts';

export async function signPdf(pdf: Uint8Array, signer: Signer, request: SignatureRequest): Promise<Uint8Array> {
  const prepared = await prepareSignature(pdf, signer, request);
  const tbs = prepared.toBeSigned;
  const value = await signer.signRaw(signer.acceptsDigest ? { digest: tbs.digest } : { data: tbs.data }, prepared.hash);
  return completeSignature(prepared, value, request);
}
