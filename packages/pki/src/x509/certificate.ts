import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { PkiError, assertArg } from '../errors.ts';
import { isBytes, toArrayBuffer, toHex } from '../bytes.ts';
import { OID } from '../oids.ts';
import { BytesMemo } from '../memo.ts';

/** Readable facts about an X.509 certificate (RFC 5280 §4.1–4.2). */
export interface CertificateInfo {
  readonly der: Uint8Array;
  /** RFC 4514 string, UTF-8 names kept as they are, e.g. `CN=山田 太郎, O=印鑑株式会社`. */
  readonly subject: string;
  readonly issuer: string;
  /** Common name of the subject (first CN), if any. */
  readonly commonName?: string;
  readonly emailAddress?: string;
  /** Serial number as lowercase hex, no leading zero byte. */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly keyUsage: readonly KeyUsageName[];
  readonly keyUsageCritical: boolean;
  /** Extended key usages (OIDs). */
  readonly extendedKeyUsage: readonly string[];
  readonly extendedKeyUsageCritical: boolean;
  readonly isCa: boolean;
  readonly pathLength?: number;
  readonly subjectKeyIdentifier?: string;
  readonly authorityKeyIdentifier?: string;
  readonly ocspUrls: readonly string[];
  readonly caIssuersUrls: readonly string[];
  readonly crlUrls: readonly string[];
  /** id-pkix-ocsp-nocheck present (RFC 6960 §4.2.2.2.1). */
  readonly ocspNoCheck: boolean;
  /** Subject and issuer are the same name. */
  readonly selfIssued: boolean;
  readonly signatureAlgorithmOid: string;
}

export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

const KEY_USAGES: [KeyUsageName, number][] = [
  ['digitalSignature', x509.KeyUsageFlags.digitalSignature],
  ['nonRepudiation', x509.KeyUsageFlags.nonRepudiation],
  ['keyEncipherment', x509.KeyUsageFlags.keyEncipherment],
  ['dataEncipherment', x509.KeyUsageFlags.dataEncipherment],
  ['keyAgreement', x509.KeyUsageFlags.keyAgreement],
  ['keyCertSign', x509.KeyUsageFlags.keyCertSign],
  ['cRLSign', x509.KeyUsageFlags.cRLSign],
  ['encipherOnly', x509.KeyUsageFlags.encipherOnly],
  ['decipherOnly', x509.KeyUsageFlags.decipherOnly]
];

function uris(names: readonly x509.GeneralName[] | undefined): string[] {
  return (names ?? []).filter((n) => n.type === 'url').map((n) => n.value);
}

/**
 * Parse a DER certificate into readable facts; `PKI_MALFORMED` if it is not one.
 *
 * @example
 * const info = describeCertificate(der); info.subject // 'CN=山田 太郎'
 */
export function describeCertificate(der: Uint8Array): CertificateInfo {
  assertArg(isBytes(der), 'certificate must be DER bytes');
  return described.get(der, () => freeze(readCertificate(der)));
}

/** Parsed facts by certificate content: the validator asks about the same few certificates many times. */
const described = new BytesMemo<CertificateInfo>(256);

/** Shared between callers, so frozen (arrays included). */
function freeze(info: CertificateInfo): CertificateInfo {
  for (const v of Object.values(info)) if (Array.isArray(v)) Object.freeze(v);
  return Object.freeze(info);
}

function readCertificate(der: Uint8Array): CertificateInfo {
  let c: x509.X509Certificate;
  try {
    c = new x509.X509Certificate(toArrayBuffer(der));
  } catch (cause) {
    throw new PkiError('PKI_MALFORMED', `certificate: ${(cause as Error).message}`, { cause });
  }
  const ku = c.getExtension(x509.KeyUsagesExtension);
  const eku = c.getExtension(x509.ExtendedKeyUsageExtension);
  const bc = c.getExtension(x509.BasicConstraintsExtension);
  const ski = c.getExtension(x509.SubjectKeyIdentifierExtension);
  const aki = c.getExtension(x509.AuthorityKeyIdentifierExtension);
  const aia = c.getExtension(x509.AuthorityInfoAccessExtension);
  const crldp = c.getExtension(x509.CRLDistributionPointsExtension);
  const crlUrls: string[] = [];
  for (const dp of crldp?.distributionPoints ?? []) {
    for (const gn of dp.distributionPoint?.fullName ?? [])
      if (gn.uniformResourceIdentifier) crlUrls.push(gn.uniformResourceIdentifier);
  }
  const subjectName = c.subjectName;
  const first = (oid: string) => subjectName.getField(oid)[0];
  let serial = c.serialNumber.toLowerCase();
  while (serial.length > 2 && serial.startsWith('00')) serial = serial.slice(2);
  return {
    der: new Uint8Array(der),
    subject: c.subject,
    issuer: c.issuer,
    commonName: first('CN'),
    emailAddress: first('E') ?? first(OID.emailAddress),
    serialNumber: serial,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    keyUsage: ku ? KEY_USAGES.filter(([, f]) => (ku.usages & f) !== 0).map(([n]) => n) : [],
    keyUsageCritical: ku?.critical ?? false,
    extendedKeyUsage: (eku?.usages ?? []).map(String),
    extendedKeyUsageCritical: eku?.critical ?? false,
    isCa: bc?.ca ?? false,
    pathLength: bc?.pathLength,
    subjectKeyIdentifier: ski?.keyId,
    authorityKeyIdentifier: aki?.keyId,
    ocspUrls: uris(aia?.ocsp),
    caIssuersUrls: uris(aia?.caIssuers),
    crlUrls,
    ocspNoCheck: c.extensions.some((e) => e.type === OID.ocspNoCheck),
    selfIssued:
      toHex(new Uint8Array(c.subjectName.toArrayBuffer())) === toHex(new Uint8Array(c.issuerName.toArrayBuffer())),
    signatureAlgorithmOid: c.signatureAlgorithm.name ? oidOfSignature(c) : ''
  };
}

function oidOfSignature(c: x509.X509Certificate): string {
  // The certificate's outer signatureAlgorithm OID, read from the raw DER to avoid name mapping.
  return (c as unknown as { asn: { signatureAlgorithm: { algorithm: string } } }).asn.signatureAlgorithm.algorithm;
}
