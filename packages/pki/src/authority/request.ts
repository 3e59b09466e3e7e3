import * as pkijs from 'pkijs';
import type { Bytes } from '../bytes.ts';
import { parsePkijs } from '../der.ts';
import { signTbs } from './certificate.ts';
import { encodeName, type DistinguishedName } from './der.ts';
import { type AuthorityKey, authorityAlgorithm } from './key.ts';

/**
 * A PKCS#10 certification request (RFC 2986 §4) for an authority key — e.g. the platform's issuing CA key in
 * an HSM, to be certified by an external (commercial / AATL) CA. Signed by the key itself (proof of possession).
 *
 * ```asn1
 * CertificationRequestInfo ::= SEQUENCE { version INTEGER { v1(0) }, subject Name,
 *   subjectPKInfo SubjectPublicKeyInfo, attributes [0] Attributes }
 * ```
 */
export async function requestCertification(key: AuthorityKey, subject: DistinguishedName): Promise<Bytes> {
  const req = new pkijs.CertificationRequest({
    version: 0,
    subject: encodeName(subject),
    subjectPublicKeyInfo: parsePkijs(key.spki, pkijs.PublicKeyInfo, 'SubjectPublicKeyInfo'),
    attributes: []
  });
  req.signatureAlgorithm = authorityAlgorithm(key);
  return signTbs(req, key);
}
