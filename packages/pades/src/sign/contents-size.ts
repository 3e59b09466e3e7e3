/**
 * Sizing /Contents (pyHanko's dry run): the CMS is built with a maximum-size dummy signature (once per signer
 * and hash) and, for B-T and above, one real time-stamp is requested over a dummy digest to learn the size of
 * the TSA's tokens (cached per TSA URL and hash). The placeholder then never overflows and wastes little.
 */
import { requestTimestamp, signCms, type DigestAlgorithm, type Signer, type TimestampClientOptions } from '@inkan/pki';
import { PadesError } from '../errors.ts';

/** Room for the unsigned-attributes wrapper and token-to-token variation (serial, nonce, genTime). */
const SLACK = 160;
const tokenSizes = new Map<string, number>();
/** Dry-run CMS sizes per signer and hash: they depend only on the certificates and the algorithm. */
const drySizes = new WeakMap<Signer, Map<DigestAlgorithm, number>>();

export async function timestampTokenSize(tsa: TimestampClientOptions, hash: DigestAlgorithm): Promise<number> {
  const key = `${tsa.url} ${tsa.hash ?? 'SHA-256'} ${hash}`;
  const known = tokenSizes.get(key);
  if (known !== undefined) return known;
  try {
    const v = await requestTimestamp(tsa, { digest: new Uint8Array(hashLength(tsa.hash ?? 'SHA-256')) });
    tokenSizes.set(key, v.token.der.length);
    return v.token.der.length;
  } catch (e) {
    throw PadesError.from(e);
  }
}

function hashLength(h: DigestAlgorithm): number {
  return h === 'SHA-512' ? 64 : h === 'SHA-384' ? 48 : 32;
}

/** Bytes to reserve for the CMS of a signature by `signer` (with a signature time-stamp when `tsa`). */
export async function signatureContentsSize(
  signer: Signer,
  hash: DigestAlgorithm,
  tsa?: TimestampClientOptions
): Promise<number> {
  let sizes = drySizes.get(signer);
  if (!sizes) drySizes.set(signer, (sizes = new Map()));
  let dry = sizes.get(hash);
  if (dry === undefined) {
    dry = (await signCms({ signer, contentDigest: new Uint8Array(hashLength(hash)), hash, dryRun: true })).length;
    sizes.set(hash, dry);
  }
  const tst = tsa ? (await timestampTokenSize(tsa, hash)) + 32 : 0;
  return dry + tst + SLACK;
}

/** Bytes to reserve for a document time-stamp token. */
export async function docTimestampContentsSize(tsa: TimestampClientOptions, hash: DigestAlgorithm): Promise<number> {
  return (await timestampTokenSize(tsa, hash)) + SLACK;
}
