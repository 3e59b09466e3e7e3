import * as pkijs from 'pkijs';
import { PkiError } from './errors.ts';
import {
  ecdsaDerToRaw,
  importParams,
  parseSignatureAlgorithm,
  schemeFromPublicKey,
  signParams,
  type DigestAlgorithm,
  type SignatureAlgorithmInfo
} from './algorithms.ts';
import { toArrayBuffer } from './bytes.ts';
import { BytesMemo } from './memo.ts';

/** Imported verification keys per WebCrypto provider (importKey dominates a single verification). */
const keyCache = new WeakMap<Crypto, BytesMemo<Promise<CryptoKey>>>();

export interface VerifySignatureInput {
  /** The signer's SubjectPublicKeyInfo. */
  readonly publicKey: pkijs.PublicKeyInfo;
  /** The signatureAlgorithm as found in the signed object. */
  readonly algorithm: pkijs.AlgorithmIdentifier;
  /** Digest named beside a bare `rsaEncryption` (CMS SignerInfo.digestAlgorithm, RFC 5652 §5.3). */
  readonly digestHint?: DigestAlgorithm;
  /** The exact bytes that were signed, as found in the file (never a re-encoding). */
  readonly data: Uint8Array;
  /** The signature value (DER Ecdsa-Sig-Value for ECDSA). */
  readonly signature: Uint8Array;
  readonly crypto?: Crypto;
}

/**
 * Verify one signature with WebCrypto against the allow-list. Returns `false` for a wrong signature;
 * throws `PKI_ALGORITHM_NOT_ALLOWED` / `PKI_WEAK_KEY` when the algorithm or key is refused.
 */
export async function verifySignature(
  input: VerifySignatureInput
): Promise<{ valid: boolean; algorithm: SignatureAlgorithmInfo }> {
  const crypto = input.crypto ?? globalThis.crypto;
  const algorithm = parseSignatureAlgorithm(input.algorithm, input.digestHint);
  const keyScheme = schemeFromPublicKey(input.publicKey, algorithm.name === 'RSA-PSS');
  if ((keyScheme.name === 'ECDSA') !== (algorithm.name === 'ECDSA')) {
    throw new PkiError('PKI_ALGORITHM_NOT_ALLOWED', `signature algorithm ${algorithm.name} does not match the key`);
  }
  const spki = new Uint8Array(input.publicKey.toSchema().toBER());
  const params = importParams(keyScheme, algorithm.hash);
  let memo = keyCache.get(crypto);
  if (!memo) keyCache.set(crypto, (memo = new BytesMemo<Promise<CryptoKey>>()));
  const key = await memo
    .get(
      spki,
      () => crypto.subtle.importKey('spki', toArrayBuffer(spki), params, false, ['verify']),
      JSON.stringify(params)
    )
    .catch((cause: unknown) => {
      throw new PkiError('PKI_MALFORMED', 'public key cannot be imported', { cause });
    });
  let sig: Uint8Array = input.signature;
  if (keyScheme.name === 'ECDSA') {
    try {
      sig = ecdsaDerToRaw(sig, keyScheme.namedCurve);
    } catch {
      return { valid: false, algorithm };
    }
  }
  const valid = await crypto.subtle.verify(
    signParams(keyScheme, algorithm.hash, algorithm.saltLength),
    key,
    toArrayBuffer(sig),
    toArrayBuffer(input.data)
  );
  return { valid, algorithm };
}
