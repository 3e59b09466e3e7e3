import * as asn1js from 'asn1js';
import { PkiError, assertArg } from '../errors.ts';
import { isBytes, type Bytes } from '../bytes.ts';
import { contentsOf, derSetOf, parseAsn1, rawOf, tlv } from '../der.ts';
import { encodeAttribute } from './signed-attributes.ts';

function sequence(node: asn1js.AsnType | undefined, what: string): asn1js.Sequence {
  if (!(node instanceof asn1js.Sequence)) throw new PkiError('PKI_MALFORMED', `CMS: ${what} is not a SEQUENCE`);
  return node;
}

interface Located {
  ci: asn1js.Sequence;
  sd: asn1js.Sequence;
  signerInfos: asn1js.Set;
  si: asn1js.Sequence;
}

function locate(cms: Uint8Array): Located {
  const ci = sequence(parseAsn1(cms, 'CMS', true), 'ContentInfo');
  const wrapper = ci.valueBlock.value[1] as asn1js.Constructed | undefined;
  const sd = sequence(wrapper?.valueBlock.value[0], 'SignedData');
  const signerInfos = sd.valueBlock.value[sd.valueBlock.value.length - 1];
  if (!(signerInfos instanceof asn1js.Set)) throw new PkiError('PKI_MALFORMED', 'CMS: no SignerInfos');
  const si = sequence(signerInfos.valueBlock.value[0], 'SignerInfo');
  return { ci, sd, signerInfos, si };
}

/** The first SignerInfo's signature value (what a signature-time-stamp covers, RFC 3161 App. A). */
export function signatureValueOf(cms: Uint8Array): Bytes {
  const { si } = locate(cms);
  const sig = si.valueBlock.value.find((n) => n instanceof asn1js.OctetString && n.idBlock.tagClass === 1);
  if (!(sig instanceof asn1js.OctetString)) throw new PkiError('PKI_MALFORMED', 'CMS: SignerInfo has no signature');
  return contentsOf(sig);
}

/**
 * Add an unsigned attribute to the first SignerInfo (RFC 5652 §5.3 `unsignedAttrs [1] IMPLICIT`),
 * copying every other byte of the CMS as it is — the signed part is never re-encoded.
 * Returns the new ContentInfo DER (any trailing zero padding of the input is dropped).
 */
export function addUnsignedAttribute(cms: Uint8Array, type: string, valueDer: Uint8Array): Bytes {
  assertArg(isBytes(cms) && isBytes(valueDer), 'cms and value must be bytes');
  const { ci, sd, signerInfos, si } = locate(cms);
  const fields = si.valueBlock.value;
  const existing = fields.find((n) => n.idBlock.tagClass === 3 && n.idBlock.tagNumber === 1) as
    asn1js.Constructed | undefined;
  const attrs = [...(existing?.valueBlock.value.map(rawOf) ?? []), encodeAttribute(type, valueDer)];
  const unsigned = derSetOf(attrs);
  unsigned[0] = 0xa1;
  const newSi = tlv(0x30, ...fields.filter((n) => n !== existing).map(rawOf), unsigned);
  const newInfos = tlv(0x31, newSi, ...signerInfos.valueBlock.value.slice(1).map(rawOf));
  const sdFields = sd.valueBlock.value;
  const newSd = tlv(0x30, ...sdFields.slice(0, -1).map(rawOf), newInfos);
  return tlv(0x30, rawOf(ci.valueBlock.value[0]!), tlv(0xa0, newSd));
}
