import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { digest } from '../algorithms.ts';
import type { Bytes } from '../bytes.ts';
import { parsePkijs } from '../der.ts';
import { PkiError } from '../errors.ts';

/**
 * A distinguished name in the order it is encoded (RFC 5280 §4.1.2.4, Appendix A). Country and serialNumber
 * are PrintableString, the e-mail address (PKCS#9) IA5String, the rest UTF8String.
 */
export interface DistinguishedName {
  country?: string;
  organization?: string;
  organizationalUnit?: string;
  commonName: string;
  serialNumber?: string;
  email?: string;
}

const NAME_OIDS: [keyof DistinguishedName, string, 'printable' | 'utf8' | 'ia5'][] = [
  ['country', '2.5.4.6', 'printable'],
  ['organization', '2.5.4.10', 'utf8'],
  ['organizationalUnit', '2.5.4.11', 'utf8'],
  ['commonName', '2.5.4.3', 'utf8'],
  ['serialNumber', '2.5.4.5', 'printable'],
  ['email', '1.2.840.113549.1.9.1', 'ia5']
];

export function encodeName(name: DistinguishedName): pkijs.RelativeDistinguishedNames {
  const rdns: asn1js.Set[] = [];
  for (const [key, type, kind] of NAME_OIDS) {
    const v = name[key];
    if (v === undefined) continue;
    if (v.length === 0 || v.length > 256) throw new PkiError('PKI_INVALID_ARGUMENT', `bad ${key} in name`);
    if (kind !== 'utf8' && !/^[\x20-\x7e]*$/.test(v))
      throw new PkiError('PKI_INVALID_ARGUMENT', `${key} must be ASCII`);
    const value =
      kind === 'printable'
        ? new asn1js.PrintableString({ value: v })
        : kind === 'ia5'
          ? new asn1js.IA5String({ value: v })
          : new asn1js.Utf8String({ value: v });
    // One attribute per RDN (a SET of one), never a multi-valued RDN.
    rdns.push(new asn1js.Set({ value: [new pkijs.AttributeTypeAndValue({ type, value }).toSchema()] }));
  }
  return new pkijs.RelativeDistinguishedNames({
    schema: asn1js.fromBER(new asn1js.Sequence({ value: rdns }).toBER(false)).result
  });
}

/** A non-negative INTEGER (serial, CRL number) from a bigint, minimal DER (X.690 §8.3). */
export function integerFromBigInt(n: bigint): asn1js.Integer {
  if (n < 0n) throw new PkiError('PKI_INVALID_ARGUMENT', 'negative integer');
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  const bytes = Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
  return new asn1js.Integer({ valueHex: bytes[0]! & 0x80 ? new Uint8Array([0, ...bytes]) : bytes });
}

/** Time as UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5), whole seconds. */
export function x509Time(d: Date): pkijs.Time {
  return new pkijs.Time({ type: d.getUTCFullYear() < 2050 ? 0 : 1, value: wholeSeconds(d) });
}

export function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

/** Key identifier: SHA-256 of the subjectPublicKey BIT STRING truncated to 160 bits (RFC 7093 §2 method 1). */
export async function keyIdentifier(spki: Bytes): Promise<Bytes> {
  const info = parsePkijs(spki, pkijs.PublicKeyInfo, 'SubjectPublicKeyInfo');
  return (await digest('SHA-256', info.subjectPublicKey.valueBlock.valueHexView)).slice(0, 20);
}
