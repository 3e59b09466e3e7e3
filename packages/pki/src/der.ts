import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PkiError } from './errors.ts';
import { bytes, toArrayBuffer, type Bytes } from './bytes.ts';
import { BytesMemo } from './memo.ts';

/** Parse one BER/DER element; trailing bytes are refused unless they are zero padding (`allowZeroPadding`). */
export function parseAsn1(data: Uint8Array, what: string, allowZeroPadding = false): asn1js.AsnType {
  if (!(data instanceof Uint8Array) || data.length === 0) throw new PkiError('PKI_MALFORMED', `${what}: no bytes`);
  const parsed = asn1js.fromBER(toArrayBuffer(data));
  if (parsed.offset === -1 || parsed.result.error) {
    throw new PkiError('PKI_MALFORMED', `${what}: not BER/DER (${parsed.result.error || 'parse error'})`);
  }
  for (let i = parsed.offset; i < data.length; i++) {
    if (!allowZeroPadding || data[i] !== 0)
      throw new PkiError('PKI_MALFORMED', `${what}: ${data.length - parsed.offset} trailing bytes`);
  }
  return parsed.result;
}

/** Parse `data` with a pkijs class; any failure becomes `PKI_MALFORMED`. */
export function parsePkijs<T>(
  data: Uint8Array,
  Type: new (p: { schema: asn1js.AsnType }) => T,
  what: string,
  allowZeroPadding = false
): T {
  const schema = parseAsn1(data, what, allowZeroPadding);
  try {
    return new Type({ schema });
  } catch (cause) {
    throw new PkiError('PKI_MALFORMED', `${what}: ${(cause as Error).message}`, { cause });
  }
}

const certificates = new BytesMemo<pkijs.Certificate>(256);
/** Parse a DER certificate (cached by content; treat the result as read-only). */
export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return certificates.get(der, () => parsePkijs(der, pkijs.Certificate, 'certificate'));
}

/** The exact encoding an element had in its source (asn1js keeps it). */
export function rawOf(node: asn1js.AsnType): Bytes {
  return bytes(node.valueBeforeDecodeView).slice();
}

/** Encode an asn1js/pkijs schema. */
export function encode(node: { toBER(sizeOnly?: boolean): ArrayBuffer }): Bytes {
  return new Uint8Array(node.toBER(false));
}

/**
 * One DER TLV with a single-byte tag around already-encoded contents (X.690 §8.1) — used to wrap bytes
 * that must stay exactly as they are (signed attributes, certificates) instead of re-encoding them.
 */
export function tlv(tag: number, ...contents: Uint8Array[]): Bytes {
  const len = contents.reduce((n, c) => n + c.length, 0);
  const lenBytes: number[] = [];
  if (len < 0x80) lenBytes.push(len);
  else {
    for (let l = len; l > 0; l = Math.floor(l / 256)) lenBytes.unshift(l & 0xff);
    lenBytes.unshift(0x80 | lenBytes.length);
  }
  const out = new Uint8Array(1 + lenBytes.length + len);
  out[0] = tag;
  out.set(lenBytes, 1);
  let off = 1 + lenBytes.length;
  for (const c of contents) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/** The contents octets of a definite-length TLV (header stripped). */
export function contentsOf(node: asn1js.AsnType): Bytes {
  const raw = bytes(node.valueBeforeDecodeView);
  return raw.subarray(node.idBlock.blockLength + node.lenBlock.blockLength).slice();
}

/** DER SET OF ordering (X.690 §11.6): encodings compared as octet strings, shorter padded with zeros. */
export function derSetOf(elements: Uint8Array[]): Bytes {
  const sorted = [...elements].sort((a, b) => {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = (a[i] ?? 0) - (b[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  });
  return tlv(0x31, ...sorted);
}

/** DER of an OBJECT IDENTIFIER. */
export function oidDer(oid: string): Bytes {
  return new Uint8Array(new asn1js.ObjectIdentifier({ value: oid }).toBER(false));
}

/** The raw DER pieces of a certificate that CMS and ESS copy verbatim (RFC 5280 §4.1). */
export interface CertificateFields {
  readonly tbs: Bytes;
  readonly serialNumber: Bytes;
  readonly issuer: Bytes;
  readonly subject: Bytes;
  readonly subjectPublicKeyInfo: Bytes;
}

/**
 * ```asn1
 * TBSCertificate ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1, serialNumber, signature,
 *   issuer Name, validity, subject Name, subjectPublicKeyInfo, ... }
 * ```
 */
const fields = new BytesMemo<CertificateFields>(256);
export function certificateFields(der: Uint8Array): CertificateFields {
  return fields.get(der, () => readCertificateFields(der));
}

function readCertificateFields(der: Uint8Array): CertificateFields {
  const cert = parseAsn1(der, 'certificate');
  const tbs = cert instanceof asn1js.Sequence ? cert.valueBlock.value[0] : undefined;
  if (!(tbs instanceof asn1js.Sequence)) throw new PkiError('PKI_MALFORMED', 'certificate: no TBSCertificate');
  const f = tbs.valueBlock.value;
  const o = f[0]?.idBlock.tagClass === 3 && f[0]?.idBlock.tagNumber === 0 ? 1 : 0;
  if (f.length < o + 6) throw new PkiError('PKI_MALFORMED', 'certificate: truncated TBSCertificate');
  return {
    tbs: rawOf(tbs),
    serialNumber: rawOf(f[o]!),
    issuer: rawOf(f[o + 2]!),
    subject: rawOf(f[o + 4]!),
    subjectPublicKeyInfo: rawOf(f[o + 5]!)
  };
}
