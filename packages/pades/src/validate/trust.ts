import { validatePath, type PathValidation } from '@inkan/pki';
import { certificateFacts } from './certificates.ts';
import type { SignatureFacts, SubIndication } from './report.ts';
import { trustInputOf, type SignatureContext } from './signature.ts';

export interface TrustContext extends SignatureContext {
  /** Revocation data found in the document (DSS), used before anything online. */
  crls: readonly Uint8Array[];
  ocsps: readonly Uint8Array[];
  /** `--online`: missing revocation data is fetched, and then required. */
  fetch?: typeof fetch;
}

const SUB: Record<NonNullable<PathValidation['subIndication']>, SubIndication> = {
  NO_CERTIFICATE_CHAIN_FOUND: 'NO_CERTIFICATE_CHAIN_FOUND',
  REVOKED: 'REVOKED',
  REVOKED_NO_POE: 'REVOKED_NO_POE',
  OUT_OF_BOUNDS_NO_POE: 'OUT_OF_BOUNDS_NO_POE',
  EXPIRED: 'OUT_OF_BOUNDS_NO_POE',
  NOT_YET_VALID: 'NOT_YET_VALID',
  TRY_LATER: 'TRY_LATER',
  CHAIN_CONSTRAINTS_FAILURE: 'CHAIN_CONSTRAINTS_FAILURE',
  CRYPTO_CONSTRAINTS_FAILURE: 'CRYPTO_CONSTRAINTS_FAILURE'
};

/**
 * RFC 5280 path validation of the signer (or TSA) certificate to the caller's anchors at the proof of
 * existence — the earliest trusted timestamp — or else at the validation time (ETSI EN 319 102-1 §5.2.6,
 * §5.6.2.4 past signature validation), with revocation from the document's DSS and CMS first, online only
 * when a fetcher is given. Offline, missing revocation data is reported as `unknown` (soft fail).
 */
export async function establishTrust(facts: SignatureFacts, ctx: TrustContext): Promise<void> {
  const input = trustInputOf(facts);
  if (!input) return;
  const at = facts.provenTime ? new Date(facts.provenTime) : ctx.validationTime;
  let path: PathValidation;
  try {
    path = await validatePath(input.certificate, {
      anchors: ctx.trustAnchors,
      intermediates: [...input.pool, ...ctx.extraCertificates],
      at,
      claimedSigningTime: facts.claimedTime ? new Date(facts.claimedTime) : undefined,
      crls: [...input.crls, ...ctx.crls],
      ocsps: [...input.ocsps, ...ctx.ocsps],
      fetch: ctx.fetch,
      revocation: ctx.fetch ? 'require' : 'if-available',
      crypto: ctx.crypto
    });
  } catch {
    facts.trusted = false;
    facts.chainSubIndication = 'CERTIFICATE_CHAIN_GENERAL_FAILURE';
    return;
  }
  facts.trusted = path.indication === 'PASSED';
  facts.chainSubIndication = facts.trusted
    ? null
    : path.subIndication
      ? SUB[path.subIndication]
      : 'CERTIFICATE_CHAIN_GENERAL_FAILURE';
  const revoked = path.revocation.find((r) => r.status === 'revoked');
  const target = path.revocation.find((r) => r.certificate === input.certificate) ?? path.revocation[0];
  facts.revocation = revoked ? 'revoked' : (target?.status ?? 'unknown');
  facts.revokedAt = revoked?.revokedAt?.toISOString() ?? null;
  facts.certificateTimeProblem = timeProblem(path.chain.length ? path.chain : [input.certificate], at);
  if (facts.type === 'docTimeStamp' && facts.timestamp)
    facts.timestamp = { ...facts.timestamp, trusted: facts.trusted };
}

/** Validity periods of the path at `at` (the POE, else the validation time). */
function timeProblem(chain: readonly Uint8Array[], at: Date): SignatureFacts['certificateTimeProblem'] {
  let problem: SignatureFacts['certificateTimeProblem'] = null;
  for (const der of chain) {
    const c = certificateFacts(der); // unreadable certificates fail path validation already
    if (c && at < c.notBefore) return 'notYetValid';
    if (c && at > c.notAfter) problem = 'expired';
  }
  return problem;
}
