/**
 * B-LT post-signature processing (ETSI EN 319 142-1 §5.4.2; ISO 32000-2 §12.8.4.3 /DSS): gathers the
 * certificates of every signature and time-stamp already in the document (signature time-stamps and
 * document time-stamps included), asks the pki layer to complete their chains and fetch CRLs / OCSP
 * responses through the injected fetcher, and appends them as a /DSS in a new revision — with one /VRI
 * entry per signature (§5.4.2.2, optional in PAdES) naming the data that signature needs.
 */
import { IncrementalUpdate, joinChunks, signatures, trimDer, writeDss, type VriEntry } from '@inkan/pdf';
import { OID, collectValidationData, inspectSignedData } from '@inkan/pki';
import { PadesError } from '../errors.ts';
import type { Fetcher } from './level.ts';
import { openPdf } from './prepare.ts';

export interface ValidationSources {
  readonly fetch: Fetcher;
  readonly extraCertificates: readonly Uint8Array[];
}

/** Certificates to validate for one signature (its signer and its signature time-stamps' TSAs) and every certificate its CMS carries. */
async function certificatesOf(cms: Uint8Array): Promise<{ targets: Uint8Array[]; pool: Uint8Array[] }> {
  const targets: Uint8Array[] = [];
  const pool: Uint8Array[] = [];
  const visit = async (der: Uint8Array, depth: number): Promise<void> => {
    const f = await inspectSignedData(der);
    pool.push(...f.certificates);
    if (f.signerCertificate) targets.push(f.signerCertificate);
    if (depth > 0) return;
    for (const a of f.unsignedAttributes)
      if (a.type === OID.signatureTimeStampToken) for (const v of a.values) await visit(v, depth + 1);
  };
  await visit(cms, 0);
  return { targets, pool };
}

/**
 * `fetch` answering repeated identical requests (same method, URL and byte body) from the first answer, so
 * that collecting per signature asks the network once per CRL or OCSP request, as one collection would.
 */
function onceFetch(fetcher: Fetcher): Fetcher {
  const answers = new Map<string, Promise<Response>>();
  return async (input, init) => {
    const body = init?.body;
    const bytes =
      body instanceof Uint8Array ? body : body instanceof ArrayBuffer ? new Uint8Array(body) : body ? null : undefined;
    if (input instanceof Request || bytes === null) return fetcher(input, init);
    const key = `${init?.method ?? 'GET'} ${String(input)} ${bytes ? hex(bytes) : ''}`;
    let answer = answers.get(key);
    if (!answer) answers.set(key, (answer = fetcher(input, init)));
    return (await answer).clone(); // the first answer's body is never read: every caller gets a copy
  };
}

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s.toUpperCase();
}

/**
 * The /VRI key of a signature (ETSI EN 319 142-1 §5.4.2.2, ISO 32000-2 §12.8.4.4): uppercase hex SHA-1 of
 * its /Contents value — the whole string for a CMS signature, the time-stamp token's DER for a document
 * time-stamp (as Acrobat and iText key them). SHA-1 is only a lookup key here, never a signature digest.
 */
async function vriKey(contents: Uint8Array, docTimestamp: boolean): Promise<string> {
  const b = docTimestamp ? trimDer(contents) : contents;
  return hex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-1', b as Uint8Array<ArrayBuffer>)));
}

/** Adds the DSS revision; the result in one new array. */
export async function addValidationData(
  pdf: Uint8Array,
  src: ValidationSources,
  password?: string
): Promise<Uint8Array> {
  return joinChunks(await addValidationDataChunks(pdf, src, password));
}

/** Adds the DSS revision; the result as `[pdf, new revision]` (`pdf` unmodified, not copied). */
export async function addValidationDataChunks(
  pdf: Uint8Array,
  src: ValidationSources,
  password?: string
): Promise<Uint8Array[]> {
  const file = openPdf(pdf, password);
  try {
    const sigs = signatures(file).flatMap((s) => {
      const c = s.dict.get('Contents');
      return s.contents && c?.kind === 'string'
        ? [{ cms: s.contents.bytes, value: c.bytes, dts: s.type === 'DocTimeStamp' }]
        : [];
    });
    if (sigs.length === 0) throw new PadesError('PADES_NOTHING_TO_EXTEND', 'the document has no signature');
    const found = await Promise.all(sigs.map((s) => certificatesOf(s.cms)));
    const pool = [...found.flatMap((f) => f.pool), ...src.extraCertificates];
    const fetch = onceFetch(src.fetch);
    const all = { certs: [] as Uint8Array[], crls: [] as Uint8Array[], ocsps: [] as Uint8Array[] };
    const vri = new Map<string, VriEntry>();
    for (const [i, s] of sigs.entries()) {
      const data = await collectValidationData({ certificates: found[i].targets, pool, fetch });
      const entry = { certs: [...data.certs], crls: [...data.crls], ocsps: [...data.ocsps] };
      all.certs.push(...entry.certs);
      all.crls.push(...entry.crls);
      all.ocsps.push(...entry.ocsps);
      vri.set(await vriKey(s.value, s.dts), entry);
    }
    const up = new IncrementalUpdate(file);
    writeDss(up, { ...all, vri }); // writeDss keeps one stream per distinct certificate, CRL, OCSP response
    const w = up.writeChunks();
    return [w.head, w.tail];
  } catch (e) {
    throw PadesError.from(e, 'PADES_REVOCATION_UNAVAILABLE');
  }
}
