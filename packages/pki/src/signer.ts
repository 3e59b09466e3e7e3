import { maxSignatureLength, type DigestAlgorithm, type SignatureScheme } from './algorithms.ts';

/** What to sign: the message itself, or (for signers that can) its precomputed digest. */
export type SignInput = { readonly data: Uint8Array } | { readonly digest: Uint8Array };

export interface SignOptions {
  /** Return a maximum-size placeholder without touching the key (sizes the PDF `/Contents`). */
  readonly dryRun?: boolean;
}

/**
 * The one signing primitive every key source implements (after pyHanko's `Signer.async_sign_raw`).
 *
 * `signRaw` returns the signature value exactly as CMS `SignerInfo.signature` carries it
 * (RFC 5652 §5.3): PKCS#1 / PSS octets, or a DER `Ecdsa-Sig-Value` for ECDSA.
 *
 * @example
 * const sig = await signer.signRaw({ data: signedAttrsDer }, 'SHA-256');
 */
export interface Signer {
  /** The signer certificate, DER. */
  readonly certificate: Uint8Array;
  /** Further certificates to embed (intermediates, optionally the root), DER. */
  readonly chain: readonly Uint8Array[];
  /** Key scheme; the hash is chosen per call. */
  readonly algorithm: SignatureScheme;
  /** Whether `{ digest }` inputs are accepted (WebCrypto keys cannot sign a bare digest). */
  readonly acceptsDigest: boolean;
  signRaw(input: SignInput, hash: DigestAlgorithm, opts?: SignOptions): Promise<Uint8Array>;
}

/** A maximum-size stand-in for a signature of `scheme` (used by dry runs). */
export function dummySignature(scheme: SignatureScheme): Uint8Array {
  return new Uint8Array(maxSignatureLength(scheme)).fill(0xff);
}
