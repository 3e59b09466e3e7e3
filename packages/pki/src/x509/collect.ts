import { PkiError, assertArg } from '../errors.ts';
import { equalBytes, isBytes } from '../bytes.ts';
import { describeCertificate } from './certificate.ts';
import { issuedBy, signedBy, type ChainLink } from './chain.ts';
import { parseCertificate } from '../der.ts';
import { fetchCertificates, fetchCrl, fetchOcsp, type Fetch } from './fetch.ts';
import { checkCrl, checkOcsp, createOcspRequest } from './revocation.ts';

export interface CollectValidationDataInput {
  /** Certificates to cover: the signer's, the TSAs' (their chains are completed here). */
  readonly certificates: readonly Uint8Array[];
  /** Known certificates (CMS certificates, chains, DSS) searched before AIA caIssuers is fetched. */
  readonly pool?: readonly Uint8Array[];
  readonly fetch: Fetch;
  /**
   * true (default): a certificate that declares a revocation source none of which answers → `PKI_FETCH_FAILED`;
   * an issuer found neither in the pool nor by AIA → `PKI_CHAIN_NOT_FOUND`. false: both become `problems`.
   */
  readonly strict?: boolean;
  readonly crypto?: Crypto;
}

/** DER lists for a PDF DSS (ETSI EN 319 142-1 §5.4.2): full chains, CRLs, OCSPResponses. */
export interface ValidationData {
  readonly certs: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
  readonly ocsps: readonly Uint8Array[];
  readonly problems: readonly string[];
}

function addUnique(list: Uint8Array[], der: Uint8Array): void {
  if (!list.some((x) => equalBytes(x, der))) list.push(der);
}

/**
 * Collect validation data for PAdES B-LT: complete each certificate's chain (pool first, then AIA
 * caIssuers), then for every certificate that is not self-signed fetch an OCSP response (AIA OCSP) — or,
 * failing that, a CRL (CRL DP) — verified against its issuer before it is kept. A delegated OCSP
 * responder's certificate is added too, and its own revocation data unless it has id-pkix-ocsp-nocheck.
 */
export async function collectValidationData(input: CollectValidationDataInput): Promise<ValidationData> {
  assertArg(Array.isArray(input?.certificates) && input.certificates.every(isBytes), 'certificates must be DER');
  assertArg(typeof input.fetch === 'function', 'fetch is required');
  const crypto = input.crypto;
  const problems: string[] = [];
  const certs: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  const ocsps: Uint8Array[] = [];
  const pool: Uint8Array[] = [...(input.pool ?? [])];
  const link = (der: Uint8Array): ChainLink => ({ der, cert: parseCertificate(der) });

  const findIssuer = async (child: ChainLink): Promise<ChainLink | undefined> => {
    for (const der of pool) {
      const cand = link(der);
      if (issuedBy(child, cand) && (await signedBy(child, cand, crypto)) === true) return cand;
    }
    for (const url of describeCertificate(child.der).caIssuersUrls) {
      try {
        for (const der of await fetchCertificates(input.fetch, url)) {
          addUnique(pool, der);
          const cand = link(der);
          if (issuedBy(child, cand) && (await signedBy(child, cand, crypto)) === true) return cand;
        }
      } catch (e) {
        problems.push((e as Error).message);
      }
    }
    return undefined;
  };

  const pairs: [ChainLink, ChainLink][] = [];
  const queue = input.certificates.map(link);
  const seen: Uint8Array[] = [];
  while (queue.length) {
    const c = queue.shift()!;
    if (seen.some((s) => equalBytes(s, c.der))) continue;
    seen.push(c.der);
    addUnique(certs, c.der);
    if (describeCertificate(c.der).selfIssued && (await signedBy(c, c, crypto)) === true) continue;
    const issuer = await findIssuer(c);
    if (!issuer) {
      const msg = `issuer of ${describeCertificate(c.der).subject} not found (pool or AIA caIssuers)`;
      if (input.strict !== false) throw new PkiError('PKI_CHAIN_NOT_FOUND', msg);
      problems.push(msg);
      continue;
    }
    pairs.push([c, issuer]);
    queue.push(issuer);
  }

  const revocationFor = async (c: ChainLink, issuer: ChainLink): Promise<void> => {
    const info = describeCertificate(c.der);
    if (info.ocspNoCheck) return;
    for (const url of info.ocspUrls) {
      try {
        const resp = await fetchOcsp(input.fetch, url, await createOcspRequest(c.der, issuer.der, crypto));
        const facts = await checkOcsp(c.der, issuer.der, resp, crypto);
        if (!facts?.signatureValid || facts.status === 'unknown') {
          problems.push(`${url}: unusable OCSP answer for ${info.subject}`);
          continue;
        }
        addUnique(ocsps, resp);
        if (facts.responderCertificate && !certs.some((x) => equalBytes(x, facts.responderCertificate!))) {
          addUnique(certs, facts.responderCertificate);
          await revocationFor(link(facts.responderCertificate), issuer);
        }
        return;
      } catch (e) {
        problems.push((e as Error).message);
      }
    }
    for (const url of info.crlUrls) {
      try {
        const crl = await fetchCrl(input.fetch, url);
        const facts = await checkCrl(c.der, issuer.der, crl, crypto);
        if (!facts?.signatureValid) {
          problems.push(`${url}: CRL not signed by the issuer of ${info.subject}`);
          continue;
        }
        addUnique(crls, crl);
        return;
      } catch (e) {
        problems.push((e as Error).message);
      }
    }
    if (info.ocspUrls.length + info.crlUrls.length > 0) {
      const msg = `no revocation data could be fetched for ${info.subject}`;
      if (input.strict !== false) throw new PkiError('PKI_FETCH_FAILED', `${msg}: ${problems.join('; ')}`);
      problems.push(msg);
    }
  };
  for (const [c, issuer] of pairs) await revocationFor(c, issuer);
  return { certs, crls, ocsps, problems };
}
