import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PkiError } from '../errors.ts';
import { digest, digestAlgorithmIdentifier, identifierDigestFromOid, type IdentifierDigest } from '../algorithms.ts';
import { bytes, equalBytes, type Bytes } from '../bytes.ts';
import { certificateFields, parseAsn1, parseCertificate, rawOf } from '../der.ts';
import { OID } from '../oids.ts';
import { describeCertificate } from './certificate.ts';
import { issuedBy, signedBy, type ChainLink } from './chain.ts';

export type RevocationStatus = 'good' | 'revoked' | 'unknown';

/** CRLReason (RFC 5280 §5.3.1). */
const REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'unused7',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise'
] as const;

/** What one CRL or OCSP response says about one certificate. */
export interface RevocationFacts {
  readonly source: 'crl' | 'ocsp';
  /** The CRL, or the full OCSPResponse (as given, or wrapped if a bare BasicOCSPResponse was given). */
  readonly der: Uint8Array;
  readonly status: RevocationStatus;
  readonly revokedAt?: Date;
  readonly reason?: string;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  /** OCSP producedAt. */
  readonly producedAt?: Date;
  /** Signed by the certificate's issuer (CRL, or OCSP direct) or by a delegated OCSP responder it certified. */
  readonly signatureValid: boolean;
  /** The delegated OCSP responder certificate, if one signed. */
  readonly responderCertificate?: Uint8Array;
  readonly problems: readonly string[];
}

const link = (der: Uint8Array): ChainLink => ({ der, cert: parseCertificate(der) });

function reasonOf(code: number | undefined): string | undefined {
  return code === undefined ? undefined : (REASONS[code] ?? `reason ${code}`);
}

/**
 * What `crlDer` says about `certificate` (RFC 5280 §5, §6.3): undefined when the CRL was not issued
 * by the certificate's issuer; otherwise the status with the CRL's signature checked against `issuer`
 * (which must have cRLSign if it has a keyUsage).
 * ```asn1
 * TBSCertList ::= SEQUENCE { version Version OPTIONAL, signature AlgorithmIdentifier, issuer Name,
 *   thisUpdate Time, nextUpdate Time OPTIONAL,
 *   revokedCertificates SEQUENCE OF SEQUENCE { userCertificate CertificateSerialNumber,
 *     revocationDate Time, crlEntryExtensions Extensions OPTIONAL } OPTIONAL,
 *   crlExtensions [0] EXPLICIT Extensions OPTIONAL }
 * ```
 */
export async function checkCrl(
  certificate: Uint8Array,
  issuer: Uint8Array,
  crlDer: Uint8Array,
  crypto?: Crypto
): Promise<RevocationFacts | undefined> {
  const target = link(certificate);
  const ca = link(issuer);
  let crl: pkijs.CertificateRevocationList;
  try {
    crl = new pkijs.CertificateRevocationList({ schema: parseAsn1(crlDer, 'CRL') });
  } catch (cause) {
    throw new PkiError('PKI_MALFORMED', `CRL: ${(cause as Error).message}`, { cause });
  }
  if (!crl.issuer.isEqual(target.cert.issuer) || !crl.issuer.isEqual(ca.cert.subject)) return undefined;
  const problems: string[] = [];
  const check = await signedBy({ der: crlDer, cert: crl as unknown as pkijs.Certificate }, ca, crypto).catch(
    () => false as const
  );
  let signatureValid = check === true;
  if (check !== true && check !== false) problems.push(check.refused);
  const caInfo = describeCertificate(issuer);
  if (caInfo.keyUsage.length > 0 && !caInfo.keyUsage.includes('cRLSign')) {
    signatureValid = false;
    problems.push('CRL issuer lacks keyUsage cRLSign');
  }
  if (!signatureValid && problems.length === 0) problems.push('CRL signature does not verify with the issuer key');
  if (
    crl.crlExtensions?.extensions.some(
      (e) => e.critical && e.extnID !== OID.crlNumber && e.extnID !== OID.authorityKeyIdentifier
    )
  ) {
    problems.push('CRL has an unsupported critical extension (delta or partitioned CRL)');
    signatureValid = false;
  }
  const entry = (crl.revokedCertificates ?? []).find((r) => r.userCertificate.isEqual(target.cert.serialNumber));
  let reason: string | undefined;
  const reasonExt = entry?.crlEntryExtensions?.extensions.find((e) => e.extnID === '2.5.29.21');
  if (reasonExt) {
    const v = parseAsn1(bytes(reasonExt.extnValue.valueBlock.valueHexView), 'CRLReason');
    if (v instanceof asn1js.Enumerated) reason = reasonOf(v.valueBlock.valueDec);
  }
  return {
    source: 'crl',
    der: crlDer,
    status: entry && reason !== 'removeFromCRL' ? 'revoked' : 'good',
    revokedAt: entry?.revocationDate.value,
    reason,
    thisUpdate: crl.thisUpdate.value,
    nextUpdate: crl.nextUpdate?.value,
    signatureValid,
    problems
  };
}

/** The BIT STRING contents of a SubjectPublicKeyInfo's key (what OCSP issuerKeyHash hashes, RFC 6960 §4.1.1). */
function publicKeyBits(cert: pkijs.Certificate): Bytes {
  return bytes(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView);
}

/**
 * ```asn1
 * CertID ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, issuerNameHash OCTET STRING,
 *                       issuerKeyHash OCTET STRING, serialNumber CertificateSerialNumber }
 * ```
 * SHA-1 is the interoperable default for this identifier (RFC 5019 §2.1.1); it protects nothing.
 */
export async function makeCertId(
  certificate: Uint8Array,
  issuer: Uint8Array,
  hash: IdentifierDigest = 'SHA-1',
  crypto?: Crypto
): Promise<pkijs.CertID> {
  const t = parseCertificate(certificate);
  const i = parseCertificate(issuer);
  return new pkijs.CertID({
    hashAlgorithm: digestAlgorithmIdentifier(hash),
    issuerNameHash: new asn1js.OctetString({
      valueHex: (await digest(hash, certificateFields(issuer).subject, crypto)).buffer
    }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: (await digest(hash, publicKeyBits(i), crypto)).buffer }),
    serialNumber: t.serialNumber
  });
}

async function certIdMatches(id: pkijs.CertID, target: ChainLink, ca: ChainLink, crypto?: Crypto): Promise<boolean> {
  let hash: IdentifierDigest;
  try {
    hash = identifierDigestFromOid(id.hashAlgorithm.algorithmId);
  } catch {
    return false;
  }
  return (
    id.serialNumber.isEqual(target.cert.serialNumber) &&
    equalBytes(
      bytes(id.issuerNameHash.valueBlock.valueHexView),
      await digest(hash, certificateFields(ca.der).subject, crypto)
    ) &&
    equalBytes(bytes(id.issuerKeyHash.valueBlock.valueHexView), await digest(hash, publicKeyBits(ca.cert), crypto))
  );
}

/** Unwrap an OCSPResponse (RFC 6960 §4.2.1) to its BasicOCSPResponse; a bare BasicOCSPResponse is accepted too. */
function basicResponse(der: Uint8Array): { basic: pkijs.BasicOCSPResponse; basicDer: Bytes; certs: Bytes[] } {
  const node = parseAsn1(der, 'OCSP response');
  let basicNode: asn1js.AsnType = node;
  let basicDer: Bytes = bytes(der);
  if (node instanceof asn1js.Sequence && node.valueBlock.value[0] instanceof asn1js.Enumerated) {
    const resp = new pkijs.OCSPResponse({ schema: node });
    const status = resp.responseStatus.valueBlock.valueDec;
    if (status !== 0) throw new PkiError('PKI_MALFORMED', `OCSP responseStatus ${status} (not successful)`);
    if (!resp.responseBytes || resp.responseBytes.responseType !== OID.ocspBasic)
      throw new PkiError('PKI_MALFORMED', 'OCSP response is not id-pkix-ocsp-basic');
    basicDer = bytes(resp.responseBytes.response.valueBlock.valueHexView).slice();
    basicNode = parseAsn1(basicDer, 'BasicOCSPResponse');
  }
  try {
    const basic = new pkijs.BasicOCSPResponse({ schema: basicNode });
    const seq = basicNode as asn1js.Sequence;
    const certsNode = seq.valueBlock.value.find((n) => n.idBlock.tagClass === 3 && n.idBlock.tagNumber === 0) as
      asn1js.Constructed | undefined;
    const inner = certsNode?.valueBlock.value[0] as asn1js.Sequence | undefined;
    return { basic, basicDer, certs: inner?.valueBlock.value.map(rawOf) ?? [] };
  } catch (cause) {
    throw new PkiError('PKI_MALFORMED', `BasicOCSPResponse: ${(cause as Error).message}`, { cause });
  }
}

/**
 * What an OCSP response says about `certificate` (RFC 6960 §4.2, §4.2.2.2): undefined when it has no
 * SingleResponse for it. The signature must be the issuer's own, or a delegated responder's whose
 * certificate the issuer signed and which carries id-kp-OCSPSigning.
 * ```asn1
 * BasicOCSPResponse ::= SEQUENCE { tbsResponseData ResponseData, signatureAlgorithm AlgorithmIdentifier,
 *   signature BIT STRING, certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
 * SingleResponse ::= SEQUENCE { certID CertID, certStatus CertStatus, thisUpdate GeneralizedTime,
 *   nextUpdate [0] EXPLICIT GeneralizedTime OPTIONAL, singleExtensions [1] EXPLICIT Extensions OPTIONAL }
 * CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT UnknownInfo }
 * RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL }
 * ```
 */
export async function checkOcsp(
  certificate: Uint8Array,
  issuer: Uint8Array,
  ocspDer: Uint8Array,
  crypto?: Crypto
): Promise<RevocationFacts | undefined> {
  const target = link(certificate);
  const ca = link(issuer);
  const { basic, certs } = basicResponse(ocspDer);
  const data = basic.tbsResponseData;
  let single: pkijs.SingleResponse | undefined;
  for (const r of data.responses) if (await certIdMatches(r.certID, target, ca, crypto)) single = r;
  if (!single) return undefined;
  const problems: string[] = [];

  const verifyWith = async (signer: ChainLink) =>
    signedBy(
      {
        der: ocspDer,
        cert: {
          tbsView: data.tbsView,
          signatureAlgorithm: basic.signatureAlgorithm,
          signatureValue: basic.signature
        } as unknown as pkijs.Certificate
      },
      signer,
      crypto
    );
  let signatureValid = false;
  let responderCertificate: Uint8Array | undefined;
  const direct = await verifyWith(ca);
  if (direct === true) signatureValid = true;
  else {
    for (const der of certs) {
      let responder: ChainLink;
      try {
        responder = link(der);
      } catch {
        continue;
      }
      if ((await verifyWith(responder)) !== true) continue;
      const info = describeCertificate(der);
      if (!issuedBy(responder, ca) || (await signedBy(responder, ca, crypto)) !== true) {
        problems.push('OCSP responder certificate is not issued by the certificate issuer');
        continue;
      }
      if (!info.extendedKeyUsage.includes(OID.kpOcspSigning)) {
        problems.push('OCSP responder certificate lacks id-kp-OCSPSigning');
        continue;
      }
      const produced = data.producedAt;
      if (produced < info.notBefore || produced > info.notAfter)
        problems.push('OCSP responder certificate not valid at producedAt');
      signatureValid = produced >= info.notBefore && produced <= info.notAfter;
      responderCertificate = der;
      break;
    }
    if (typeof direct === 'object') problems.push(direct.refused);
  }
  if (!signatureValid && problems.length === 0)
    problems.push('OCSP response signature does not verify with the issuer or a delegated responder');

  const cs = single.certStatus as asn1js.AsnType;
  let status: RevocationStatus = 'unknown';
  let revokedAt: Date | undefined;
  let reason: string | undefined;
  if (cs.idBlock.tagClass === 3 && cs.idBlock.tagNumber === 0) status = 'good';
  else if (cs.idBlock.tagClass === 3 && cs.idBlock.tagNumber === 1) {
    status = 'revoked';
    const parts = (cs as asn1js.Constructed).valueBlock.value;
    const t = parts[0];
    if (t instanceof asn1js.GeneralizedTime) revokedAt = t.toDate();
    else if (t)
      revokedAt = new asn1js.GeneralizedTime({ valueHex: (t as asn1js.Primitive).valueBlock.valueHexView }).toDate();
    const r = (parts[1] as asn1js.Constructed | undefined)?.valueBlock.value[0];
    if (r instanceof asn1js.Enumerated) reason = reasonOf(r.valueBlock.valueDec);
  }
  return {
    source: 'ocsp',
    der: ocspDer,
    status,
    revokedAt,
    reason,
    thisUpdate: single.thisUpdate,
    nextUpdate: single.nextUpdate,
    producedAt: data.producedAt,
    signatureValid,
    responderCertificate,
    problems
  };
}

/** Build an OCSPRequest for one certificate (RFC 6960 §4.1.1), unsigned, no nonce. */
export async function createOcspRequest(certificate: Uint8Array, issuer: Uint8Array, crypto?: Crypto): Promise<Bytes> {
  const req = new pkijs.OCSPRequest({
    tbsRequest: new pkijs.TBSRequest({
      requestList: [new pkijs.Request({ reqCert: await makeCertId(certificate, issuer, 'SHA-1', crypto) })]
    })
  });
  return new Uint8Array(req.toSchema(true).toBER(false));
}
