import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { type RevocationReason, REVOCATION_REASONS } from './crl.ts';
import { digest, identifierDigestFromOid } from '../algorithms.ts';
import { equalBytes, type Bytes } from '../bytes.ts';
import { certificateFields, parseCertificate, parsePkijs } from '../der.ts';
import { wholeSeconds } from './der.ts';
import { type AuthorityKey, authorityAlgorithm } from './key.ts';

/** Status of one certificate as the CA's database knows it (RFC 6960 §2.2). */
export type CertificateStatus =
  { status: 'good' } | { status: 'revoked'; revokedAt: Date; reason?: RevocationReason } | { status: 'unknown' };

/** OCSPResponseStatus values other than successful (RFC 6960 §4.2.1). */
export type OcspErrorStatus = 'malformedRequest' | 'internalError' | 'tryLater' | 'sigRequired' | 'unauthorized';
const ERROR_STATUS: Record<OcspErrorStatus, number> = {
  malformedRequest: 1,
  internalError: 2,
  tryLater: 3,
  sigRequired: 5,
  unauthorized: 6
};

export interface OcspResponderOptions {
  /** The CA whose certificates this responder answers for (DER). */
  issuer: Bytes;
  /** Delegated responder: certificate issued by `issuer` with id-kp-OCSPSigning (DER) and its key. */
  responder: { certificate: Bytes; key: AuthorityKey };
  lookup(serialNumber: bigint): CertificateStatus | Promise<CertificateStatus>;
  now: Date;
  /** How long a response may be cached: nextUpdate = now + validity (seconds). Default 1 hour. */
  validitySeconds?: number;
  /** At most this many certificates per request (default 16): more → malformedRequest. */
  maxRequests?: number;
}

const NONCE = '1.3.6.1.5.5.7.48.1.2';

/** An unsigned OCSPResponse carrying only an error status. */
export function ocspErrorResponse(status: OcspErrorStatus): Bytes {
  const r = new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: ERROR_STATUS[status] }) });
  return new Uint8Array(r.toSchema().toBER(false));
}

function certStatus(s: CertificateStatus): asn1js.AsnType {
  if (s.status === 'good') return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } });
  if (s.status === 'unknown') return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } });
  const value: asn1js.AsnType[] = [new asn1js.GeneralizedTime({ valueDate: wholeSeconds(s.revokedAt) })];
  if (s.reason && s.reason !== 'unspecified')
    value.push(
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 0 },
        value: [new asn1js.Enumerated({ value: REVOCATION_REASONS[s.reason] })]
      })
    );
  return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value });
}

/**
 * Answers a DER OCSPRequest as a delegated responder (RFC 6960 §4.2.2.2): a BasicOCSPResponse signed by
 * `responder.key`, responderID byName, the responder certificate included, the request nonce echoed.
 * Never throws for bad input: malformed requests get a `malformedRequest` response. Certificates of
 * another issuer are reported `unknown`.
 */
export async function respondOcsp(request: Bytes, o: OcspResponderOptions): Promise<Bytes> {
  let req: pkijs.OCSPRequest;
  try {
    req = parsePkijs(request, pkijs.OCSPRequest, 'OCSPRequest');
  } catch {
    return ocspErrorResponse('malformedRequest');
  }
  const list = req.tbsRequest.requestList;
  if (list.length === 0 || list.length > (o.maxRequests ?? 16)) return ocspErrorResponse('malformedRequest');

  const issuer = parseCertificate(o.issuer);
  const issuerName = certificateFields(o.issuer).subject;
  const issuerKey = issuer.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView.slice();
  const responder = parseCertificate(o.responder.certificate);
  const now = wholeSeconds(o.now);
  const next = new Date(now.getTime() + (o.validitySeconds ?? 3600) * 1000);

  const responses: pkijs.SingleResponse[] = [];
  for (const r of list) {
    const id = r.reqCert;
    let hash;
    try {
      // CertID hashing identifies, it protects nothing: SHA-1 is accepted here (RFC 6960 §4.1.1).
      hash = identifierDigestFromOid(id.hashAlgorithm.algorithmId);
    } catch {
      return ocspErrorResponse('malformedRequest');
    }
    const ours =
      equalBytes(id.issuerNameHash.valueBlock.valueHexView, await digest(hash, issuerName)) &&
      equalBytes(id.issuerKeyHash.valueBlock.valueHexView, await digest(hash, issuerKey));
    const status: CertificateStatus = ours ? await o.lookup(id.serialNumber.toBigInt()) : { status: 'unknown' };
    responses.push(
      new pkijs.SingleResponse({ certID: id, certStatus: certStatus(status), thisUpdate: now, nextUpdate: next })
    );
  }

  const data = new pkijs.ResponseData({ responderID: responder.subject, producedAt: now, responses });
  const nonce = req.tbsRequest.requestExtensions?.find((e) => e.extnID === NONCE);
  if (nonce) {
    if (nonce.extnValue.valueBlock.valueHexView.length > 128) return ocspErrorResponse('malformedRequest');
    data.responseExtensions = [
      new pkijs.Extension({ extnID: NONCE, extnValue: nonce.extnValue.valueBlock.valueHexView.slice().buffer })
    ];
  }
  data.tbsView = new Uint8Array(data.toSchema(true).toBER(false));
  const basic = new pkijs.BasicOCSPResponse({
    tbsResponseData: data,
    signatureAlgorithm: authorityAlgorithm(o.responder.key),
    signature: new asn1js.BitString({ valueHex: await o.responder.key.sign(data.tbsView.slice()) }),
    certs: [responder]
  });
  const response = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: 0 }),
    responseBytes: new pkijs.ResponseBytes({
      responseType: '1.3.6.1.5.5.7.48.1.1',
      response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) })
    })
  });
  return new Uint8Array(response.toSchema().toBER(false));
}
