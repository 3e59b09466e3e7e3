/**
 * Stage 3 (pyHanko: embed the CMS): wraps the signature value into the CMS, adds the signature time-stamp
 * for B-T and above (a TSA that does not answer → `TSA_UNAVAILABLE`, and nothing is written), and fills
 * /Contents. Then stage 4 (post-signature processing) for B-LT / B-LTA: DSS, document time-stamp.
 */
import { assembleSignedData, timestampSignature } from '@inkan/pki';
import { PdfRef, fillContents, joinChunks } from '@inkan/pdf';
import { PadesError } from '../errors.ts';
import { planLevel, type LevelRequest } from './level.ts';
import { following } from './chunks.ts';
import { addDocumentTimestampChunks } from './doc-timestamp.ts';
import type { Digester } from './digest.ts';
import { addValidationDataChunks } from './dss.ts';
import type { PreparedSignature } from './prepare.ts';

export interface CompleteRequest extends LevelRequest {
  readonly password?: string;
  /** How later stages (document time-stamp) hash; as in {@link SignatureRequest}. */
  readonly digester?: Digester;
}

/**
 * Like {@link completeSignature}, but returns the signed PDF as chunks to write one after the other: the
 * input bytes first (the very array given to prepareSignature, unmodified, when a digester was used),
 * then the appended revisions. Nothing full-size is copied for B-B and B-T; B-LT and B-LTA re-open the
 * file, which needs it in one array (one joined copy per stage, dropped afterwards).
 */
export async function completeSignatureChunks(
  prepared: PreparedSignature,
  signatureValue: Uint8Array,
  request: CompleteRequest
): Promise<Uint8Array[]> {
  if (prepared?.stage !== 'prepared') throw new PadesError('PADES_STAGE_MISMATCH', 'not a prepared signature');
  const plan = planLevel({ ...request, level: prepared.level });
  try {
    let cms = await assembleSignedData(prepared.signedAttributes, signatureValue);
    if (plan.level !== 'B-B') cms = (await timestampSignature(cms, plan.tsa)).cms;
    const [s, e] = prepared.contents;
    if (cms.length * 2 > e - s - 2)
      throw new PadesError(
        'PADES_CONTENTS_OVERFLOW',
        `the CMS (${cms.length} bytes) does not fit the placeholder (${(e - s - 2) / 2})`
      );
    // a value persisted before chunks existed carries only `pdf`
    const chunks = [...(prepared.chunks ?? [prepared.pdf])];
    // fillContents reads only the /Contents span of the placeholder; the rest of it is not plain data
    fillContents(chunks, { ref: new PdfRef(0, 0), contents: [s, e], byteRange: [...prepared.byteRangeSpan] }, cms);
    if (plan.level === 'B-B' || plan.level === 'B-T') return chunks;
    const lt = following(chunks, await addValidationDataChunks(joinChunks(chunks), plan, request.password));
    if (plan.level === 'B-LT') return lt;
    return following(
      lt,
      await addDocumentTimestampChunks(joinChunks(lt), plan.tsa, request.password, request.digester)
    );
  } catch (e) {
    throw PadesError.from(e);
  }
}

/** Stages 3 and 4; the signed PDF in one array. */
export async function completeSignature(
  prepared: PreparedSignature,
  signatureValue: Uint8Array,
  request: CompleteRequest
): Promise<Uint8Array> {
  return joinChunks(await completeSignatureChunks(prepared, signatureValue, request));
}
