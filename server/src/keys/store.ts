import { createHash } from 'node:crypto';
import type { AuthorityKey, DigestAlgorithm } from '@inkan/pki';

/** Key types a store can generate. */
export type KeyAlgorithm = 'P-256' | 'P-384' | 'RSA-2048' | 'RSA-3072';

/** Errors of the key area, with stable codes (HTTP status chosen by the routes that use them). */
export class KeyStoreError extends Error {
  constructor(
    readonly code: 'KEY_NOT_FOUND' | 'KEY_STORE_FAILED' | 'KEY_ALGORITHM_UNSUPPORTED' | 'KEY_PASSPHRASE_WRONG',
    message: string
  ) {
    super(message);
    this.name = 'KeyStoreError';
  }
}

/** A private key held by a {@link KeyStore}; the private half is never handed out. */
export interface StoredKey {
  readonly label: string;
  readonly algorithm: KeyAlgorithm;
  /** SubjectPublicKeyInfo, DER. */
  readonly spki: Uint8Array<ArrayBuffer>;
  /** The key as the issuing builders see it (hashes `data` itself). */
  authority(hash?: DigestAlgorithm): AuthorityKey;
  /**
   * Signs a precomputed digest (CSC signHash): ECDSA → DER Ecdsa-Sig-Value, RSA → PKCS#1 v1.5 over DigestInfo.
   */
  signDigest(digest: Uint8Array, hash: DigestAlgorithm): Promise<Uint8Array<ArrayBuffer>>;
  /** Asks the store whether the private key could leave it (PKCS#11: CKA_EXTRACTABLE / CKA_SENSITIVE). */
  isExtractable(): Promise<boolean>;
}

/** Where the platform's private keys live: files (software) or an HSM (PKCS#11). */
export interface KeyStore {
  readonly kind: 'software' | 'pkcs11';
  find(label: string): Promise<StoredKey | null>;
  /** The key with `label`, generated inside the store on first use. */
  ensure(label: string, algorithm: KeyAlgorithm): Promise<StoredKey>;
  close(): void;
}

const DIGEST_INFO_PREFIX: Record<DigestAlgorithm, string> = {
  'SHA-256': '3031300d060960864801650304020105000420',
  'SHA-384': '3041300d060960864801650304020205000430',
  'SHA-512': '3051300d060960864801650304020305000440'
};
const DIGEST_LEN: Record<DigestAlgorithm, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

/** DigestInfo (RFC 8017 §9.2 note 1) for PKCS#1 v1.5 signing of a precomputed digest. */
export function digestInfo(digest: Uint8Array, hash: DigestAlgorithm): Buffer {
  if (digest.length !== DIGEST_LEN[hash]) throw new KeyStoreError('KEY_STORE_FAILED', `digest is not ${hash}`);
  return Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX[hash], 'hex'), digest]);
}

export function nodeHash(hash: DigestAlgorithm, data: Uint8Array): Buffer {
  return createHash(hash.toLowerCase().replace('-', '')).update(data).digest();
}

export function checkLabel(label: string): void {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(label)) throw new KeyStoreError('KEY_STORE_FAILED', `bad key label "${label}"`);
}

/** `found` if it has `algorithm`; a key of another type under the label is an error, never silently reused. */
export function sameAlgorithm(found: StoredKey | null, algorithm: KeyAlgorithm): StoredKey | null {
  if (found && found.algorithm !== algorithm)
    throw new KeyStoreError(
      'KEY_ALGORITHM_UNSUPPORTED',
      `key "${found.label}" is ${found.algorithm}, not ${algorithm}`
    );
  return found;
}
