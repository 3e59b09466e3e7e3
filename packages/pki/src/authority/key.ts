import * as pkijs from 'pkijs';
import {
  schemeFromPublicKey,
  signatureAlgorithmIdentifier,
  type DigestAlgorithm,
  type SignatureScheme
} from '../algorithms.ts';
import type { Bytes } from '../bytes.ts';
import { parsePkijs } from '../der.ts';
import { PkiError } from '../errors.ts';
import { signWithKey } from '../signers/cryptokey.ts';

/**
 * The one signing primitive of the issuing side (CA, OCSP responder, TSA): the private key may be a WebCrypto
 * key, an encrypted file or an HSM object; builders only see this. Unlike a {@link Signer} it needs no
 * certificate (a root signs its own) and its hash is fixed.
 */
export interface AuthorityKey {
  /** SubjectPublicKeyInfo (DER) of the key pair. */
  readonly spki: Bytes;
  readonly scheme: SignatureScheme;
  readonly hash: DigestAlgorithm;
  /**
   * Signs `data` (the key hashes it) and returns the value as X.509 and CMS carry it: PKCS#1 / PSS octets,
   * or a DER `Ecdsa-Sig-Value` for ECDSA (RFC 3279 §2.2.3).
   */
  sign(data: Bytes): Promise<Uint8Array>;
}

/** signatureAlgorithm identifier of an authority key. */
export function authorityAlgorithm(key: AuthorityKey): pkijs.AlgorithmIdentifier {
  return signatureAlgorithmIdentifier(key.scheme, key.hash);
}

/** Default hash for a scheme: the curve's for ECDSA (P-384 → SHA-384), SHA-256 for RSA. */
export function defaultHash(scheme: SignatureScheme): DigestAlgorithm {
  return scheme.name === 'ECDSA' && scheme.namedCurve === 'P-384' ? 'SHA-384' : 'SHA-256';
}

/** An {@link AuthorityKey} over a WebCrypto private key whose public half is `spki`. */
export function cryptoKeyAuthority(
  privateKey: CryptoKey,
  spki: Bytes,
  opts: { hash?: DigestAlgorithm; crypto?: Crypto } = {}
): AuthorityKey {
  const scheme = schemeFromPublicKey(
    parsePkijs(spki, pkijs.PublicKeyInfo, 'SubjectPublicKeyInfo'),
    privateKey.algorithm.name === 'RSA-PSS'
  );
  if (scheme.name !== privateKey.algorithm.name)
    throw new PkiError('PKI_KEY_MISMATCH', `private key ${privateKey.algorithm.name} does not match ${scheme.name}`);
  const hash =
    opts.hash ?? ((privateKey.algorithm as RsaHashedKeyAlgorithm).hash?.name as DigestAlgorithm) ?? defaultHash(scheme);
  const crypto = opts.crypto ?? globalThis.crypto;
  return { spki, scheme, hash, sign: (data) => signWithKey(crypto, privateKey, scheme, hash, data) };
}

const CURVES: Record<string, 'P-256' | 'P-384'> = { '1.2.840.10045.3.1.7': 'P-256', '1.3.132.0.34': 'P-384' };

/**
 * Imports an unencrypted PKCS#8 private key (DER) as an {@link AuthorityKey}; the public key is derived from
 * it. RSA keys sign PKCS#1 v1.5 unless `pss`.
 */
export async function importPkcs8Authority(
  pkcs8: Bytes,
  opts: { pss?: boolean; hash?: DigestAlgorithm; crypto?: Crypto } = {}
): Promise<AuthorityKey> {
  const subtle = (opts.crypto ?? globalThis.crypto).subtle;
  const info = parsePkijs(pkcs8, pkijs.PrivateKeyInfo, 'PKCS#8 private key');
  let params: RsaHashedImportParams | EcKeyImportParams;
  if (info.privateKeyAlgorithm.algorithmId === '1.2.840.10045.2.1') {
    const p = info.privateKeyAlgorithm.algorithmParams as { valueBlock?: { toString(): string } } | undefined;
    const curve = CURVES[p?.valueBlock?.toString() ?? ''];
    if (!curve) throw new PkiError('PKI_ALGORITHM_NOT_ALLOWED', 'EC curve not allowed');
    params = { name: 'ECDSA', namedCurve: curve };
  } else if (info.privateKeyAlgorithm.algorithmId === '1.2.840.113549.1.1.1') {
    params = { name: opts.pss ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5', hash: opts.hash ?? 'SHA-256' };
  } else throw new PkiError('PKI_ALGORITHM_NOT_ALLOWED', `key algorithm ${info.privateKeyAlgorithm.algorithmId}`);
  const privateKey = await subtle.importKey('pkcs8', pkcs8, params, true, ['sign']);
  // The public half: JWK without the private members, re-exported as SPKI.
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = await subtle.exportKey('jwk', privateKey);
  pub.key_ops = ['verify'];
  const publicKey = await subtle.importKey('jwk', pub, params, true, ['verify']);
  const spki = new Uint8Array(await subtle.exportKey('spki', publicKey));
  const nonExtractable = await subtle.importKey('pkcs8', pkcs8, params, false, ['sign']);
  return cryptoKeyAuthority(nonExtractable, spki, opts);
}
