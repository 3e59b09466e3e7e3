/** Stable error codes of `@inkan/vault`; the server and the app map them to messages, tests assert them. */
export type VaultErrorCode =
  /** A chunk, the chunk order, or the end of the file does not authenticate: modified, reordered, cut or extended. */
  | 'VAULT_TAMPERED'
  /** The key does not fit: a content key that did not encrypt this file, or a wrapping key/secret that did not wrap it. */
  | 'VAULT_WRONG_KEY'
  /** Not an Inkan vault file, or a version/algorithm this build does not know. */
  | 'VAULT_FORMAT'
  /** A caller passed something outside the documented range (chunk size, key type, encoding). */
  | 'VAULT_INVALID_ARGUMENT';

/** The one error class of this package (STYLE §8): a stable `code` plus a message for people. */
export class VaultError extends Error {
  constructor(
    readonly code: VaultErrorCode,
    message: string
  ) {
    super(message);
    this.name = 'VaultError';
  }
}
