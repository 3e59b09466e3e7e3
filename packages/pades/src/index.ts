// @inkan/pades: PAdES signing stages and validation on @inkan/pdf + @inkan/pki. Browser-safe; Node-only
// helpers (font file loading) are in '@inkan/pades/node'.
export { PadesError, type PadesErrorCode } from './errors.ts';
export { buildAppearance, type AppearanceSpec, type SignatureAppearance } from './appearance/appearance.ts';
export { sealLayout, sealSvg, SEAL_RED, type SealImage, type SealLayout } from './appearance/seal.ts';
export { formatSigningTime } from './appearance/time.ts';
// signing stages: prepare → (Signer.signRaw or a remote hash signer) → complete; extend for LT/LTA
export {
  PADES_LEVELS,
  planLevel,
  type PadesLevel,
  type LevelRequest,
  type LevelPlan,
  type Fetcher
} from './sign/level.ts';
export { type SignatureRequest, type VisiblePlacement } from './sign/request.ts';
export { prepareSignature, type PreparedSignature } from './sign/prepare.ts';
export { completeSignature, completeSignatureChunks, type CompleteRequest } from './sign/complete.ts';
export { signPdf, signPdfChunks } from './sign/sign.ts';
export { extendPdf, extendPdfChunks, type ExtendRequest } from './sign/extend.ts';
export { addValidationData, type ValidationSources } from './sign/dss.ts';
export { addDocumentTimestamp } from './sign/doc-timestamp.ts';
export { type Digester } from './sign/digest.ts';
// validation: facts per signature + modification analysis + ETSI verdict (browser and Node)
export { validatePdf, type ValidateOptions, type RevocationFetcher, type RangeDigest } from './validate/validate.ts';
export { toVerifyJson, type VerifyJson, type VerifyJsonSignature } from './validate/json.ts';
export { describeReport } from './validate/describe.ts';
export type {
  DocumentReport,
  SignatureReport,
  SignatureFacts,
  Indication,
  SubIndication,
  Modification,
  ModificationLevel,
  Coverage,
  TimestampFacts
} from './validate/report.ts';
