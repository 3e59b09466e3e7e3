import { PkiError } from '../errors.ts';
import { OID } from '../oids.ts';
import type { Bytes } from '../bytes.ts';
import { addUnsignedAttribute, signatureValueOf } from '../cms/unsigned-attributes.ts';
import { requestTimestamp, type TimestampClientOptions } from './client.ts';
import { verifyTimestampToken, type TimestampVerification } from './token.ts';

/**
 * Put an RFC 3161 token into a CMS as the unsigned attribute signature-time-stamp
 * (id-aa-signatureTimeStampToken, RFC 3161 Appendix A; ETSI EN 319 122-1 §5.3). The token must
 * imprint the SignerInfo's signature value (checked; `TSA_BAD_RESPONSE` otherwise).
 */
export async function addSignatureTimestampToken(
  cms: Uint8Array,
  tokenDer: Uint8Array,
  crypto?: Crypto
): Promise<Bytes> {
  const sig = signatureValueOf(cms);
  const v = await verifyTimestampToken(tokenDer, { imprinted: { data: sig }, crypto });
  if (!v.imprintMatches) throw new PkiError('TSA_BAD_RESPONSE', 'the token does not time-stamp this signature value');
  return addUnsignedAttribute(cms, OID.signatureTimeStampToken, tokenDer);
}

/** Request a token over the CMS signature value and embed it (PAdES B-T). */
export async function timestampSignature(
  cms: Uint8Array,
  client: TimestampClientOptions
): Promise<{ cms: Bytes; timestamp: TimestampVerification }> {
  const sig = signatureValueOf(cms);
  const timestamp = await requestTimestamp(client, { data: sig });
  return { cms: addUnsignedAttribute(cms, OID.signatureTimeStampToken, timestamp.token.der), timestamp };
}
