// @inkan/pades: PAdES signing stages and validation on @inkan/pdf + @inkan/pki. Browser-safe; Node-only
// helpers (font file loading) are in '@inkan/pades/node'.
export { PadesError, type PadesErrorCode } from './errors.ts';
export { buildAppearance, type AppearanceSpec, type SignatureAppearance } from './appearance/appearance.ts';
export { sealLayout, sealSvg, SEAL_RED, type SealImage, type SealLayout } from './appearance/seal.ts';
export { formatSigningTime } from './appearance/time.ts';
