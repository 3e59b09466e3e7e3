/**
 * Stage 3 (pyHanko: embed the CMS): wraps the signature value into the CMS, adds the signature time-stamp
 * for B-T and above (a TSA that does not answer → `TSA_UNAVAILABLE`, and nothing is written), and fills
 * /Contents. Then stage 4 (post-signature processing) for B-LT / B-LTA: DSS, document time-stamp.
 */
import { assembleSignedData, timestampSignature } from '@inkan/pki';
import { PdfRef, fillContents } from '@inkan/pdf';
import { PadesError } from '../errors.ts';
import { planLevel, type LevelRequest } from './level.ts';
import { addDocumentTimestamp } from './doc-timestamp.ts';
import { addValidationData } from './dss.ts';
import type { PreparedSignature } from './prepare.ts';

export async function completeSignature(
  prepared: PreparedSignature,
  signatureValue: Uint8Array,
  request: LevelRequest & { readonly password?: string }
): Promise<Uint8Array> {
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
    // fillContents reads only the /Contents span of the placeholder; the rest of it is not plain data
    fillContents(
      prepared.pdf,
      { ref: new PdfRef(0, 0), contents: [s, e], byteRange: [...prepared.byteRangeSpan] },
      cms
    );
    let out = prepared.pdf;
    if (plan.level === 'B-LT' || plan.level === 'B-LTA') out = await addValidationData(out, plan, request.password);
    if (plan.level === 'B-LTA') out = await addDocumentTimestamp(out, plan.tsa, request.password);
    return out;
  } catch (e) {
    throw PadesError.from(e);
  }
}
