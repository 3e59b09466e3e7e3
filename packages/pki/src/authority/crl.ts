import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { signTbs, subjectKeyIdentifierOf } from './certificate.ts';
import { integerFromBigInt, x509Time } from './der.ts';
import type { Bytes } from '../bytes.ts';
import { parseCertificate } from '../der.ts';
import { PkiError } from '../errors.ts';
import { type AuthorityKey, authorityAlgorithm } from './key.ts';

/**
 * CRLReason (RFC 5280 §5.3.1). `removeFromCRL` (8) is not offered: our CRLs are complete, not deltas.
 */
export const REVOCATION_REASONS = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  privilegeWithdrawn: 9,
  aACompromise: 10
} as const;
export type RevocationReason = keyof typeof REVOCATION_REASONS;

export interface RevokedEntry {
  serialNumber: bigint;
  revokedAt: Date;
  reason?: RevocationReason;
}

export interface BuildCrlOptions {
  /** Issuing CA certificate (DER) and its key. */
  issuer: { certificate: Bytes; key: AuthorityKey };
  thisUpdate: Date;
  nextUpdate: Date;
  /** Monotonic CRL number (RFC 5280 §5.2.3). */
  crlNumber: bigint;
  revoked: RevokedEntry[];
}

/**
 * Builds and signs a complete v2 CRL (RFC 5280 §5.1) with authorityKeyIdentifier and cRLNumber; each entry
 * carries its reasonCode unless unspecified.
 */
export async function buildCrl(o: BuildCrlOptions): Promise<Bytes> {
  if (!(o.thisUpdate < o.nextUpdate)) throw new PkiError('PKI_INVALID_ARGUMENT', 'thisUpdate must precede nextUpdate');
  const issuer = parseCertificate(o.issuer.certificate);
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.signature = authorityAlgorithm(o.issuer.key);
  crl.signatureAlgorithm = authorityAlgorithm(o.issuer.key);
  crl.issuer = issuer.subject;
  crl.thisUpdate = x509Time(o.thisUpdate);
  crl.nextUpdate = x509Time(o.nextUpdate);
  const sorted = [...o.revoked].sort((a, b) =>
    a.serialNumber < b.serialNumber ? -1 : a.serialNumber > b.serialNumber ? 1 : 0
  );
  if (sorted.length)
    crl.revokedCertificates = sorted.map((r) => {
      const reason = REVOCATION_REASONS[r.reason ?? 'unspecified'];
      if (reason === undefined) throw new PkiError('PKI_INVALID_ARGUMENT', `unknown reason ${r.reason}`);
      return new pkijs.RevokedCertificate({
        userCertificate: integerFromBigInt(r.serialNumber),
        revocationDate: x509Time(r.revokedAt),
        ...(reason !== 0 && {
          crlEntryExtensions: new pkijs.Extensions({
            extensions: [
              new pkijs.Extension({
                extnID: '2.5.29.21',
                critical: false,
                extnValue: new asn1js.Enumerated({ value: reason }).toBER(false)
              })
            ]
          })
        })
      });
    });
  crl.crlExtensions = new pkijs.Extensions({
    extensions: [
      new pkijs.Extension({
        extnID: '2.5.29.35',
        critical: false,
        extnValue: new pkijs.AuthorityKeyIdentifier({
          keyIdentifier: new asn1js.OctetString({ valueHex: await subjectKeyIdentifierOf(issuer) })
        })
          .toSchema()
          .toBER(false)
      }),
      new pkijs.Extension({
        extnID: '2.5.29.20',
        critical: false,
        extnValue: integerFromBigInt(o.crlNumber).toBER(false)
      })
    ]
  });
  return signTbs(crl, o.issuer.key);
}
