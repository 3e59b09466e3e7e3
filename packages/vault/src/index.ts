export { VaultError, type VaultErrorCode } from './errors.ts';
export { toBase64Url, fromBase64Url } from './bytes.ts';
export type { ByteSource } from './source.ts';
export { DEFAULT_CHUNK_SIZE, MIN_CHUNK_SIZE, MAX_CHUNK_SIZE, HEADER_SIZE } from './format.ts';
export {
  generateContentKey,
  encryptStream,
  decryptStream,
  encrypt,
  decrypt,
  encryptedSize,
  type EncryptOptions
} from './stream.ts';
export {
  generateDeviceKey,
  generateRecoveryKey,
  importPublicKey,
  importPrivateKey,
  keyId,
  wrapForPublicKey,
  unwrapWithPrivateKey,
  newLinkSecret,
  wrapForLinkSecret,
  unwrapWithLinkSecret,
  type WrappedKey
} from './wrap.ts';
