import { PkiError } from '../errors.ts';
import { bytes, pemBlocks, toArrayBuffer, type Bytes } from '../bytes.ts';
import { parseAsn1 } from '../der.ts';
import * as asn1js from 'asn1js';

/** A WHATWG `fetch`; inject it (tests pass `TestPki.fetch`, the app/server pass the platform's). */
export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

const LIMIT = 10 * 1024 * 1024;

async function call(fetchFn: Fetch, url: string, init?: RequestInit): Promise<Bytes> {
  if (!/^https?:\/\//i.test(url)) throw new PkiError('PKI_FETCH_FAILED', `not an http(s) URL: ${url}`);
  let res: Response;
  try {
    res = await fetchFn(url, init);
  } catch (cause) {
    throw new PkiError('PKI_FETCH_FAILED', `${url}: ${(cause as Error).message}`, { cause });
  }
  if (!res.ok) throw new PkiError('PKI_FETCH_FAILED', `${url}: HTTP ${res.status}`);
  const body = bytes(await res.arrayBuffer());
  if (body.length === 0 || body.length > LIMIT)
    throw new PkiError('PKI_FETCH_FAILED', `${url}: body of ${body.length} bytes`);
  return body;
}

/** DER from a DER-or-PEM body. */
function derOrPem(body: Bytes, label: string): Bytes[] {
  if (body[0] === 0x30) return [body];
  const blocks = pemBlocks(new TextDecoder().decode(body), label).map((b) => b.der);
  if (blocks.length === 0) throw new PkiError('PKI_FETCH_FAILED', `no ${label} in the answer`);
  return blocks;
}

/** POST an OCSP request (RFC 6960 Appendix A.1). Returns the OCSPResponse DER. */
export async function fetchOcsp(fetchFn: Fetch, url: string, request: Uint8Array): Promise<Bytes> {
  return call(fetchFn, url, {
    method: 'POST',
    headers: { 'content-type': 'application/ocsp-request' },
    body: toArrayBuffer(request)
  });
}

/** GET a CRL (RFC 5280 §4.2.1.13), DER or PEM. */
export async function fetchCrl(fetchFn: Fetch, url: string): Promise<Bytes> {
  return derOrPem(await call(fetchFn, url), 'X509 CRL')[0]!;
}

/**
 * GET issuer certificates from an AIA caIssuers URL (RFC 5280 §4.2.2.1): a DER certificate, PEM, or a
 * certs-only CMS (application/pkcs7-mime).
 */
export async function fetchCertificates(fetchFn: Fetch, url: string): Promise<Bytes[]> {
  const body = await call(fetchFn, url);
  if (body[0] !== 0x30) return derOrPem(body, 'CERTIFICATE');
  const node = parseAsn1(body, 'caIssuers answer') as asn1js.Sequence;
  const first = node.valueBlock?.value?.[0];
  if (first instanceof asn1js.ObjectIdentifier && first.valueBlock.toString() === '1.2.840.113549.1.7.2') {
    const sd = (node.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence;
    const certs = sd.valueBlock.value.find((n) => n.idBlock.tagClass === 3 && n.idBlock.tagNumber === 0) as
      asn1js.Constructed | undefined;
    return (certs?.valueBlock.value ?? []).map((c) => bytes(c.valueBeforeDecodeView).slice());
  }
  return [body];
}
