import { describeCertificate, type CertificateInfo } from '@inkan/pki';

const cache = new Map<string, CertificateInfo | null>();
const MAX = 512;

/**
 * `describeCertificate`, remembered by DER (a document repeats the same few certificates across
 * signatures, timestamps and the DSS; parsing them is the most expensive step after hashing).
 * Null for a certificate that cannot be parsed.
 */
export function certificateFacts(der: Uint8Array): CertificateInfo | null {
  let key = '';
  for (let i = 0; i < der.length; i += 4096) key += String.fromCharCode(...der.subarray(i, i + 4096));
  if (cache.has(key)) return cache.get(key)!;
  let info: CertificateInfo | null;
  try {
    info = describeCertificate(der);
  } catch {
    info = null;
  }
  if (cache.size >= MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, info);
  return info;
}
