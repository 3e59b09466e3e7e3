import { PkiError, assertArg } from '../errors.ts';
import {
  digest as digestOf,
  ecdsaRawToDer,
  importParams,
  isDigestAlgorithm,
  schemeFromPublicKey,
  signatureAlgorithmIdentifier,
  signParams,
  type DigestAlgorithm,
  type SignatureScheme
} from '../algorithms.ts';
import { toArrayBuffer, isBytes } from '../bytes.ts';
import { parseCertificate } from '../der.ts';
import { verifySignature } from '../verify-signature.ts';
import { dummySignature, type SignInput, type SignOptions, type Signer } from '../signer.ts';

export interface CryptoKeySignerOptions {
  /** The private key (may be non-extractable). RSA keys carry their hash: they sign only with it. */
  readonly privateKey: CryptoKey;
  readonly certificate: Uint8Array;
  readonly chain?: readonly Uint8Array[];
  readonly crypto?: Crypto;
}

/**
 * A Signer over a WebCrypto `CryptoKey` — the browser's non-extractable key. WebCrypto has no
 * "sign this digest" operation, so it signs `{ data }` only (`acceptsDigest` is false).
 * The scheme is the key's: RSASSA-PKCS1-v1_5, RSA-PSS or ECDSA (P-256/P-384), checked against the certificate.
 */
export function createCryptoKeySigner(opts: CryptoKeySignerOptions): Signer {
  assertArg(
    opts && typeof opts.privateKey === 'object' && opts.privateKey?.type === 'private',
    'privateKey must be a private CryptoKey'
  );
  assertArg(isBytes(opts.certificate), 'certificate must be DER bytes');
  const chain = [...(opts.chain ?? [])];
  assertArg(chain.every(isBytes), 'chain must be DER bytes');
  const crypto = opts.crypto ?? globalThis.crypto;
  const key = opts.privateKey;
  const algName = key.algorithm.name;
  const cert = parseCertificate(opts.certificate);
  const scheme = schemeFromPublicKey(cert.subjectPublicKeyInfo, algName === 'RSA-PSS');
  if (scheme.name !== algName)
    throw new PkiError('PKI_KEY_MISMATCH', `key algorithm ${algName} does not match the certificate (${scheme.name})`);
  if (scheme.name === 'ECDSA' && (key.algorithm as EcKeyAlgorithm).namedCurve !== scheme.namedCurve) {
    throw new PkiError('PKI_KEY_MISMATCH', 'key curve does not match the certificate');
  }
  const keyHash =
    scheme.name === 'ECDSA' ? undefined : ((key.algorithm as RsaHashedKeyAlgorithm).hash?.name as DigestAlgorithm);
  return {
    certificate: opts.certificate,
    chain,
    algorithm: scheme,
    acceptsDigest: false,
    async signRaw(input: SignInput, hash: DigestAlgorithm, o?: SignOptions) {
      assertArg(isDigestAlgorithm(hash), `digest ${String(hash)} is not allowed`);
      if (o?.dryRun) return dummySignature(scheme);
      assertArg(input && 'data' in input && isBytes(input.data), 'a WebCrypto key signs { data } only');
      if (keyHash && keyHash !== hash)
        throw new PkiError('PKI_INVALID_ARGUMENT', `this RSA key is bound to ${keyHash}, not ${hash}`);
      return signWithKey(crypto, key, scheme, hash, input.data);
    }
  };
}

export async function signWithKey(
  crypto: Crypto,
  key: CryptoKey,
  scheme: SignatureScheme,
  hash: DigestAlgorithm,
  data: Uint8Array
): Promise<Uint8Array> {
  let sig: Uint8Array;
  try {
    sig = new Uint8Array(await crypto.subtle.sign(signParams(scheme, hash), key, toArrayBuffer(data)));
  } catch (cause) {
    throw new PkiError('PKI_SIGNING_FAILED', `signing failed: ${(cause as Error).message}`, { cause });
  }
  return scheme.name === 'ECDSA' ? ecdsaRawToDer(sig, scheme.namedCurve) : sig;
}

export interface Pkcs8SignerOptions {
  /** PKCS#8 PrivateKeyInfo, DER (kept in memory; imported non-extractable per hash on demand). */
  readonly pkcs8: Uint8Array;
  readonly certificate: Uint8Array;
  readonly chain?: readonly Uint8Array[];
  /** Sign RSA keys with RSA-PSS instead of PKCS#1 v1.5. */
  readonly pss?: boolean;
  readonly crypto?: Crypto;
}

/**
 * A Signer over a PKCS#8 private key (from a PKCS#12 or PEM file). Proves at creation that the key
 * belongs to the certificate (a probe signature verified with the certificate's key) — `PKI_KEY_MISMATCH`.
 */
export async function createPkcs8Signer(opts: Pkcs8SignerOptions): Promise<Signer> {
  assertArg(isBytes(opts?.pkcs8), 'pkcs8 must be DER bytes');
  assertArg(isBytes(opts.certificate), 'certificate must be DER bytes');
  const crypto = opts.crypto ?? globalThis.crypto;
  const cert = parseCertificate(opts.certificate);
  const scheme = schemeFromPublicKey(cert.subjectPublicKeyInfo, opts.pss === true);
  const keys = new Map<DigestAlgorithm, Promise<CryptoKey>>();
  const keyFor = (hash: DigestAlgorithm) => {
    const cacheKey = scheme.name === 'ECDSA' ? 'SHA-256' : hash;
    let k = keys.get(cacheKey);
    if (!k) {
      k = crypto.subtle
        .importKey('pkcs8', toArrayBuffer(opts.pkcs8), importParams(scheme, hash), false, ['sign'])
        .catch((cause: unknown) => {
          throw new PkiError('PKI_KEY_MISMATCH', `private key does not fit the certificate's ${scheme.name} key`, {
            cause
          });
        });
      keys.set(cacheKey, k);
    }
    return k;
  };
  const signer: Signer = {
    certificate: opts.certificate,
    chain: [...(opts.chain ?? [])],
    algorithm: scheme,
    acceptsDigest: false,
    async signRaw(input: SignInput, hash: DigestAlgorithm, o?: SignOptions) {
      assertArg(isDigestAlgorithm(hash), `digest ${String(hash)} is not allowed`);
      if (o?.dryRun) return dummySignature(scheme);
      assertArg(input && 'data' in input && isBytes(input.data), 'this signer signs { data } only');
      return signWithKey(crypto, await keyFor(hash), scheme, hash, input.data);
    }
  };
  const probe = await digestOf('SHA-256', opts.certificate, crypto);
  const sig = await signer.signRaw({ data: probe }, 'SHA-256');
  const check = await verifySignature({
    publicKey: cert.subjectPublicKeyInfo,
    algorithm: signatureAlgorithmIdentifier(scheme, 'SHA-256'),
    data: probe,
    signature: sig,
    crypto
  });
  if (!check.valid) throw new PkiError('PKI_KEY_MISMATCH', 'the private key does not belong to the certificate');
  return signer;
}
