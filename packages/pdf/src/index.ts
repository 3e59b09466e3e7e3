/**
 * @inkan/pdf — byte-level PDF layer: lazy parser, revisions, navigation, signature byte helpers and the
 * incremental writer. No CMS/PKI here (ISO 32000-2 only).
 */
export { PdfError, PDF_ERROR_CODES, type PdfErrorCode } from './core/errors.ts';
export * from './core/objects.ts';
export { decodeStream, type DecodeOptions } from './core/filters.ts';
export { parseObject } from './core/parser.ts';
export { PdfFile, objectHeaderAt, type OpenOptions } from './file.ts';
export type { Revision } from './xref/revisions.ts';
export type { XrefEntry, XrefSection } from './xref/section.ts';
export type { SecurityHandler, CryptMethod } from './crypto/security.ts';
export { decodePermissions, type Permissions } from './crypto/permissions.ts';
export { revisionChanges, revisionEndingAt, type ObjectChange } from './doc/changes.ts';
export { pages, pageAt, inherited, type PageInfo } from './doc/pages.ts';
export { formFields, findField, type FormField, type Widget } from './doc/fields.ts';
export { documentVersion, needsAppearances, widgetsWithoutAppearance } from './doc/appearances.ts';
export { signatures, signedBytes, trimDer, type SignatureInfo } from './doc/signatures.ts';
export {
  docMdp,
  fieldMdp,
  transformParams,
  dss,
  streamBytes,
  type DocMdp,
  type FieldMdp,
  type DssContents
} from './doc/permissions.ts';
export {
  IncrementalUpdate,
  BYTE_RANGE_DIGITS,
  type UpdateOptions,
  type WriteResult,
  type ChunkedWriteResult,
  type SignaturePlaceholder
} from './write/update.ts';
export {
  fillByteRange,
  fillContents,
  bytesOutside,
  chunksLength,
  joinChunks,
  type ByteChunks,
  pdfDate,
  signatureDict,
  docMdpReference,
  type SignatureDictOptions
} from './write/placeholder.ts';
export { writeObject, nameToken, literalToken } from './write/serialize.ts';
export { ByteSink } from './write/sink.ts';
export {
  addSignatureField,
  fillSignatureField,
  setDocMdp,
  type SignatureFieldOptions,
  type AddedField
} from './write/forms.ts';
export { importObject, importPageAsXObject } from './write/import.ts';
export { writeDss, type DssAdditions, type VriEntry } from './write/dss.ts';
export { addExtension, raiseVersion } from './write/extensions.ts';
