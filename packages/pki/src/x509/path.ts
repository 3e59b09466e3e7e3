import { assertArg, PkiError } from '../errors.ts';
import { equalBytes, isBytes } from '../bytes.ts';
import { OID } from '../oids.ts';
import { buildChain, type ChainLink } from './chain.ts';
import { describeCertificate } from './certificate.ts';
import { fetchCrl, fetchOcsp, type Fetch } from './fetch.ts';
import { checkCrl, checkOcsp, createOcspRequest, type RevocationFacts, type RevocationStatus } from './revocation.ts';

/** ETSI EN 319 102-1 §5.2.6 style outcome of X.509 validation. */
export type PathIndication = 'PASSED' | 'INDETERMINATE' | 'FAILED';
export type PathSubIndication =
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'REVOKED'
  | 'REVOKED_NO_POE'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'TRY_LATER'
  | 'CHAIN_CONSTRAINTS_FAILURE'
  | 'CRYPTO_CONSTRAINTS_FAILURE';

/** The revocation situation of one non-anchor certificate of the path. */
export interface CertificateRevocation {
  readonly certificate: Uint8Array;
  readonly status: RevocationStatus;
  readonly revokedAt?: Date;
  readonly reason?: string;
  /** Every CRL/OCSP answer that spoke about it (valid or not). */
  readonly facts: readonly RevocationFacts[];
}

export interface PathValidation {
  readonly indication: PathIndication;
  readonly subIndication?: PathSubIndication;
  /** Target first, anchor last (empty when no chain was found). */
  readonly chain: readonly Uint8Array[];
  readonly anchor?: Uint8Array;
  readonly revocation: readonly CertificateRevocation[];
  /** CRLs / OCSP responses fetched online during validation (for a DSS). */
  readonly fetched: { readonly crls: readonly Uint8Array[]; readonly ocsps: readonly Uint8Array[] };
  readonly problems: readonly string[];
}

export interface ValidatePathOptions {
  readonly anchors: readonly Uint8Array[];
  /** Pool of candidate intermediates (CMS certificates, DSS certificates, extra). */
  readonly intermediates?: readonly Uint8Array[];
  /** Validation time (best-signature-time when a timestamp proves one); default now. */
  readonly at?: Date;
  /** Claimed signing time (signed attribute / PDF /M): a revocation before it is REVOKED, not REVOKED_NO_POE. */
  readonly claimedSigningTime?: Date;
  readonly crls?: readonly Uint8Array[];
  readonly ocsps?: readonly Uint8Array[];
  /** When given, missing revocation data is fetched (OCSP first, then CRL). */
  readonly fetch?: Fetch;
  /**
   * 'require' (default): a certificate that declares a revocation source (CRL DP or AIA OCSP) or for which
   * data was supplied must have a usable answer, else TRY_LATER (pyHanko's "check if declared").
   * 'if-available': unknown is tolerated. 'skip': no revocation checking.
   */
  readonly revocation?: 'require' | 'if-available' | 'skip';
  readonly crypto?: Crypto;
}

/** Extensions this validator understands (RFC 5280 §4.2); any other critical one fails the path. */
const KNOWN_EXTENSIONS = new Set<string>([
  OID.subjectKeyIdentifier,
  OID.keyUsage,
  OID.subjectAltName,
  OID.basicConstraints,
  OID.cRLDistributionPoints,
  OID.certificatePolicies,
  OID.authorityKeyIdentifier,
  OID.extKeyUsage,
  OID.authorityInfoAccess,
  OID.ocspNoCheck,
  '2.5.29.18', // issuerAltName
  '2.5.29.30', // nameConstraints (not evaluated; only accepted when non-critical)
  '1.3.6.1.5.5.7.1.3' // qcStatements
]);

function constraintsProblem(links: readonly ChainLink[]): string | undefined {
  // Walk from the anchor down (RFC 5280 §6.1.4): CA flag, keyCertSign, pathLenConstraint.
  let maxPath: number | undefined;
  for (let i = links.length - 1; i >= 0; i--) {
    const l = links[i]!;
    const info = describeCertificate(l.der);
    const critical = (l.cert.extensions ?? []).filter(
      (e) => e.critical && (!KNOWN_EXTENSIONS.has(e.extnID) || e.extnID === '2.5.29.30')
    );
    if (critical.length)
      return `${info.subject}: unsupported critical extension ${critical.map((e) => e.extnID).join(', ')}`;
    if (i === 0) break;
    if (!info.isCa) return `${info.subject} is not a CA (basicConstraints)`;
    if (info.keyUsage.length > 0 && !info.keyUsage.includes('keyCertSign'))
      return `${info.subject} lacks keyUsage keyCertSign`;
    if (i < links.length - 1 && !info.selfIssued) {
      if (maxPath !== undefined) {
        if (maxPath <= 0) return `${info.subject} exceeds a pathLenConstraint`;
        maxPath--;
      }
    }
    if (info.pathLength !== undefined)
      maxPath = maxPath === undefined ? info.pathLength : Math.min(maxPath, info.pathLength);
  }
  return undefined;
}

async function revocationOf(
  target: Uint8Array,
  issuer: Uint8Array,
  opts: ValidatePathOptions,
  fetched: { crls: Uint8Array[]; ocsps: Uint8Array[] },
  problems: string[],
  at: Date
): Promise<CertificateRevocation> {
  const facts: RevocationFacts[] = [];
  const tryAll = async () => {
    for (const der of [...(opts.ocsps ?? []), ...fetched.ocsps]) {
      try {
        const f = await checkOcsp(target, issuer, der, opts.crypto);
        if (f) facts.push(f);
      } catch (e) {
        if (!(e instanceof PkiError)) throw e;
      }
    }
    for (const der of [...(opts.crls ?? []), ...fetched.crls]) {
      try {
        const f = await checkCrl(target, issuer, der, opts.crypto);
        if (f) facts.push(f);
      } catch (e) {
        if (!(e instanceof PkiError)) throw e;
      }
    }
  };
  await tryAll();
  // Settled: a verified revocation, or a verified "good" that covers `at`.
  const settled = () =>
    facts.some(
      (f) =>
        f.signatureValid && (f.status === 'revoked' || (f.status === 'good' && (!f.nextUpdate || f.nextUpdate >= at)))
    );
  if (!settled() && opts.fetch) {
    const info = describeCertificate(target);
    // OCSP first (fresh and small); the CRL only when OCSP did not settle it.
    const sources: [string, 'ocsp' | 'crl'][] = [
      ...info.ocspUrls.map((u) => [u, 'ocsp'] as [string, 'ocsp']),
      ...info.crlUrls.map((u) => [u, 'crl'] as [string, 'crl'])
    ];
    for (const [url, kind] of sources) {
      if (settled()) break;
      try {
        if (kind === 'ocsp') {
          const der = await fetchOcsp(opts.fetch, url, await createOcspRequest(target, issuer, opts.crypto));
          fetched.ocsps.push(der);
          const f = await checkOcsp(target, issuer, der, opts.crypto);
          if (f) facts.push(f);
        } else {
          const der = await fetchCrl(opts.fetch, url);
          fetched.crls.push(der);
          const f = await checkCrl(target, issuer, der, opts.crypto);
          if (f) facts.push(f);
        }
      } catch (e) {
        if (!(e instanceof PkiError)) throw e;
        problems.push(e.message);
      }
    }
  }
  const usable = facts.filter((f) => f.signatureValid);
  // A revocation stays true; "good" only speaks up to nextUpdate (RFC 5280 §5.1.2.5, RFC 6960 §4.2.2.1).
  const covers = (f: RevocationFacts) => !f.nextUpdate || f.nextUpdate >= at;
  if (usable.some((f) => f.status === 'good' && !covers(f)))
    problems.push('revocation information older than the validation time ignored');
  const revoked = usable
    .filter((f) => f.status === 'revoked')
    .sort((a, b) => (a.revokedAt?.getTime() ?? 0) - (b.revokedAt?.getTime() ?? 0))[0];
  if (revoked)
    return { certificate: target, status: 'revoked', revokedAt: revoked.revokedAt, reason: revoked.reason, facts };
  return {
    certificate: target,
    status: usable.some((f) => f.status === 'good' && covers(f)) ? 'good' : 'unknown',
    facts
  };
}

/**
 * Validate `target` at `at` (RFC 5280 §6 basic path validation, results in ETSI EN 319 102-1 §5.2.6 terms):
 * chain to an anchor (signatures), algorithm policy, CA constraints (basicConstraints, keyCertSign,
 * pathLen, unknown critical extensions), validity periods, then revocation of every non-anchor
 * certificate from the given CRLs/OCSP responses (signatures checked), fetching online when `fetch` is given.
 * Returns facts and a result; throws only on unusable input.
 */
export async function validatePath(target: Uint8Array, opts: ValidatePathOptions): Promise<PathValidation> {
  assertArg(isBytes(target), 'target must be DER bytes');
  assertArg(Array.isArray(opts?.anchors) && opts.anchors.every(isBytes), 'anchors must be DER certificates');
  const at = opts.at ?? new Date();
  assertArg(at instanceof Date && !Number.isNaN(at.getTime()), 'at must be a Date');
  const problems: string[] = [];
  const fetched = { crls: [] as Uint8Array[], ocsps: [] as Uint8Array[] };
  const result = (
    indication: PathIndication,
    subIndication: PathSubIndication | undefined,
    chain: readonly ChainLink[] = [],
    revocation: CertificateRevocation[] = []
  ): PathValidation => ({
    indication,
    subIndication,
    chain: chain.map((l) => l.der),
    anchor: chain.length ? chain[chain.length - 1]!.der : undefined,
    revocation,
    fetched,
    problems
  });

  const built = await buildChain(target, { anchors: opts.anchors, pool: opts.intermediates, crypto: opts.crypto });
  if (!built) {
    problems.push('no path to a trust anchor');
    return result('INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND');
  }
  const links = built.links;
  if (built.cryptoProblem) {
    problems.push(built.cryptoProblem);
    return result('INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE', links);
  }
  const constraint = constraintsProblem(links);
  if (constraint) {
    problems.push(constraint);
    return result('FAILED', 'CHAIN_CONSTRAINTS_FAILURE', links);
  }
  for (let i = 0; i < links.length - 1; i++) {
    const info = describeCertificate(links[i]!.der);
    if (at < info.notBefore) {
      problems.push(`${info.subject} not valid before ${info.notBefore.toISOString()}`);
      return result('INDETERMINATE', 'NOT_YET_VALID', links);
    }
    if (at > info.notAfter) {
      problems.push(`${info.subject} expired ${info.notAfter.toISOString()}`);
      return result('INDETERMINATE', i === 0 ? 'OUT_OF_BOUNDS_NO_POE' : 'EXPIRED', links);
    }
  }
  const revocation: CertificateRevocation[] = [];
  if (opts.revocation !== 'skip') {
    for (let i = 0; i < links.length - 1; i++) {
      if (equalBytes(links[i]!.der, links[links.length - 1]!.der)) continue;
      revocation.push(await revocationOf(links[i]!.der, links[i + 1]!.der, opts, fetched, problems, at));
    }
    for (const r of revocation) {
      if (r.status === 'revoked' && r.revokedAt && r.revokedAt <= at) {
        problems.push(
          `${describeCertificate(r.certificate).subject} revoked ${r.revokedAt.toISOString()} (${r.reason ?? 'no reason'})`
        );
        const proven = opts.claimedSigningTime && opts.claimedSigningTime >= r.revokedAt;
        return result(proven ? 'FAILED' : 'INDETERMINATE', proven ? 'REVOKED' : 'REVOKED_NO_POE', links, revocation);
      }
      const declared = (() => {
        const info = describeCertificate(r.certificate);
        return info.crlUrls.length > 0 || info.ocspUrls.length > 0 || r.facts.length > 0;
      })();
      if (r.status === 'unknown' && opts.revocation !== 'if-available' && declared) {
        problems.push(`no usable revocation information for ${describeCertificate(r.certificate).subject}`);
        return result('INDETERMINATE', 'TRY_LATER', links, revocation);
      }
    }
  }
  return result('PASSED', undefined, links, revocation);
}
