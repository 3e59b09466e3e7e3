import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { type DistinguishedName, encodeName, integerFromBigInt, keyIdentifier, x509Time } from './der.ts';
import type { Bytes } from '../bytes.ts';
import { parseCertificate } from '../der.ts';
import { PkiError } from '../errors.ts';
import { type AuthorityKey, authorityAlgorithm } from './key.ts';

/** Where relying parties find the issuer's status services (RFC 5280 §4.2.2.1, §4.2.1.13). */
export interface IssuerUrls {
  /** OCSP responder (AIA id-ad-ocsp). */
  ocsp?: string;
  /** Issuer certificate download (AIA id-ad-caIssuers). */
  caIssuers?: string;
  /** CRL distribution point. */
  crl?: string;
}

/**
 * What kind of certificate to issue. Each profile fixes keyUsage / extendedKeyUsage:
 * - `root`, `ca`: basicConstraints cA (critical), keyCertSign + cRLSign.
 * - `signer`: digitalSignature + nonRepudiation (or only digitalSignature with `digitalSignatureOnly`),
 *   EKU emailProtection + id-kp-documentSigning (1.3.6.1.5.5.7.3.36, RFC 9336), optional rfc822Name SAN.
 * - `tsa`: digitalSignature, critical EKU id-kp-timeStamping alone (RFC 3161 §2.3).
 * - `ocsp`: digitalSignature, EKU id-kp-OCSPSigning and id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1).
 */
export type CertificateProfile =
  | { kind: 'root'; pathLength?: number }
  | { kind: 'ca'; pathLength?: number; urls?: IssuerUrls }
  | { kind: 'signer'; urls?: IssuerUrls; email?: string; digitalSignatureOnly?: boolean }
  | { kind: 'tsa'; urls?: IssuerUrls }
  | { kind: 'ocsp'; urls?: IssuerUrls };

export interface IssueCertificateOptions {
  subject: DistinguishedName;
  /** SubjectPublicKeyInfo (DER) of the certified key. Ignored for a root (the issuer key is used). */
  subjectPublicKey?: Bytes;
  /** Positive serial, unique per issuer (RFC 5280 §4.1.2.2: at most 20 octets). */
  serialNumber: bigint;
  notBefore: Date;
  notAfter: Date;
  /** Issuer certificate (DER) and its key; without a certificate the result is self-signed. */
  issuer: { certificate?: Bytes; key: AuthorityKey };
  profile: CertificateProfile;
}

export const OID_EKU = {
  emailProtection: '1.3.6.1.5.5.7.3.4',
  documentSigning: '1.3.6.1.5.5.7.3.36',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9'
} as const;

const KU = { digitalSignature: 0, nonRepudiation: 1, keyCertSign: 5, cRLSign: 6 } as const;

/** KeyUsage BIT STRING, DER: trailing zero bits dropped (X.690 §11.2.2). */
function keyUsage(bits: (keyof typeof KU)[]): asn1js.BitString {
  let v = 0;
  for (const b of bits) v |= 0x80 >> KU[b];
  let unused = 0;
  while (unused < 7 && !((v >> unused) & 1)) unused++;
  return new asn1js.BitString({ valueHex: new Uint8Array([v]), unusedBits: unused });
}

function ext(
  extnID: string,
  critical: boolean,
  value: asn1js.AsnType | { toSchema(): asn1js.AsnType }
): pkijs.Extension {
  const schema = 'toSchema' in value ? value.toSchema() : value;
  return new pkijs.Extension({ extnID, critical, extnValue: schema.toBER(false) });
}

function uri(value: string): pkijs.GeneralName {
  if (!/^https?:\/\//.test(value)) throw new PkiError('PKI_INVALID_ARGUMENT', `not an http(s) URL: ${value}`);
  return new pkijs.GeneralName({ type: 6, value });
}

function urlExtensions(urls: IssuerUrls | undefined): pkijs.Extension[] {
  const out: pkijs.Extension[] = [];
  const access: pkijs.AccessDescription[] = [];
  if (urls?.ocsp)
    access.push(new pkijs.AccessDescription({ accessMethod: '1.3.6.1.5.5.7.48.1', accessLocation: uri(urls.ocsp) }));
  if (urls?.caIssuers)
    access.push(
      new pkijs.AccessDescription({ accessMethod: '1.3.6.1.5.5.7.48.2', accessLocation: uri(urls.caIssuers) })
    );
  if (access.length) out.push(ext('1.3.6.1.5.5.7.1.1', false, new pkijs.InfoAccess({ accessDescriptions: access })));
  if (urls?.crl)
    out.push(
      ext(
        '2.5.29.31',
        false,
        new pkijs.CRLDistributionPoints({
          distributionPoints: [new pkijs.DistributionPoint({ distributionPoint: [uri(urls.crl)] })]
        })
      )
    );
  return out;
}

function profileExtensions(p: CertificateProfile): pkijs.Extension[] {
  const eku = (ids: string[], critical = false) =>
    ext('2.5.29.37', critical, new pkijs.ExtKeyUsage({ keyPurposes: ids }));
  switch (p.kind) {
    case 'root':
    case 'ca':
      return [
        ext(
          '2.5.29.19',
          true,
          new pkijs.BasicConstraints({
            cA: true,
            ...(p.pathLength !== undefined && { pathLenConstraint: p.pathLength })
          })
        ),
        ext('2.5.29.15', true, keyUsage(['keyCertSign', 'cRLSign'])),
        ...(p.kind === 'ca' ? urlExtensions(p.urls) : [])
      ];
    case 'signer': {
      const out = [
        ext(
          '2.5.29.15',
          true,
          keyUsage(p.digitalSignatureOnly ? ['digitalSignature'] : ['digitalSignature', 'nonRepudiation'])
        ),
        eku([OID_EKU.emailProtection, OID_EKU.documentSigning]),
        ...urlExtensions(p.urls)
      ];
      if (p.email)
        out.push(
          ext(
            '2.5.29.17',
            false,
            new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 1, value: p.email })] })
          )
        );
      return out;
    }
    case 'tsa':
      return [
        ext('2.5.29.15', true, keyUsage(['digitalSignature', 'nonRepudiation'])),
        eku([OID_EKU.timeStamping], true),
        ...urlExtensions(p.urls)
      ];
    case 'ocsp':
      return [
        ext('2.5.29.15', true, keyUsage(['digitalSignature'])),
        eku([OID_EKU.ocspSigning]),
        ext('1.3.6.1.5.5.7.48.1.5', false, new asn1js.Null()),
        ...urlExtensions(p.urls)
      ];
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Subject key identifier of a certificate, or one computed from its key when absent. */
export async function subjectKeyIdentifierOf(cert: pkijs.Certificate): Promise<Bytes> {
  const ski = cert.extensions?.find((e) => e.extnID === '2.5.29.14');
  if (ski)
    return (
      asn1js.fromBER(ski.extnValue.valueBlock.valueHexView).result as asn1js.OctetString
    ).valueBlock.valueHexView.slice();
  return keyIdentifier(new Uint8Array(cert.subjectPublicKeyInfo.toSchema().toBER(false)));
}

/** Signs a pkijs TBS structure with an injected key: used for certificates and CRLs alike. */
export async function signTbs(
  obj: {
    tbsView: Uint8Array;
    signatureValue: asn1js.BitString;
    toSchema(encodeFlag?: boolean): asn1js.Sequence;
  },
  key: AuthorityKey
): Promise<Bytes> {
  obj.tbsView = new Uint8Array(obj.toSchema(true).valueBlock.value[0]!.toBER(false));
  const sig = await key.sign(obj.tbsView.slice());
  obj.signatureValue = new asn1js.BitString({ valueHex: sig });
  return new Uint8Array(obj.toSchema().toBER(false));
}

/**
 * Issues an X.509 v3 certificate (RFC 5280 §4.1) under `profile`, signed by `issuer.key`.
 *
 * @example
 * const root = await issueCertificate({ subject: { commonName: 'Root' }, serialNumber: 1n,
 *   notBefore, notAfter, issuer: { key: rootKey }, profile: { kind: 'root' } });
 */
export async function issueCertificate(o: IssueCertificateOptions): Promise<Bytes> {
  if (o.serialNumber <= 0n || o.serialNumber >= 1n << 159n)
    throw new PkiError('PKI_INVALID_ARGUMENT', 'serial number must be positive and at most 20 octets');
  if (!(o.notBefore < o.notAfter)) throw new PkiError('PKI_INVALID_ARGUMENT', 'notBefore must precede notAfter');
  const selfSigned = !o.issuer.certificate;
  if (selfSigned && o.profile.kind !== 'root')
    throw new PkiError('PKI_INVALID_ARGUMENT', 'only a root certificate may be self-signed');
  const spki = selfSigned ? o.issuer.key.spki : o.subjectPublicKey;
  if (!spki) throw new PkiError('PKI_INVALID_ARGUMENT', 'subjectPublicKey is required');
  const subjectKey = pkijs.PublicKeyInfo.fromBER(spki);
  const subject = encodeName(o.subject);
  let issuerName = subject;
  let authorityKeyId: Bytes;
  if (o.issuer.certificate) {
    const issuerCert = parseCertificate(o.issuer.certificate);
    const issuerSpki = new Uint8Array(issuerCert.subjectPublicKeyInfo.toSchema().toBER(false));
    if (!equalBytes(issuerSpki, o.issuer.key.spki))
      throw new PkiError('PKI_INVALID_ARGUMENT', 'issuer key does not match the issuer certificate');
    issuerName = issuerCert.subject;
    authorityKeyId = await subjectKeyIdentifierOf(issuerCert);
  } else authorityKeyId = await keyIdentifier(spki);

  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = integerFromBigInt(o.serialNumber);
  cert.signature = authorityAlgorithm(o.issuer.key);
  cert.signatureAlgorithm = authorityAlgorithm(o.issuer.key);
  cert.issuer = issuerName;
  cert.subject = subject;
  cert.notBefore = x509Time(o.notBefore);
  cert.notAfter = x509Time(o.notAfter);
  cert.subjectPublicKeyInfo = subjectKey;
  cert.extensions = [
    ext('2.5.29.14', false, new asn1js.OctetString({ valueHex: await keyIdentifier(spki) })),
    ext(
      '2.5.29.35',
      false,
      new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: authorityKeyId }) })
    ),
    ...profileExtensions(o.profile)
  ];
  return signTbs(cert, o.issuer.key);
}
