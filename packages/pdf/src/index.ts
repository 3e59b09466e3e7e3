/**
 * @inkan/pdf — byte-level PDF layer: lazy parser, revisions, navigation, signature byte helpers and the
 * incremental writer. No CMS/PKI here (ISO 32000-2 only).
 */
export { PdfError, type PdfErrorCode } from './core/errors.ts';
export * from './core/objects.ts';
export { decodeStream, type DecodeOptions } from './core/filters.ts';
export { parseObject } from './core/parser.ts';
export { PdfFile, objectHeaderAt, type OpenOptions } from './file.ts';
export type { Revision } from './xref/revisions.ts';
export type { XrefEntry, XrefSection } from './xref/section.ts';
export type { SecurityHandler, CryptMethod } from './crypto/security.ts';
export { decodePermissions, type Permissions } from './crypto/permissions.ts';
