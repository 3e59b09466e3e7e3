/**
 * Stage 1 of signing (pyHanko: signing session → to-be-signed document). Opens the PDF, checks that it may
 * be signed, appends the new revision with a sized /Contents placeholder, fixes /ByteRange, hashes the
 * covered bytes and prepares the CMS signed attributes. The result is a plain value: it can be stored
 * (a browser tab that reloads) or sent away (契約印: a server signs `toBeSigned.digest`) and resumed with
 * {@link completeSignature}.
 *
 * ETSI EN 319 142-1 §5.3 (CMS in PDF), ISO 32000-2 §12.8.1 (signature dictionary, ByteRange).
 */
import {
  IncrementalUpdate,
  arr,
  dict,
  name,
  str,
  type PdfDict,
  PdfFile,
  addSignatureField,
  fillByteRange,
  fillSignatureField,
  findField,
  joinChunks,
  formFields,
  pageAt,
  setDocMdp,
  signatureDict
} from '@inkan/pdf';
import { prepareSignedAttributes, type DigestAlgorithm, type PreparedSignedAttributes, type Signer } from '@inkan/pki';
import { PadesError } from '../errors.ts';
import { declarePadesExtension, needAppearancesRemovable } from './catalog.ts';
import { signatureContentsSize } from './contents-size.ts';
import { digestOutsideHole } from './digest.ts';
import { planLevel, type PadesLevel } from './level.ts';
import { assertSigningPermitted } from './permissions.ts';
import { checkRequest, type SignatureRequest } from './request.ts';

/** The document with its placeholder, waiting for a signature value over `toBeSigned`. */
export interface PreparedSignature {
  readonly stage: 'prepared';
  readonly level: PadesLevel;
  readonly hash: DigestAlgorithm;
  /**
   * The output PDF as chunks, addressed by file offsets: with a `digester`, the input itself (never
   * modified, not copied) then the new revision; without one (WebCrypto has to hash one array anyway), the
   * whole output as one array. /ByteRange final, /Contents still zeros, filled in place by completeSignature.
   */
  readonly chunks: readonly Uint8Array[];
  /**
   * The whole output as one array. With one chunk it is that chunk; with two it is a new copy joining them
   * on each read (not carried through structured cloning: `chunks` is).
   */
  readonly pdf: Uint8Array;
  /** [start, end) of the `<…>` /Contents token in the output. */
  readonly contents: readonly [number, number];
  readonly byteRange: readonly [number, number, number, number];
  /** [start, end) of the `[…]` /ByteRange token in the output. */
  readonly byteRangeSpan: readonly [number, number];
  readonly fieldName: string;
  readonly signedAttributes: PreparedSignedAttributes;
  /** What the key signs: the DER signed attributes, or (for hash signers) their digest with `hash`. */
  readonly toBeSigned: { readonly data: Uint8Array; readonly digest: Uint8Array };
}

/** Adds `pdf`: the one chunk itself, or a non-enumerable getter joining several (no eager 50 MB copy). */
function withPdf(p: Omit<PreparedSignature, 'pdf'>): PreparedSignature {
  if (p.chunks.length === 1) return { ...p, pdf: p.chunks[0] };
  return Object.defineProperty(p, 'pdf', { get: () => joinChunks(p.chunks), enumerable: false }) as PreparedSignature;
}

/** Opens `pdf`, mapping the pdf layer's errors to PadesError with the same code. */
export function openPdf(pdf: Uint8Array, password?: string): PdfFile {
  try {
    return PdfFile.open(pdf, { password });
  } catch (e) {
    throw PadesError.from(e);
  }
}

/** /Lock (Type SigFieldLock) or FieldMDP /TransformParams (Type TransformParams, /V /1.2). */
function lockDict(l: NonNullable<SignatureRequest['lock']>, transform = false): PdfDict {
  return dict({
    Type: name(transform ? 'TransformParams' : 'SigFieldLock'),
    Action: name(l.action),
    Fields: l.action === 'All' ? undefined : arr(...(l.fields ?? []).map((f) => str(f))),
    V: transform ? name('1.2') : undefined
  });
}

function freeFieldName(file: PdfFile): string {
  const taken = new Set(formFields(file).map((f) => f.name));
  for (let i = 1; ; i++) if (!taken.has(`Signature${i}`)) return `Signature${i}`;
}

export async function prepareSignature(
  pdf: Uint8Array,
  signer: Signer,
  request: SignatureRequest
): Promise<PreparedSignature> {
  checkRequest(request);
  const plan = planLevel(request);
  const hash = request.hash ?? 'SHA-256';
  const file = openPdf(pdf, request.password);
  try {
    const existing = request.field ? findField(file, request.field) : undefined;
    if (existing) {
      if (existing.ft !== 'Sig')
        throw new PadesError('PADES_INVALID_ARGUMENT', `field "${request.field}" is not a signature field`);
      if (existing.value)
        throw new PadesError('PADES_FIELD_ALREADY_SIGNED', `field "${request.field}" is already signed`);
    }
    const fieldName = existing?.name ?? request.field ?? freeFieldName(file);
    assertSigningPermitted(file, { fieldName, existing: !!existing, certify: request.certify !== undefined });

    const contentsSize = await signatureContentsSize(signer, hash, plan.level === 'B-B' ? undefined : plan.tsa);
    const up = new IncrementalUpdate(file);
    const sigDict = signatureDict({
      name: request.signerName,
      reason: request.reason,
      location: request.location,
      contactInfo: request.contactInfo,
      signingTime: request.signingTime ?? new Date(),
      docMdp: request.certify
    });
    const lock = request.lock && lockDict(request.lock);
    if (lock) {
      if (existing) throw new PadesError('PADES_INVALID_ARGUMENT', 'a lock can only be set on a new field');
      // §12.8.2.4: the signature of a locked field carries the FieldMDP transform with the same parameters
      const refs = sigDict.get('Reference');
      const fieldMdp = dict({
        Type: name('SigRef'),
        TransformMethod: name('FieldMDP'),
        TransformParams: lockDict(request.lock!, true)
      });
      sigDict.set('Reference', arr(...(refs?.kind === 'array' ? refs.items : []), fieldMdp));
    }
    const sig = up.addSignature(sigDict, { contentsSize });
    // an existing field gets the picture on its first widget (fillSignatureField)
    const drawn = existing && request.appearance ? existing.widgets[0] : undefined;
    const clearNeedAppearances = needAppearancesRemovable(file, drawn);
    if (existing) fillSignatureField(up, fieldName, sig, { appearance: request.appearance, clearNeedAppearances });
    else {
      const v = request.visible;
      try {
        addSignatureField(up, {
          name: fieldName,
          page: v?.page ?? 0,
          rect: v ? [v.rect[0], v.rect[1], v.rect[0] + v.rect[2], v.rect[1] + v.rect[3]] : [0, 0, 0, 0],
          appearance: v ? request.appearance : undefined,
          lock,
          sig,
          clearNeedAppearances
        });
      } catch (e) {
        // the widget needs a page: none readable means the page tree is broken; a visible one names a page
        if ((e as { code?: string }).code === 'PDF_INVALID_ARGUMENT' && !pageAt(file, v?.page ?? 0))
          throw v
            ? new PadesError('PADES_INVALID_ARGUMENT', `page ${v.page + 1} does not exist`, { cause: e })
            : new PadesError('PDF_MALFORMED', 'the document has no readable page to carry the signature widget', {
                cause: e
              });
        throw e;
      }
    }
    if (request.certify !== undefined) setDocMdp(up, sig);
    declarePadesExtension(up, file);
    const written = up.writeChunks();
    if (!written.signature) throw new PadesError('PADES_INTERNAL', 'the writer returned no signature placeholder');
    const chunks = request.digester ? [written.head, written.tail] : [joinChunks([written.head, written.tail])];
    const byteRange = fillByteRange(chunks, written.signature);
    const contentDigest = await digestOutsideHole(chunks, written.signature.contents, hash, request.digester);
    const signedAttributes = await prepareSignedAttributes({
      contentDigest,
      hash,
      certificate: signer.certificate,
      chain: signer.chain,
      scheme: signer.algorithm
    });
    return withPdf({
      stage: 'prepared',
      level: plan.level,
      hash,
      chunks,
      contents: written.signature.contents,
      byteRange,
      byteRangeSpan: written.signature.byteRange,
      fieldName,
      signedAttributes,
      toBeSigned: { data: signedAttributes.der, digest: signedAttributes.digest }
    });
  } catch (e) {
    throw PadesError.from(e);
  }
}
